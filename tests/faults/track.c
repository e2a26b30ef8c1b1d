/* Which descriptors are pipes under test: created here by pipe()/pipe2() or by
 * an open() that yielded a FIFO.  Forked actors inherit the table with the
 * process image, as they inherit the descriptors. */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fault.h"

#define MAXFD 4096
static unsigned char tracked[MAXFD];

static void track(int fd, bool on)
{
	if (fd >= 0 && fd < MAXFD)
		tracked[fd] = on;
}

bool fault_tracked(int fd) { return fd >= 0 && fd < MAXFD && tracked[fd]; }

/* The wrappers are weak: a mutant that must change pipe2() or open() itself
 * defines its own and calls fault_pipe2 / fault_track_if_fifo. */
#define WEAK __attribute__((weak))

int fault_pipe2(int fds[2], int flags)
{
	REAL(int, pipe2, int *, int);
	int r = real_pipe2(fds, flags);
	if (r == 0) {
		track(fds[0], true);
		track(fds[1], true);
	}
	return r;
}

WEAK int pipe(int fds[2])
{
	REAL(int, pipe, int *);
	int r = real_pipe(fds);
	if (r == 0) {
		track(fds[0], true);
		track(fds[1], true);
	}
	return r;
}

WEAK int pipe2(int fds[2], int flags) { return fault_pipe2(fds, flags); }

void fault_track_if_fifo(int fd)
{
	struct stat st;
	track(fd, fd >= 0 && fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode));
}

WEAK int open(const char *path, int flags, ...)
{
	REAL(int, open, const char *, int, ...);
	mode_t mode;
	FAULT_OPEN_MODE(mode, flags);
	int fd = real_open(path, flags, mode);
	fault_track_if_fifo(fd);
	return fd;
}

WEAK int open64(const char *path, int flags, ...) __attribute__((alias("open")));

WEAK int close(int fd)
{
	REAL(int, close, int);
	track(fd, false);
	return real_close(fd);
}
