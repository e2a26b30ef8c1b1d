/* Mutants on epoll, chosen at build time; each models an emulator's or a
 * young kernel's shortcut, acting only on registrations of pipes under test.
 *   NO_HUP            EPOLLHUP never reported (S2)
 *   NO_ERR            EPOLLERR never reported (S2)
 *   LT_AS_ET          every registration edge-triggered (S2, level rules)
 *   ET_AS_LT          EPOLLET ignored: edges reported as levels (S2)
 *   ONESHOT_IGNORED   EPOLLONESHOT ignored (S2)
 *   EXCLUSIVE_IGNORED EPOLLEXCLUSIVE taken as a hint and dropped, so the
 *                     combinations epoll_ctl(2) forbids are accepted (S2)
 *   OUT_FROM_BYTES    EPOLLOUT whenever any byte is free, counted in bytes
 *                     rather than in the kernel's page slots (S2, K) */
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>

#include "fault.h"

/* The user data of registrations on pipes under test. */
#define MAXREG 256
static struct {
	uint64_t u;
	int ep, fd;
	uint32_t events;
} reg[MAXREG];
static int nreg;

static int registered(uint64_t u)
{
	for (int i = 0; i < nreg; i++)
		if (reg[i].u == u)
			return i;
	return -1;
}

int epoll_ctl(int ep, int op, int fd, struct epoll_event *e)
{
	REAL(int, epoll_ctl, int, int, int, struct epoll_event *);
	if (!fault_tracked(fd) || !e)
		return real_epoll_ctl(ep, op, fd, e);
	int i = registered(e->data.u64);
	if (i < 0 && nreg < MAXREG)
		i = nreg++;
	if (i >= 0) {
		reg[i].u = e->data.u64;
		reg[i].ep = ep;
		reg[i].fd = fd;
		reg[i].events = e->events;
	}
	struct epoll_event m = *e;
#if defined(LT_AS_ET)
	m.events |= EPOLLET;
#elif defined(ET_AS_LT)
	m.events &= ~(uint32_t)EPOLLET;
#elif defined(ONESHOT_IGNORED)
	m.events &= ~(uint32_t)EPOLLONESHOT;
#elif defined(EXCLUSIVE_IGNORED)
	m.events &= ~(uint32_t)EPOLLEXCLUSIVE;
#endif
	return real_epoll_ctl(ep, op, fd, &m);
}

int epoll_wait(int ep, struct epoll_event *ev, int max, int timeout)
{
	REAL(int, epoll_wait, int, struct epoll_event *, int, int);
	int n = real_epoll_wait(ep, ev, max, timeout);
	for (int i = 0; i < n; i++) {
		if (registered(ev[i].data.u64) < 0)
			continue;
#if defined(NO_HUP)
		ev[i].events &= ~(uint32_t)EPOLLHUP;
#elif defined(NO_ERR)
		ev[i].events &= ~(uint32_t)EPOLLERR;
#endif
	}
#if defined(OUT_FROM_BYTES)
	for (int i = 0; n >= 0 && i < nreg && n < max; i++) {
		int queued = 0, size = fcntl(reg[i].fd, F_GETPIPE_SZ);
		bool listed = false;
		for (int j = 0; j < n; j++)
			listed = listed || ev[j].data.u64 == reg[i].u;
		if (reg[i].ep != ep || listed || !(reg[i].events & EPOLLOUT) || !fault_tracked(reg[i].fd) ||
		    ioctl(reg[i].fd, FIONREAD, &queued) != 0 || size - queued <= 0)
			continue;
		ev[n].events = EPOLLOUT;
		ev[n].data.u64 = reg[i].u;
		n++;
	}
#endif
	return n;
}
