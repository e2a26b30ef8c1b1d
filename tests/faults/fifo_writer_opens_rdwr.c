/* Mutant: a FIFO opened for writing is opened O_RDWR underneath, so the
 * open never waits for a reader (a common trick to "avoid the hang").  The
 * writer is then a reader of its own FIFO too.  POSIX open(): without
 * O_NONBLOCK, "an open() for writing-only shall block the calling thread
 * until a thread opens the file for reading"; and a write with no reader
 * must fail with EPIPE, which a writer that is its own reader never sees. */
#include <fcntl.h>
#include <unistd.h>

#include "fault.h"

int open(const char *path, int flags, ...)
{
	REAL(int, open, const char *, int, ...);
	mode_t mode;
	FAULT_OPEN_MODE(mode, flags);
	if ((flags & O_ACCMODE) == O_WRONLY && fault_fifo_path(path))
		flags = (flags & ~O_ACCMODE) | O_RDWR;
	return real_open(path, flags, mode);
}
