/* Mutant: fstat on a pipe reports a regular file.  Breaks rule A7. */
#include <sys/stat.h>

#include "fault.h"

int fstat(int fd, struct stat *st)
{
	REAL(int, fstat, int, struct stat *);
	int r = real_fstat(fd, st);
	if (r == 0 && fault_tracked(fd) && S_ISFIFO(st->st_mode))
		st->st_mode = (st->st_mode & ~(mode_t)S_IFMT) | S_IFREG;
	return r;
}
