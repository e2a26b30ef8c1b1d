/* Mutant: reading the write end returns 0 and writing the read end "writes",
 * instead of EBADF.  Breaks rules J3, C5 (Linux pipes are one-way). */
#include <errno.h>
#include <unistd.h>

#include "fault.h"

ssize_t read(int fd, void *buf, size_t n)
{
	REAL(ssize_t, read, int, void *, size_t);
	ssize_t r = real_read(fd, buf, n);
	return r < 0 && errno == EBADF && fault_tracked(fd) ? 0 : r;
}

ssize_t write(int fd, const void *buf, size_t n)
{
	REAL(ssize_t, write, int, const void *, size_t);
	ssize_t r = real_write(fd, buf, n);
	return r < 0 && errno == EBADF && fault_tracked(fd) ? (ssize_t)n : r;
}
