/* Mutant: a non-blocking read with no writer left gives EAGAIN instead of 0
 * (EOF).  Breaks rule G3 / B. */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "fault.h"

ssize_t read(int fd, void *buf, size_t n)
{
	REAL(ssize_t, read, int, void *, size_t);
	ssize_t r = real_read(fd, buf, n);
	if (r == 0 && n > 0 && fault_tracked(fd) && (fcntl(fd, F_GETFL) & O_NONBLOCK)) {
		errno = EAGAIN;
		return -1;
	}
	return r;
}
