/* Mutants on FIFO readers that come and go, chosen at build time (S6, D).
 *   EPIPE_STICKY  an emulator that treats a hung-up pipe as a final state of
 *                 the write end, like a shut-down socket: once a write got
 *                 EPIPE, every later write on that descriptor fails with
 *                 EPIPE (and SIGPIPE) without asking the kernel, so a reader
 *                 that opens later is never written to
 *   READERS_FLAG_SHARED  an emulator that shares a FIFO's state between
 *                 processes through a file next to it ("<path>.readers"),
 *                 holding whether it has a reader as a flag, not a count:
 *                 set by a reader's open, cleared by any reader's close, so
 *                 the writer gets EPIPE while other readers' processes still
 *                 hold the FIFO open */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fault.h"

#if defined(EPIPE_STICKY)
#define MAXFD 1024
static unsigned char hung_up[MAXFD];

static bool in_range(int fd) { return fd >= 0 && fd < MAXFD; }

ssize_t write(int fd, const void *buf, size_t n)
{
	REAL(ssize_t, write, int, const void *, size_t);
	if (in_range(fd) && hung_up[fd] && fault_tracked(fd)) {
		raise(SIGPIPE);
		errno = EPIPE;
		return -1;
	}
	ssize_t r = real_write(fd, buf, n);
	if (r < 0 && errno == EPIPE && in_range(fd))
		hung_up[fd] = 1;
	return r;
}

int close(int fd)
{
	REAL(int, close, int);
	if (in_range(fd))
		hung_up[fd] = 0;
	return real_close(fd);
}
#elif defined(READERS_FLAG_SHARED)
#define MAXFD 1024
static char *fifo_name[MAXFD]; /* the path a FIFO descriptor was opened by */

static bool in_range(int fd) { return fd >= 0 && fd < MAXFD; }

/* The shared flag: the side file holds "1" while the FIFO has a reader. */
static void set_flag(const char *path, bool reader)
{
	REAL(int, open, const char *, int, ...);
	REAL(ssize_t, write, int, const void *, size_t);
	REAL(int, close, int);
	char side[600];
	snprintf(side, sizeof side, "%s.readers", path);
	int fd = real_open(side, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0)
		return;
	if (reader)
		(void)real_write(fd, "1", 1);
	real_close(fd);
}

static bool flag_cleared(const char *path)
{
	char side[600];
	struct stat st;
	snprintf(side, sizeof side, "%s.readers", path);
	return stat(side, &st) == 0 && st.st_size == 0;
}

int open(const char *path, int flags, ...)
{
	REAL(int, open, const char *, int, ...);
	mode_t mode;
	FAULT_OPEN_MODE(mode, flags);
	struct stat st;
	bool fifo = stat(path, &st) == 0 && S_ISFIFO(st.st_mode);
	int fd = real_open(path, flags, mode);
	if (fd >= 0 && fifo && in_range(fd)) {
		free(fifo_name[fd]);
		fifo_name[fd] = strdup(path);
		if ((flags & O_ACCMODE) != O_WRONLY)
			set_flag(path, true);
	}
	return fd;
}

int open64(const char *path, int flags, ...) __attribute__((alias("open")));

int close(int fd)
{
	REAL(int, close, int);
	if (in_range(fd) && fifo_name[fd]) {
		if ((fcntl(fd, F_GETFL) & O_ACCMODE) != O_WRONLY)
			set_flag(fifo_name[fd], false);
		free(fifo_name[fd]);
		fifo_name[fd] = NULL;
	}
	return real_close(fd);
}

ssize_t write(int fd, const void *buf, size_t n)
{
	REAL(ssize_t, write, int, const void *, size_t);
	if (in_range(fd) && fifo_name[fd] && flag_cleared(fifo_name[fd])) {
		raise(SIGPIPE);
		errno = EPIPE;
		return -1;
	}
	return real_write(fd, buf, n);
}
#endif
