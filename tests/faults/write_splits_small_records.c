/* Mutant: a write of n <= PIPE_BUF is made as two writes with a pause
 * between, so other writers' data can land in the middle.  Breaks rule F2
 * (atomicity).  The pause is the fault, not synchronisation. */
#include <time.h>
#include <unistd.h>

#include "fault.h"

ssize_t write(int fd, const void *buf, size_t n)
{
	REAL(ssize_t, write, int, const void *, size_t);
	if (!fault_tracked(fd) || n < 2 || n > 4096)
		return real_write(fd, buf, n);
	ssize_t a = real_write(fd, buf, n / 2);
	if (a <= 0)
		return a;
	struct timespec gap = { 0, 2 * 1000 * 1000 };
	nanosleep(&gap, NULL);
	ssize_t b = real_write(fd, (const char *)buf + a, n - (size_t)a);
	return b < 0 ? a : a + b;
}
