/* Mutant: O_NONBLOCK is ignored by read and write on pipes: they block as if
 * it were clear.  Breaks rule G (EAGAIN).  The deadline must contain it. */
#include <fcntl.h>
#include <unistd.h>

#include "fault.h"

static int cleared(int fd)
{
	int fl = fcntl(fd, F_GETFL);
	if (fl >= 0 && (fl & O_NONBLOCK))
		fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	return fl;
}

ssize_t read(int fd, void *buf, size_t n)
{
	REAL(ssize_t, read, int, void *, size_t);
	if (fault_tracked(fd))
		cleared(fd);
	return real_read(fd, buf, n);
}

ssize_t write(int fd, const void *buf, size_t n)
{
	REAL(ssize_t, write, int, const void *, size_t);
	if (fault_tracked(fd))
		cleared(fd);
	return real_write(fd, buf, n);
}
