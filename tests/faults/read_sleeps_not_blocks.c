/* Mutant: an empty pipe's read() "waits" by sleeping in a loop instead of
 * blocking in read (as a user-space pipe that polls would).  The /proc proof
 * must see the actor asleep in nanosleep, not in read, and fail the case. */
#include <errno.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include "fault.h"

ssize_t read(int fd, void *buf, size_t n)
{
	REAL(ssize_t, read, int, void *, size_t);
	if (!fault_tracked(fd))
		return real_read(fd, buf, n);
	int fl = fcntl(fd, F_GETFL);
	if (fl < 0 || (fl & O_NONBLOCK))
		return real_read(fd, buf, n);
	fcntl(fd, F_SETFL, fl | O_NONBLOCK);
	ssize_t r;
	struct timespec tick = { 0, 20 * 1000 * 1000 };
	/* The sleep is the fault under test, not synchronisation. */
	while ((r = real_read(fd, buf, n)) < 0 && errno == EAGAIN)
		nanosleep(&tick, NULL);
	int e = errno;
	fcntl(fd, F_SETFL, fl);
	errno = e;
	return r;
}
