/* Mutants on poll, chosen at build time: one revents bit never reported.
 *   DROP_POLLHUP  hang-up not reported (rule K)
 *   DROP_POLLERR  no-reader error not reported (rule K, K1) */
#include <poll.h>

#include "fault.h"

int poll(struct pollfd *fds, nfds_t n, int timeout)
{
	REAL(int, poll, struct pollfd *, nfds_t, int);
	int r = real_poll(fds, n, timeout);
	for (nfds_t i = 0; r > 0 && i < n; i++) {
		if (!fault_tracked(fds[i].fd))
			continue;
#if defined(DROP_POLLHUP)
		fds[i].revents &= ~POLLHUP;
#elif defined(DROP_POLLERR)
		fds[i].revents &= ~POLLERR;
#endif
	}
	return r;
}
