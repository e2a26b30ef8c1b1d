/* Legal model, not a mutant: a POSIX system whose pipes hold one page
 * (4096 bytes, PIPE_BUF, as classic Unix pipes did) and which has no
 * pipe-size fcntl (F_GETPIPE_SZ and F_SETPIPE_SZ fail with EINVAL).  POSIX
 * fixes no capacity and has no such fcntl, so every posix case must pass;
 * linux cases that read or set the size may not. */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "fault.h"

enum { LEGAL_CAPACITY = 4096 };

static void shrink(int fd)
{
	REAL(int, fcntl, int, int, ...);
	if (fault_tracked(fd))
		real_fcntl(fd, F_SETPIPE_SZ, (long)LEGAL_CAPACITY); /* a FIFO already holding more keeps its size */
}

int pipe2(int fds[2], int flags)
{
	int r = fault_pipe2(fds, flags);
	if (r == 0)
		shrink(fds[0]);
	return r;
}

int pipe(int fds[2]) { return pipe2(fds, 0); }

int open(const char *path, int flags, ...)
{
	REAL(int, open, const char *, int, ...);
	mode_t mode;
	FAULT_OPEN_MODE(mode, flags);
	int fd = real_open(path, flags, mode);
	fault_track_if_fifo(fd);
	shrink(fd);
	return fd;
}

int open64(const char *path, int flags, ...) __attribute__((alias("open")));

int fcntl(int fd, int cmd, ...)
{
	REAL(int, fcntl, int, int, ...);
	long arg;
	FAULT_FCNTL_ARG(arg, cmd);
	if (fault_tracked(fd) && (cmd == F_GETPIPE_SZ || cmd == F_SETPIPE_SZ)) {
		errno = EINVAL;
		return -1;
	}
	return real_fcntl(fd, cmd, arg);
}
