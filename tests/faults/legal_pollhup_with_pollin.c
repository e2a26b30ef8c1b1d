/* Legal model, not a mutant: poll() on a read end whose writers have all gone
 * reports POLLIN together with POLLHUP (a read returns 0 without blocking).
 * POSIX poll(): POLLHUP and POLLIN "are not mutually-exclusive", so every
 * posix case must pass; the linux table of revents may not. */
#include <poll.h>

#include "fault.h"

int poll(struct pollfd *fds, nfds_t n, int timeout)
{
	REAL(int, poll, struct pollfd *, nfds_t, int);
	int r = real_poll(fds, n, timeout);
	for (nfds_t i = 0; r > 0 && i < n; i++)
		if (fault_tracked(fds[i].fd) && (fds[i].revents & POLLHUP) && (fds[i].events & POLLIN))
			fds[i].revents |= POLLIN;
	return r;
}
