/* Mutant: a non-blocking FIFO open for writing with no reader fails with
 * EAGAIN instead of ENXIO.  Breaks rule H. */
#include <errno.h>
#include <fcntl.h>

#include "fault.h"

int open(const char *path, int flags, ...)
{
	REAL(int, open, const char *, int, ...);
	mode_t mode;
	FAULT_OPEN_MODE(mode, flags);
	int fd = real_open(path, flags, mode);
	if (fd < 0 && errno == ENXIO)
		errno = EAGAIN;
	fault_track_if_fifo(fd);
	return fd;
}
