/* Which descriptors are pipes under test: any FIFO (pipe or named FIFO),
 * judged from the descriptor itself.  The lab creates a pipe in one actor
 * and hands it to others, so no per-process table could follow it.  FIFOs
 * that were the process's standard streams when the library was loaded (a
 * capture pipe of ctest or the launcher) are the lab's, not under test. */
#include <sys/stat.h>
#include <unistd.h>

#include "fault.h"

#define NSTD 3
static struct stat lab[NSTD];
static int nlab;

/* The real fstat: a mutant may change fstat itself (fstat_hides_fifo). */
static int real_fstat_of(int fd, struct stat *st)
{
	REAL(int, fstat, int, struct stat *);
	return real_fstat(fd, st);
}

__attribute__((constructor)) static void note_lab_fifos(void)
{
	for (int fd = 0; fd < NSTD; fd++) {
		struct stat st;
		if (real_fstat_of(fd, &st) == 0 && S_ISFIFO(st.st_mode))
			lab[nlab++] = st;
	}
}

bool fault_tracked(int fd)
{
	struct stat st;
	if (fd < 0 || real_fstat_of(fd, &st) < 0 || !S_ISFIFO(st.st_mode))
		return false;
	for (int i = 0; i < nlab; i++)
		if (lab[i].st_dev == st.st_dev && lab[i].st_ino == st.st_ino)
			return false;
	return true;
}

bool fault_fifo_path(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISFIFO(st.st_mode);
}

/* Kept for the mutants that wrap pipe2() or open() themselves. */
int fault_pipe2(int fds[2], int flags)
{
	REAL(int, pipe2, int *, int);
	return real_pipe2(fds, flags);
}

void fault_track_if_fifo(int fd) { (void)fd; }
