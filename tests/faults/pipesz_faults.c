/* Mutants on capacity and limits, chosen at build time (N, A5).
 *   SETPIPE_SZ_NOT_APPLIED  F_SETPIPE_SZ answers the rounded size it was
 *                           asked for and changes nothing (an emulator that
 *                           stores the number only)
 *   SETPIPE_SZ_NO_LIMIT     no pipe-max-size check: the unprivileged get any
 *                           size (the real call's EPERM is hidden)
 *   PIPE_LEAKS_ON_EMFILE    pipe() takes the read end's slot before finding no
 *                           slot for the write end, and keeps it */
#include <errno.h>
#include <unistd.h>

#include "fault.h"

#if defined(SETPIPE_SZ_NOT_APPLIED) || defined(SETPIPE_SZ_NO_LIMIT)
static long rounded(long n)
{
	long size = 4096;
	while (size < n)
		size *= 2;
	return size;
}

int fcntl(int fd, int cmd, ...)
{
	REAL(int, fcntl, int, int, ...);
	long arg;
	FAULT_FCNTL_ARG(arg, cmd);
	if (cmd != F_SETPIPE_SZ || !fault_tracked(fd))
		return real_fcntl(fd, cmd, arg);
#if defined(SETPIPE_SZ_NOT_APPLIED)
	return (int)rounded(arg);
#else
	int r = real_fcntl(fd, cmd, arg);
	return r < 0 && errno == EPERM ? (int)rounded(arg) : r;
#endif
}
#elif defined(PIPE_LEAKS_ON_EMFILE)
int pipe(int fds[2])
{
	int r = fault_pipe2(fds, 0);
	if (r < 0 && errno == EMFILE) {
		REAL(int, open, const char *, int, ...);
		fds[0] = real_open("/dev/null", O_RDONLY);
		errno = EMFILE;
	}
	return r;
}
#endif
