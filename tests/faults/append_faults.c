/* Mutants on O_APPEND for pipes and FIFOs, chosen at build time; each is an
 * emulator that models O_APPEND for regular files only (rule J).
 *   APPEND_REJECTED  F_SETFL with O_APPEND on a pipe or FIFO fails with
 *                    EINVAL ("append needs a file size")
 *   APPEND_SEEKS     a write on a descriptor with O_APPEND first seeks to the
 *                    end, and fails as the seek does: ESPIPE on a pipe */
#include <errno.h>
#include <unistd.h>

#include "fault.h"

#if defined(APPEND_REJECTED)
int fcntl(int fd, int cmd, ...)
{
	REAL(int, fcntl, int, int, ...);
	long arg;
	FAULT_FCNTL_ARG(arg, cmd);
	if (cmd == F_SETFL && (arg & O_APPEND) && fault_tracked(fd)) {
		errno = EINVAL;
		return -1;
	}
	return real_fcntl(fd, cmd, arg);
}
#elif defined(APPEND_SEEKS)
ssize_t write(int fd, const void *buf, size_t n)
{
	REAL(ssize_t, write, int, const void *, size_t);
	int fl = fcntl(fd, F_GETFL);
	if (fl >= 0 && (fl & O_APPEND) && lseek(fd, 0, SEEK_END) < 0)
		return -1;
	return real_write(fd, buf, n);
}
#endif
