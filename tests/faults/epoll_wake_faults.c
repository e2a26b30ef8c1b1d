/* Mutant: EPOLLEXCLUSIVE done as an emulator might do it, acting only on
 * registrations of pipes under test (S2):
 *   ONE_TARGET  each event on the pipe goes to one epoll instance chosen once
 *               (the first to add the pipe with EPOLLEXCLUSIVE), whether or
 *               not anybody still waits on it.  The kernel hands it to an
 *               instance that has a sleeper (fs/eventpoll.c checks the wait
 *               queue), so once the chosen waiter is gone a write wakes none
 *               of the waiters still asleep.
 * The choice is shared between the waiting processes the way a real one
 * would be, by the pipe itself: the chooser holds a flock on its own open
 * of the pipe until it exits; the others' registrations are accepted but
 * never reach the pipe (they are removed at once). */
#include <stdio.h>
#include <sys/epoll.h>
#include <sys/file.h>
#include <unistd.h>

#include "fault.h"

/* Whether this process is (now) the pipe's chosen exclusive target. */
static bool chosen(int fd)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	int own = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (own < 0)
		return true; /* cannot tell: behave */
	if (flock(own, LOCK_EX | LOCK_NB) == 0)
		return true; /* `own` stays open: the choice holds until exit */
	close(own);
	return false;
}

int epoll_ctl(int ep, int op, int fd, struct epoll_event *e)
{
	REAL(int, epoll_ctl, int, int, int, struct epoll_event *);
	int r = real_epoll_ctl(ep, op, fd, e);
	if (r != 0 || op != EPOLL_CTL_ADD || !e || !(e->events & EPOLLEXCLUSIVE) || !fault_tracked(fd) || chosen(fd))
		return r;
	real_epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL);
	return 0;
}
