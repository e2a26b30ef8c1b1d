/* Mutant: a write that the kernel ended early (interrupted, or the last
 * reader gone) is continued in a loop, hiding the short count.  Breaks rules
 * C4, L (a partial transfer returns the count written). */
#include <unistd.h>

#include "fault.h"

ssize_t write(int fd, const void *buf, size_t n)
{
	REAL(ssize_t, write, int, const void *, size_t);
	if (!fault_tracked(fd))
		return real_write(fd, buf, n);
	size_t done = 0;
	while (done < n) {
		ssize_t r = real_write(fd, (const char *)buf + done, n - done);
		if (r < 0)
			return done ? -1 : r; /* what it had written is lost to the caller */
		done += (size_t)r;
	}
	return (ssize_t)done;
}
