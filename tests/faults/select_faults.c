/* Mutants on select/pselect, chosen at build time; each models a real
 * emulator or libc shortcut.  They act only when every descriptor in the sets
 * is a pipe under test.
 *   ALWAYS_READY      non-socket descriptors always reported ready (S1)
 *   FROM_BYTES        readiness computed from the byte count: readable when
 *                     bytes are queued, writable when bytes are free; hang-up
 *                     and a missing reader are not looked at (S1)
 *   READ_AS_PRIORITY  the read set mapped to POLLPRI instead of POLLIN (S1)
 *   WRITE_AS_PRIORITY the write set mapped to POLLWRBAND instead of POLLOUT (S1)
 *   RACY_PSELECT      pselect as sigprocmask + select + sigprocmask: a pending
 *                     signal is delivered before the wait starts (S1) */
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <unistd.h>

#include "fault.h"

static bool all_tracked(int n, const fd_set *r, const fd_set *w, const fd_set *e)
{
	bool any = false;
	for (int fd = 0; fd < n; fd++) {
		bool in = (r && FD_ISSET(fd, r)) || (w && FD_ISSET(fd, w)) || (e && FD_ISSET(fd, e));
		if (in && !fault_tracked(fd))
			return false;
		any = any || in;
	}
	return any;
}

#if defined(ALWAYS_READY) || defined(FROM_BYTES) || defined(READ_AS_PRIORITY) || defined(WRITE_AS_PRIORITY)
static bool is_ready(int fd, bool for_write)
{
#if defined(ALWAYS_READY)
	(void)fd;
	(void)for_write;
	return true;
#elif defined(FROM_BYTES)
	int queued = 0;
	int size = fcntl(fd, F_GETPIPE_SZ);
	if (ioctl(fd, FIONREAD, &queued) != 0)
		return false;
	return for_write ? size - queued > 0 : queued > 0;
#elif defined(READ_AS_PRIORITY)
	struct pollfd p = { .fd = fd, .events = for_write ? POLLOUT : POLLPRI };
	if (poll(&p, 1, 0) != 1)
		return false;
	return (p.revents & (for_write ? POLLOUT | POLLERR : POLLPRI | POLLHUP | POLLERR)) != 0;
#else
	struct pollfd p = { .fd = fd, .events = for_write ? POLLWRBAND : POLLIN };
	if (poll(&p, 1, 0) != 1)
		return false;
	return (p.revents & (for_write ? POLLWRBAND | POLLERR : POLLIN | POLLHUP | POLLERR)) != 0;
#endif
}

/* A zero-timeout answer from the model (the cases ask with timeout 0). */
static int model(int n, fd_set *r, fd_set *w, fd_set *e)
{
	int count = 0;
	for (int fd = 0; fd < n; fd++) {
		if (r && FD_ISSET(fd, r)) {
			if (is_ready(fd, false))
				count++;
			else
				FD_CLR(fd, r);
		}
		if (w && FD_ISSET(fd, w)) {
			if (is_ready(fd, true))
				count++;
			else
				FD_CLR(fd, w);
		}
	}
	if (e)
		FD_ZERO(e);
	return count;
}

int select(int n, fd_set *r, fd_set *w, fd_set *e, struct timeval *t)
{
	REAL(int, select, int, fd_set *, fd_set *, fd_set *, struct timeval *);
	if (!t || t->tv_sec || t->tv_usec || !all_tracked(n, r, w, e))
		return real_select(n, r, w, e, t);
	return model(n, r, w, e);
}

int pselect(int n, fd_set *r, fd_set *w, fd_set *e, const struct timespec *t, const sigset_t *m)
{
	REAL(int, pselect, int, fd_set *, fd_set *, fd_set *, const struct timespec *, const sigset_t *);
	if (!t || t->tv_sec || t->tv_nsec || !all_tracked(n, r, w, e))
		return real_pselect(n, r, w, e, t, m);
	return model(n, r, w, e);
}
#elif defined(RACY_PSELECT)
int pselect(int n, fd_set *r, fd_set *w, fd_set *e, const struct timespec *t, const sigset_t *m)
{
	REAL(int, pselect, int, fd_set *, fd_set *, fd_set *, const struct timespec *, const sigset_t *);
	if (!m || !all_tracked(n, r, w, e))
		return real_pselect(n, r, w, e, t, m);
	sigset_t old;
	struct timeval tv, *tp = NULL;
	if (t) {
		tv.tv_sec = t->tv_sec;
		tv.tv_usec = t->tv_nsec / 1000;
		tp = &tv;
	}
	sigprocmask(SIG_SETMASK, m, &old);
	int ret = select(n, r, w, e, tp);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return ret;
}
#endif
