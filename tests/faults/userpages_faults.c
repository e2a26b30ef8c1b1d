/* Mutants on the per-user pipe page limits (pipe-user-pages-soft/-hard),
 * chosen at build time.
 *   SIZE_FROM_TABLE  a pipe layer (an emulator, a sandbox) that keeps each
 *                    pipe's capacity itself: 16 pages when made, then what
 *                    F_SETPIPE_SZ set.  It never learns that the kernel made
 *                    a new pipe at the minimum size because its user was past
 *                    the soft limit, so F_GETPIPE_SZ says 65536 there.
 *   SOFT_AS_HARD     a sandbox that reads pipe-user-pages-soft as a cap: a
 *                    pipe the kernel made at less than 16 pages (the user is
 *                    past the soft limit) is closed again and pipe() fails
 *                    with ENFILE, as only the hard limit does. */
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fault.h"

enum { DEFAULT_BYTES = 16 * 4096 };

#if defined(SIZE_FROM_TABLE)
enum { SLOTS = 4096 };
static struct {
	dev_t dev;
	ino_t ino;
	int size;
} table[SLOTS];

/* The pipe's slot, by its inode (both ends share it); NULL: table full. */
static int *slot(int fd)
{
	REAL(int, fstat, int, struct stat *);
	struct stat st;
	if (real_fstat(fd, &st) != 0)
		return NULL;
	for (int i = 0; i < SLOTS; i++) {
		if (table[i].size == 0) {
			table[i].dev = st.st_dev;
			table[i].ino = st.st_ino;
			table[i].size = DEFAULT_BYTES;
		}
		if (table[i].dev == st.st_dev && table[i].ino == st.st_ino)
			return &table[i].size;
	}
	return NULL;
}

int fcntl(int fd, int cmd, ...)
{
	REAL(int, fcntl, int, int, ...);
	long arg;
	FAULT_FCNTL_ARG(arg, cmd);
	int r = real_fcntl(fd, cmd, arg);
	if (r < 0 || !fault_tracked(fd) || (cmd != F_GETPIPE_SZ && cmd != F_SETPIPE_SZ))
		return r;
	int *size = slot(fd);
	if (!size)
		return r;
	if (cmd == F_SETPIPE_SZ)
		*size = r;
	return *size;
}
#elif defined(SOFT_AS_HARD)
static int refuse_small(int fds[2], int r)
{
	REAL(int, fcntl, int, int, ...);
	REAL(int, close, int);
	if (r == 0 && real_fcntl(fds[0], F_GETPIPE_SZ) < DEFAULT_BYTES) {
		real_close(fds[0]);
		real_close(fds[1]);
		errno = ENFILE;
		return -1;
	}
	return r;
}

int pipe(int fds[2]) { return refuse_small(fds, fault_pipe2(fds, 0)); }
int pipe2(int fds[2], int flags) { return refuse_small(fds, fault_pipe2(fds, flags)); }
#endif
