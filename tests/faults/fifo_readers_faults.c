/* Mutants on FIFO readers that come and go, chosen at build time (S6, D).
 *   EPIPE_STICKY  an emulator that treats a hung-up pipe as a final state of
 *                 the write end, like a shut-down socket: once a write got
 *                 EPIPE, every later write on that descriptor fails with
 *                 EPIPE (and SIGPIPE) without asking the kernel, so a reader
 *                 that opens later is never written to */
#include <errno.h>
#include <signal.h>
#include <unistd.h>

#include "fault.h"

#if defined(EPIPE_STICKY)
#define MAXFD 1024
static unsigned char hung_up[MAXFD];

static bool in_range(int fd) { return fd >= 0 && fd < MAXFD; }

ssize_t write(int fd, const void *buf, size_t n)
{
	REAL(ssize_t, write, int, const void *, size_t);
	if (in_range(fd) && hung_up[fd] && fault_tracked(fd)) {
		raise(SIGPIPE);
		errno = EPIPE;
		return -1;
	}
	ssize_t r = real_write(fd, buf, n);
	if (r < 0 && errno == EPIPE && in_range(fd))
		hung_up[fd] = 1;
	return r;
}

int close(int fd)
{
	REAL(int, close, int);
	if (in_range(fd))
		hung_up[fd] = 0;
	return real_close(fd);
}
#endif
