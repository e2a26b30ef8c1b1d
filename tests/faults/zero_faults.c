/* Mutants on zero-length read and write, chosen at build time; each is a
 * ring-buffer implementation that looks at the pipe's state before the
 * length (S4).
 *   READ0_CHECKS_EMPTY  read(fd, b, 0) waits for data like any read, and
 *                       gives EAGAIN when empty and non-blocking
 *   READ0_TAKES_A_BYTE  read(fd, b, 0) "makes progress": consumes one byte
 *   WRITE0_CHECKS_READER write(fd, b, 0) with no reader: SIGPIPE and EPIPE
 *   WRITE0_WAITS_ROOM   write(fd, b, 0) waits for room like any write
 *   WRITE0_EMPTY_RECORD write(fd, b, 0) queues an empty record that the next
 *                       read returns as 0 (message-mode pipes) */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fault.h"

#if !defined(WRITE0_EMPTY_RECORD)
static short state(int fd, short events, int timeout)
{
	struct pollfd p = { .fd = fd, .events = events };
	return poll(&p, 1, timeout) == 1 ? p.revents : 0;
}
#endif

#if defined(READ0_CHECKS_EMPTY) || defined(READ0_TAKES_A_BYTE)
ssize_t read(int fd, void *buf, size_t n)
{
	REAL(ssize_t, read, int, void *, size_t);
	if (!fault_tracked(fd) || n != 0)
		return real_read(fd, buf, n);
#if defined(READ0_CHECKS_EMPTY)
	if (!state(fd, POLLIN, 0)) {
		if (fcntl(fd, F_GETFL) & O_NONBLOCK) {
			errno = EAGAIN;
			return -1;
		}
		state(fd, POLLIN, -1);
	}
#else
	char scratch;
	if (state(fd, POLLIN, 0) & POLLIN)
		return real_read(fd, &scratch, 1) < 0 ? -1 : 0;
#endif
	return real_read(fd, buf, 0);
}
#elif defined(WRITE0_CHECKS_READER) || defined(WRITE0_WAITS_ROOM)
ssize_t write(int fd, const void *buf, size_t n)
{
	REAL(ssize_t, write, int, const void *, size_t);
	if (!fault_tracked(fd) || n != 0)
		return real_write(fd, buf, n);
#if defined(WRITE0_CHECKS_READER)
	if (state(fd, POLLOUT, 0) & POLLERR) {
		raise(SIGPIPE);
		errno = EPIPE;
		return -1;
	}
#else
	if (!(fcntl(fd, F_GETFL) & O_NONBLOCK))
		state(fd, POLLOUT, -1);
#endif
	return real_write(fd, buf, 0);
}
#elif defined(WRITE0_EMPTY_RECORD)
/* The pipes (by inode) holding an empty record, in this process. */
static ino_t record[64];
static int nrecord;

static ino_t ino(int fd)
{
	struct stat st;
	return fstat(fd, &st) == 0 ? st.st_ino : 0;
}

ssize_t write(int fd, const void *buf, size_t n)
{
	REAL(ssize_t, write, int, const void *, size_t);
	if (fault_tracked(fd) && n == 0 && nrecord < 64)
		record[nrecord++] = ino(fd);
	return real_write(fd, buf, n);
}

ssize_t read(int fd, void *buf, size_t n)
{
	REAL(ssize_t, read, int, void *, size_t);
	if (fault_tracked(fd) && n > 0) {
		ino_t i = ino(fd);
		for (int k = 0; k < nrecord; k++)
			if (record[k] == i) {
				record[k] = record[--nrecord];
				return 0;
			}
	}
	return real_read(fd, buf, n);
}
#endif
