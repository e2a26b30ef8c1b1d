/* Mutant: end of file never comes: where read would return 0, it sleeps
 * forever instead (the case's deadline must contain it).  Breaks rule B/E1. */
#include <signal.h>
#include <unistd.h>

#include "fault.h"

ssize_t read(int fd, void *buf, size_t n)
{
	REAL(ssize_t, read, int, void *, size_t);
	ssize_t r = real_read(fd, buf, n);
	if (r == 0 && n > 0 && fault_tracked(fd)) {
		sigset_t none;
		sigemptyset(&none);
		for (;;)
			sigsuspend(&none);
	}
	return r;
}
