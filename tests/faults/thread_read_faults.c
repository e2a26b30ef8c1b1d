/* Mutants: a libc (or user-space thread runtime) that serialises reads per
 * descriptor with a try-lock, assuming one reader per descriptor: a read on
 * a pipe that another thread of the process is already reading does not
 * wait its turn (S8):
 *   BUSY_EAGAIN  it fails with EAGAIN, as if the descriptor were non-blocking
 *   BUSY_EOF     it returns 0, which the caller takes for end of file */
#include <errno.h>
#include <stdatomic.h>
#include <unistd.h>

#include "fault.h"

#define MAXFD 1024
static atomic_int reading[MAXFD];

ssize_t read(int fd, void *buf, size_t n)
{
	REAL(ssize_t, read, int, void *, size_t);
	if (fd < 0 || fd >= MAXFD || !fault_tracked(fd))
		return real_read(fd, buf, n);
	int idle = 0;
	if (!atomic_compare_exchange_strong(&reading[fd], &idle, 1)) {
#if defined(BUSY_EOF)
		return 0;
#else
		errno = EAGAIN;
		return -1;
#endif
	}
	ssize_t r = real_read(fd, buf, n);
	int e = errno;
	reading[fd] = 0;
	errno = e;
	return r;
}
