/* The case binary is its own interposer for the pipe API.
 *
 * Every call a case makes on a pipe (read, write, pipe, open, poll, ...)
 * lands here first.  In the judge, and in any actor when no implementation is
 * configured, it goes on to libc.  In an actor that loaded the implementation
 * under test (box.c: dlopen after fork), it goes to the implementation's
 * definition when it has one, else to libc.  So the implementation runs only
 * in actors, never in the judge that writes the evidence.
 *
 * The executable exports these names (interpose.list), so the implementation's
 * own calls to, say, fcntl() come back here and reach its own fcntl, as they
 * would under LD_PRELOAD; its dlsym(RTLD_NEXT, ...) still finds libc. */
#undef _FORTIFY_SOURCE /* fortified inline read() etc. would clash with ours */
#include "interpose.h"

#include <dlfcn.h>
#include <link.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

/* X(return type, name, parameters, arguments): the calls with a fixed
 * argument list.  The variadic ones (open, fcntl, ioctl) are written out. */
#define PL_FIXED(X)                                                                                          \
	X(ssize_t, read, (int fd, void *b, size_t n), (fd, b, n))                                            \
	X(ssize_t, readv, (int fd, const struct iovec *v, int n), (fd, v, n))                                 \
	X(ssize_t, write, (int fd, const void *b, size_t n), (fd, b, n))                                     \
	X(ssize_t, writev, (int fd, const struct iovec *v, int n), (fd, v, n))                                \
	X(ssize_t, preadv, (int fd, const struct iovec *v, int n, off_t o), (fd, v, n, o))                    \
	X(ssize_t, pwritev, (int fd, const struct iovec *v, int n, off_t o), (fd, v, n, o))                   \
	X(ssize_t, pread, (int fd, void *b, size_t n, off_t o), (fd, b, n, o))                               \
	X(ssize_t, pread64, (int fd, void *b, size_t n, off64_t o), (fd, b, n, o))                           \
	X(ssize_t, pwrite, (int fd, const void *b, size_t n, off_t o), (fd, b, n, o))                        \
	X(ssize_t, pwrite64, (int fd, const void *b, size_t n, off64_t o), (fd, b, n, o))                    \
	X(int, pipe, (int f[2]), (f))                                                                        \
	X(int, pipe2, (int f[2], int fl), (f, fl))                                                           \
	X(int, close, (int fd), (fd))                                                                        \
	X(int, mkfifo, (const char *p, mode_t m), (p, m))                                                    \
	X(int, mkfifoat, (int d, const char *p, mode_t m), (d, p, m))                                        \
	X(int, mknod, (const char *p, mode_t m, dev_t v), (p, m, v))                                         \
	X(int, mknodat, (int d, const char *p, mode_t m, dev_t v), (d, p, m, v))                             \
	X(int, dup, (int fd), (fd))                                                                          \
	X(int, dup2, (int a, int b), (a, b))                                                                 \
	X(int, dup3, (int a, int b, int f), (a, b, f))                                                       \
	X(int, poll, (struct pollfd * p, nfds_t n, int t), (p, n, t))                                        \
	X(int, ppoll, (struct pollfd * p, nfds_t n, const struct timespec *t, const sigset_t *s), (p, n, t, s)) \
	X(int, select, (int n, fd_set *r, fd_set *w, fd_set *e, struct timeval *t), (n, r, w, e, t))         \
	X(int, pselect, (int n, fd_set *r, fd_set *w, fd_set *e, const struct timespec *t, const sigset_t *s), \
	  (n, r, w, e, t, s))                                                                                \
	X(int, epoll_create, (int n), (n))                                                                   \
	X(int, epoll_create1, (int f), (f))                                                                  \
	X(int, epoll_ctl, (int e, int op, int fd, struct epoll_event *ev), (e, op, fd, ev))                  \
	X(int, epoll_wait, (int e, struct epoll_event *ev, int n, int t), (e, ev, n, t))                     \
	X(int, epoll_pwait, (int e, struct epoll_event *ev, int n, int t, const sigset_t *s), (e, ev, n, t, s)) \
	X(off_t, lseek, (int fd, off_t o, int w), (fd, o, w))                                                \
	X(off64_t, lseek64, (int fd, off64_t o, int w), (fd, o, w))                                          \
	X(int, fstat, (int fd, struct stat *s), (fd, s))                                                     \
	X(int, fstat64, (int fd, struct stat64 *s), (fd, s))                                                 \
	X(long, fpathconf, (int fd, int name), (fd, name))                                                   \
	X(ssize_t, splice, (int a, loff_t *ao, int b, loff_t *bo, size_t n, unsigned f), (a, ao, b, bo, n, f)) \
	X(ssize_t, tee, (int a, int b, size_t n, unsigned f), (a, b, n, f))                                  \
	X(ssize_t, vmsplice, (int fd, const struct iovec *v, size_t n, unsigned f), (fd, v, n, f))          \
	X(void *, mmap, (void *a, size_t n, int p, int f, int fd, off_t o), (a, n, p, f, fd, o))

#define PL_VARIADIC(X) X(open) X(open64) X(openat) X(openat64) X(fcntl) X(fcntl64) X(ioctl)

#define PL_FIXED_ENUM(ret, name, params, args) PL_IS_##name,
#define PL_VAR_ENUM(name) PL_IS_##name,
enum pl_isym { PL_FIXED(PL_FIXED_ENUM) PL_VARIADIC(PL_VAR_ENUM) PL_IS_COUNT };

#define PL_FIXED_NAME(ret, name, params, args) #name,
#define PL_VAR_NAME(name) #name,
static const char *const isym_name[PL_IS_COUNT] = { PL_FIXED(PL_FIXED_NAME) PL_VARIADIC(PL_VAR_NAME) };

static void *libc_fn[PL_IS_COUNT]; /* resolved on first use, then cached */
static void *impl_fn[PL_IS_COUNT]; /* set once, in an actor, by pl_interpose_use */

/* Where a call goes next: the implementation's definition, else libc's. */
static void *next_fn(enum pl_isym s)
{
	void *f = impl_fn[s];
	if (f)
		return f;
	f = __atomic_load_n(&libc_fn[s], __ATOMIC_ACQUIRE);
	if (!f) {
		f = dlsym(RTLD_NEXT, isym_name[s]);
		__atomic_store_n(&libc_fn[s], f, __ATOMIC_RELEASE);
	}
	return f;
}

#define PL_FIXED_WRAP(ret, name, params, args)                                                                 \
	ret name params                                                                                        \
	{                                                                                                      \
		ret(*next_) params;                                                                            \
		*(void **)&next_ = next_fn(PL_IS_##name);                                                      \
		if (!next_) {                                                                                  \
			errno = ENOSYS; /* not in this libc */                                                 \
			return (ret)-1;                                                                        \
		}                                                                                              \
		return next_ args;                                                                             \
	}
PL_FIXED(PL_FIXED_WRAP)

/* open-like calls: the mode argument exists only with O_CREAT or O_TMPFILE
 * (which includes O_DIRECTORY's bit: all of it must be set). */
#define PL_OPEN_MODE(mode, flags)                                                                                \
	do {                                                                                                     \
		if (((flags) & O_CREAT) || ((flags) & O_TMPFILE) == O_TMPFILE) {                                  \
			va_list ap_;                                                                             \
			va_start(ap_, flags);                                                                    \
			(mode) = va_arg(ap_, mode_t); /* NOLINT(clang-analyzer-valist.Uninitialized) */          \
			va_end(ap_);                                                                             \
		}                                                                                                \
	} while (0)

#define PL_OPEN_WRAP(name)                                                                                       \
	int name(const char *path, int flags, ...)                                                               \
	{                                                                                                        \
		mode_t mode = 0;                                                                                 \
		PL_OPEN_MODE(mode, flags);                                                                       \
		int (*f)(const char *, int, ...);                                                                \
		*(void **)&f = next_fn(PL_IS_##name);                                                            \
		return f ? f(path, flags, mode) : (errno = ENOSYS, -1);                                          \
	}
#define PL_OPENAT_WRAP(name)                                                                                     \
	int name(int dir, const char *path, int flags, ...)                                                      \
	{                                                                                                        \
		mode_t mode = 0;                                                                                 \
		PL_OPEN_MODE(mode, flags);                                                                       \
		int (*f)(int, const char *, int, ...);                                                           \
		*(void **)&f = next_fn(PL_IS_##name);                                                            \
		return f ? f(dir, path, flags, mode) : (errno = ENOSYS, -1);                                     \
	}
/* fcntl and ioctl: the one optional argument is an int or a pointer; passing
 * it on as a pointer-sized word is what libc itself does. */
#define PL_CTL_WRAP(name, reqtype)                                                                               \
	int name(int fd, reqtype req, ...)                                                                       \
	{                                                                                                        \
		va_list ap;                                                                                      \
		va_start(ap, req);                                                                               \
		void *arg = va_arg(ap, void *);                                                                  \
		va_end(ap);                                                                                      \
		int (*f)(int, reqtype, ...);                                                                     \
		*(void **)&f = next_fn(PL_IS_##name);                                                            \
		return f ? f(fd, req, arg) : (errno = ENOSYS, -1);                                               \
	}
PL_OPEN_WRAP(open)
PL_OPEN_WRAP(open64)
PL_OPENAT_WRAP(openat)
PL_OPENAT_WRAP(openat64)
PL_CTL_WRAP(fcntl, int)
PL_CTL_WRAP(fcntl64, int)
PL_CTL_WRAP(ioctl, unsigned long)

int pl_interpose_use(void *const *impl, int n)
{
	int found = 0;
	for (int s = 0; s < PL_IS_COUNT; s++) {
		/* The first library that itself defines the name, as LD_PRELOAD
		 * would pick it; none: libc (next_fn).  dlsym on a handle also
		 * searches that library's dependencies, hence the owner check. */
		for (int k = 0; k < n && !impl_fn[s]; k++) {
			void *f = dlsym(impl[k], isym_name[s]);
			struct link_map *lm = NULL;
			Dl_info there;
			if (f && dlinfo(impl[k], RTLD_DI_LINKMAP, &lm) == 0 && lm && dladdr(f, &there) &&
			    there.dli_fbase == (void *)lm->l_addr)
				impl_fn[s] = f;
			else if (f && lm && dladdr(f, &there) && there.dli_fname && lm->l_name &&
				 !strcmp(there.dli_fname, lm->l_name))
				impl_fn[s] = f;
		}
		found += impl_fn[s] != NULL;
	}
	return found;
}

bool pl_interpose_active(void) { return true; }
