/* Mutant: read() at end of file fails with EIO instead of returning 0.
 * Breaks rule B (EOF when every writer is gone). */
#include <errno.h>
#include <unistd.h>

#include "fault.h"

ssize_t read(int fd, void *buf, size_t n)
{
	REAL(ssize_t, read, int, void *, size_t);
	ssize_t r = real_read(fd, buf, n);
	if (r == 0 && n > 0 && fault_tracked(fd)) {
		errno = EIO;
		return -1;
	}
	return r;
}
