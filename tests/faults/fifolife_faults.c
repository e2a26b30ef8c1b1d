/* Mutants on FIFO open and lifetime, chosen at build time; each is an
 * emulator that models FIFOs by their names (H, E, S6).
 *   RDWR_REJECTED    open(O_RDWR) of a FIFO fails with EINVAL (POSIX leaves
 *                    it undefined; Linux allows it)
 *   IO_BY_PATH       each read/write looks the FIFO up by the name it was
 *                    opened with: ENOENT once the name is gone
 *   READERS_AS_FLAG  "has a reader" is a flag, cleared by any reader's close,
 *                    so a write fails with EPIPE while other readers remain
 *   KEEPS_DATA       the FIFO's bytes are kept with its name: what a closing
 *                    reader left unread comes back to the next reader */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fault.h"

#define MAXFD 1024
static char *name[MAXFD];      /* the path a FIFO descriptor was opened by */
static ino_t readerless[64];   /* FIFOs whose reader flag was cleared */
static int nreaderless;

#if defined(KEEPS_DATA)
static struct {
	ino_t ino;
	char bytes[64];
	ssize_t n;
} kept;
#endif

static bool fifo_path(const char *path, struct stat *st)
{
	return stat(path, st) == 0 && S_ISFIFO(st->st_mode);
}

static void set_readerless(ino_t ino, bool on)
{
	for (int i = 0; i < nreaderless; i++)
		if (readerless[i] == ino) {
			if (!on)
				readerless[i] = readerless[--nreaderless];
			return;
		}
	if (on && nreaderless < 64)
		readerless[nreaderless++] = ino;
}

int open(const char *path, int flags, ...)
{
	REAL(int, open, const char *, int, ...);
	mode_t mode;
	FAULT_OPEN_MODE(mode, flags);
	struct stat st;
	bool fifo = fifo_path(path, &st);
#if defined(RDWR_REJECTED)
	if (fifo && (flags & O_ACCMODE) == O_RDWR) {
		errno = EINVAL;
		return -1;
	}
#endif
	int fd = real_open(path, flags, mode);
	fault_track_if_fifo(fd);
	if (fd >= 0 && fd < MAXFD && fifo) {
		free(name[fd]);
		name[fd] = strdup(path);
		if ((flags & O_ACCMODE) != O_WRONLY)
			set_readerless(st.st_ino, false);
	}
	return fd;
}

int open64(const char *path, int flags, ...) __attribute__((alias("open")));

int close(int fd)
{
	REAL(int, close, int);
	struct stat st;
	int acc = fcntl(fd, F_GETFL) & O_ACCMODE;
	if (fd >= 0 && fd < MAXFD && name[fd]) {
#if defined(READERS_AS_FLAG)
		if (acc == O_RDONLY && fstat(fd, &st) == 0)
			set_readerless(st.st_ino, true);
#elif defined(KEEPS_DATA)
		if (acc == O_RDONLY && fstat(fd, &st) == 0) {
			REAL(ssize_t, read, int, void *, size_t);
			int fl = fcntl(fd, F_GETFL);
			fcntl(fd, F_SETFL, fl | O_NONBLOCK);
			ssize_t n = real_read(fd, kept.bytes, sizeof kept.bytes);
			if (n > 0) {
				kept.ino = st.st_ino;
				kept.n = n;
			}
		}
#else
		(void)acc;
		(void)st;
#endif
		free(name[fd]);
		name[fd] = NULL;
	}
	return real_close(fd);
}

/* The emulator's check before each transfer: 0, or the errno it fails with. */
static int lookup(int fd)
{
	struct stat st, by_name;
	if (fd < 0 || fd >= MAXFD || !name[fd] || !fault_tracked(fd) || fstat(fd, &st) != 0)
		return 0;
#if defined(IO_BY_PATH)
	if (stat(name[fd], &by_name) != 0 || by_name.st_ino != st.st_ino)
		return ENOENT;
#elif defined(READERS_AS_FLAG)
	(void)by_name;
	for (int i = 0; i < nreaderless; i++)
		if (readerless[i] == st.st_ino && (fcntl(fd, F_GETFL) & O_ACCMODE) == O_WRONLY)
			return EPIPE;
#else
	(void)by_name;
#endif
	return 0;
}

ssize_t write(int fd, const void *buf, size_t n)
{
	REAL(ssize_t, write, int, const void *, size_t);
	int e = lookup(fd);
	if (e == EPIPE)
		raise(SIGPIPE);
	if (e) {
		errno = e;
		return -1;
	}
	return real_write(fd, buf, n);
}

ssize_t read(int fd, void *buf, size_t n)
{
	REAL(ssize_t, read, int, void *, size_t);
#if defined(KEEPS_DATA)
	struct stat st;
	if (kept.n > 0 && n > 0 && fd >= 0 && fd < MAXFD && name[fd] && fstat(fd, &st) == 0 && st.st_ino == kept.ino) {
		size_t k = (size_t)kept.n < n ? (size_t)kept.n : n;
		memcpy(buf, kept.bytes, k);
		memmove(kept.bytes, kept.bytes + k, (size_t)kept.n - k);
		kept.n -= (ssize_t)k;
		return (ssize_t)k;
	}
#endif
	int e = lookup(fd);
	if (e && e != EPIPE) {
		errno = e;
		return -1;
	}
	return real_read(fd, buf, n);
}
