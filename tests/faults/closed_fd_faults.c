/* Mutants on calls given a pipe descriptor already closed, chosen at build
 * time; each is an emulator whose handle table skips unknown entries (K, J3).
 *   POLL_SKIPS_CLOSED   poll leaves a closed descriptor's revents at 0
 *   SELECT_SKIPS_CLOSED select ignores closed descriptors instead of EBADF
 *   CLOSE_TWICE_OK      a second close of a pipe descriptor returns 0
 *   POLL_NEGATIVE_NVAL  poll validates every entry: a negative fd beside a
 *                       pipe gets POLLNVAL and is counted */
#include <errno.h>
#include <poll.h>
#include <sys/select.h>
#include <unistd.h>

#include "fault.h"

#define MAXFD 1024
static unsigned char closed_pipe[MAXFD]; /* closed here after being a pipe end */

static bool was_pipe(int fd) { return fd >= 0 && fd < MAXFD && closed_pipe[fd]; }

int close(int fd)
{
	REAL(int, close, int);
	bool pipe_end = fault_tracked(fd);
	int r = real_close(fd);
#if defined(CLOSE_TWICE_OK)
	if (r < 0 && errno == EBADF && was_pipe(fd))
		return 0;
#endif
	if (fd >= 0 && fd < MAXFD && (pipe_end || r == 0))
		closed_pipe[fd] = pipe_end || closed_pipe[fd];
	return r;
}

#if defined(POLL_SKIPS_CLOSED)
int poll(struct pollfd *fds, nfds_t n, int timeout)
{
	REAL(int, poll, struct pollfd *, nfds_t, int);
	int r = real_poll(fds, n, timeout);
	for (nfds_t i = 0; r > 0 && i < n; i++)
		if (fds[i].revents == POLLNVAL && was_pipe(fds[i].fd)) {
			fds[i].revents = 0;
			r--;
		}
	return r;
}
#elif defined(POLL_NEGATIVE_NVAL)
int poll(struct pollfd *fds, nfds_t n, int timeout)
{
	REAL(int, poll, struct pollfd *, nfds_t, int);
	bool pipes = false;
	(void)was_pipe;
	for (nfds_t i = 0; i < n; i++)
		pipes = pipes || fault_tracked(fds[i].fd);
	int r = real_poll(fds, n, timeout);
	for (nfds_t i = 0; pipes && r >= 0 && i < n; i++)
		if (fds[i].fd < 0) {
			fds[i].revents = POLLNVAL;
			r++;
		}
	return r;
}
#elif defined(SELECT_SKIPS_CLOSED)
int select(int n, fd_set *r, fd_set *w, fd_set *e, struct timeval *t)
{
	REAL(int, select, int, fd_set *, fd_set *, fd_set *, struct timeval *);
	int ret = real_select(n, r, w, e, t);
	if (ret < 0 && errno == EBADF) {
		for (int fd = 0; fd < n && fd < MAXFD; fd++)
			if (was_pipe(fd)) {
				if (r)
					FD_CLR(fd, r);
				if (w)
					FD_CLR(fd, w);
				if (e)
					FD_CLR(fd, e);
			}
		ret = real_select(n, r, w, e, t);
	}
	return ret;
}
#endif
