/* Mutant: a blocking write of n > 1 bytes transfers only half and returns
 * that count.  Breaks rule C ("writes n, returns n") and C4. */
#include <fcntl.h>
#include <unistd.h>

#include "fault.h"

ssize_t write(int fd, const void *buf, size_t n)
{
	REAL(ssize_t, write, int, const void *, size_t);
	if (fault_tracked(fd) && n > 1 && !(fcntl(fd, F_GETFL) & O_NONBLOCK))
		n /= 2;
	return real_write(fd, buf, n);
}
