/* Mutants on descriptor flags and errors, chosen at build time; each is a
 * libc or emulator shortcut (A3, A4, A7, J1, S7).
 *   GETFL_RDWR        pipes built on a two-way channel: F_GETFL says O_RDWR
 *   PIPE_CLOEXEC      pipe() made close-on-exec by default
 *   DUPFD_CLOEXEC_PLAIN  F_DUPFD_CLOEXEC falls back to F_DUPFD (flag lost)
 *   DUP3_AS_DUP2      dup3 emulated with dup2: flags lost, no EINVAL onto itself
 *   FSTAT_FD_INODE    every descriptor reports its own inode number
 *   BOUNCE_BUFFER     read/write copy through a buffer of the library's own,
 *                     so a bad user address faults in the caller (SIGSEGV)
 *   PREADV_AS_READV   preadv/pwritev on an unseekable descriptor ignore the
 *                     offset instead of failing with ESPIPE */
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "fault.h"

#if defined(GETFL_RDWR) || defined(DUPFD_CLOEXEC_PLAIN)
int fcntl(int fd, int cmd, ...)
{
	REAL(int, fcntl, int, int, ...);
	long arg;
	FAULT_FCNTL_ARG(arg, cmd);
	if (!fault_tracked(fd))
		return real_fcntl(fd, cmd, arg);
#if defined(GETFL_RDWR)
	int r = real_fcntl(fd, cmd, arg);
	return cmd == F_GETFL && r >= 0 ? (r & ~O_ACCMODE) | O_RDWR : r;
#else
	return real_fcntl(fd, cmd == F_DUPFD_CLOEXEC ? F_DUPFD : cmd, arg);
#endif
}
#elif defined(PIPE_CLOEXEC)
int pipe(int fds[2]) { return fault_pipe2(fds, O_CLOEXEC); }
#elif defined(DUP3_AS_DUP2)
int dup3(int old, int new, int flags)
{
	REAL(int, dup3, int, int, int);
	(void)flags;
	return fault_tracked(old) ? dup2(old, new) : real_dup3(old, new, flags);
}
#elif defined(FSTAT_FD_INODE)
int fstat(int fd, struct stat *st)
{
	REAL(int, fstat, int, struct stat *);
	int r = real_fstat(fd, st);
	if (r == 0 && fault_tracked(fd))
		st->st_ino += (ino_t)fd;
	return r;
}
#elif defined(BOUNCE_BUFFER)
ssize_t read(int fd, void *buf, size_t n)
{
	REAL(ssize_t, read, int, void *, size_t);
	char bounce[4096];
	if (!fault_tracked(fd) || n > sizeof bounce)
		return real_read(fd, buf, n);
	ssize_t r = real_read(fd, bounce, n);
	if (r > 0)
		memcpy(buf, bounce, (size_t)r);
	return r;
}

ssize_t write(int fd, const void *buf, size_t n)
{
	REAL(ssize_t, write, int, const void *, size_t);
	char bounce[4096];
	if (!fault_tracked(fd) || n > sizeof bounce)
		return real_write(fd, buf, n);
	memcpy(bounce, buf, n);
	return real_write(fd, bounce, n);
}
#elif defined(PREADV_AS_READV)
ssize_t preadv(int fd, const struct iovec *v, int n, off_t off)
{
	REAL(ssize_t, preadv, int, const struct iovec *, int, off_t);
	return fault_tracked(fd) ? readv(fd, v, n) : real_preadv(fd, v, n, off);
}

ssize_t pwritev(int fd, const struct iovec *v, int n, off_t off)
{
	REAL(ssize_t, pwritev, int, const struct iovec *, int, off_t);
	return fault_tracked(fd) ? writev(fd, v, n) : real_pwritev(fd, v, n, off);
}
#endif
