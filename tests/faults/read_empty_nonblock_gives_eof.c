/* Mutant: a non-blocking read on an empty pipe returns 0 instead of EAGAIN,
 * so "empty" looks like "hung up".  Breaks rule G3 / B. */
#include <errno.h>
#include <unistd.h>

#include "fault.h"

ssize_t read(int fd, void *buf, size_t n)
{
	REAL(ssize_t, read, int, void *, size_t);
	ssize_t r = real_read(fd, buf, n);
	if (r < 0 && errno == EAGAIN && fault_tracked(fd))
		return 0;
	return r;
}
