/* Mutant: interrupted pipe reads and writes are silently restarted, as if
 * every handler had SA_RESTART.  Breaks rule L (EINTR without SA_RESTART). */
#include <errno.h>
#include <unistd.h>

#include "fault.h"

ssize_t read(int fd, void *buf, size_t n)
{
	REAL(ssize_t, read, int, void *, size_t);
	ssize_t r;
	do
		r = real_read(fd, buf, n);
	while (r < 0 && errno == EINTR && fault_tracked(fd));
	return r;
}

ssize_t write(int fd, const void *buf, size_t n)
{
	REAL(ssize_t, write, int, const void *, size_t);
	ssize_t r;
	do
		r = real_write(fd, buf, n);
	while (r < 0 && errno == EINTR && fault_tracked(fd));
	return r;
}
