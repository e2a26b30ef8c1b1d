/* Legal model, not a mutant: stat and fstat of a FIFO report a non-zero
 * st_size (some systems report the unread bytes).  POSIX leaves st_size
 * unspecified for a FIFO, so every posix case must pass. */
#include <sys/stat.h>

#include "fault.h"

enum { LEGAL_FIFO_SIZE = 512 };

int stat(const char *path, struct stat *st)
{
	REAL(int, stat, const char *, struct stat *);
	int r = real_stat(path, st);
	if (r == 0 && S_ISFIFO(st->st_mode))
		st->st_size = LEGAL_FIFO_SIZE;
	return r;
}

int fstat(int fd, struct stat *st)
{
	REAL(int, fstat, int, struct stat *);
	int r = real_fstat(fd, st);
	if (r == 0 && S_ISFIFO(st->st_mode))
		st->st_size = LEGAL_FIFO_SIZE;
	return r;
}
