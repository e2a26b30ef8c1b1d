/* Mutant: lseek, pread and pwrite on a pipe pretend to work.  Breaks rule J1. */
#include <unistd.h>

#include "fault.h"

off_t lseek(int fd, off_t off, int whence)
{
	REAL(off_t, lseek, int, off_t, int);
	return fault_tracked(fd) ? 0 : real_lseek(fd, off, whence);
}

ssize_t pread(int fd, void *buf, size_t n, off_t off)
{
	REAL(ssize_t, pread, int, void *, size_t, off_t);
	return fault_tracked(fd) ? read(fd, buf, n) : real_pread(fd, buf, n, off);
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
	REAL(ssize_t, pwrite, int, const void *, size_t, off_t);
	return fault_tracked(fd) ? write(fd, buf, n) : real_pwrite(fd, buf, n, off);
}
