/* Mutant: a blocking read on an empty pipe returns 0 (EOF) at once, although
 * a writer is still open.  Breaks rule B ("blocks") and E1. */
#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "fault.h"

ssize_t read(int fd, void *buf, size_t n)
{
	REAL(ssize_t, read, int, void *, size_t);
	int avail = -1;
	if (fault_tracked(fd) && n > 0 && !(fcntl(fd, F_GETFL) & O_NONBLOCK) && ioctl(fd, FIONREAD, &avail) == 0 && avail == 0)
		return 0;
	return real_read(fd, buf, n);
}
