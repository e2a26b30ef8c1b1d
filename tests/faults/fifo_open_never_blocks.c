/* Mutant: opening a FIFO for reading never waits for a writer.  Breaks
 * rule H (O_RDONLY blocks until a writer opens). */
#include <fcntl.h>
#include <unistd.h>

#include "fault.h"

int open(const char *path, int flags, ...)
{
	REAL(int, open, const char *, int, ...);
	mode_t mode;
	FAULT_OPEN_MODE(mode, flags);
	if ((flags & O_ACCMODE) == O_RDONLY && !(flags & O_NONBLOCK) && fault_fifo_path(path)) {
		int fd = real_open(path, flags | O_NONBLOCK, mode);
		if (fd >= 0)
			fcntl(fd, F_SETFL, flags & ~O_ACCMODE);
		fault_track_if_fifo(fd);
		return fd;
	}
	int fd = real_open(path, flags, mode);
	fault_track_if_fifo(fd);
	return fd;
}
