/* Mutants on non-blocking writes, chosen at build time (C, F4, S5).
 *   SMALL_PARTIAL  a byte-counting ring buffer: a write of n <= PIPE_BUF that
 *                  does not fit writes the bytes that are free
 *   LARGE_WHOLE    every non-blocking write all or nothing, also above
 *                  PIPE_BUF: a large write that does not fit gives EAGAIN
 *   CHUNKED        a shim with a 512-byte bounce buffer: a non-blocking
 *                  write goes out chunk by chunk and returns what went in
 *                  before the first EAGAIN, so a PIPE_BUF write can be
 *                  split where the pipe has room for part of it */
#include <errno.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "fault.h"

static long free_bytes(int fd)
{
	int queued = 0;
	long size = fcntl(fd, F_GETPIPE_SZ);
	return ioctl(fd, FIONREAD, &queued) == 0 && size > 0 ? size - queued : -1;
}

ssize_t write(int fd, const void *buf, size_t n)
{
	REAL(ssize_t, write, int, const void *, size_t);
	if (!fault_tracked(fd) || !(fcntl(fd, F_GETFL) & O_NONBLOCK))
		return real_write(fd, buf, n);
	long room = free_bytes(fd);
#if defined(CHUNKED)
	enum { CHUNK = 512 };
	(void)room;
	size_t done = 0;
	while (done < n) {
		ssize_t r = real_write(fd, (const char *)buf + done, n - done < CHUNK ? n - done : CHUNK);
		if (r < 0)
			return done > 0 ? (ssize_t)done : r;
		done += (size_t)r;
	}
	return (ssize_t)done;
#elif defined(SMALL_PARTIAL)
	ssize_t r = real_write(fd, buf, n);
	if (r < 0 && errno == EAGAIN && n <= 4096 && room > 0)
		return real_write(fd, buf, (size_t)room);
	return r;
#else
	if (n > 4096 && room >= 0 && (size_t)room < n) {
		errno = EAGAIN;
		return -1;
	}
	return real_write(fd, buf, n);
#endif
}
