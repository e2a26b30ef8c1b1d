/* Mutant: mkfifo applies the mode as given, ignoring the umask.  Breaks
 * rule I1. */
#include <sys/stat.h>

#include "fault.h"

int mkfifo(const char *path, mode_t mode)
{
	REAL(int, mkfifo, const char *, mode_t);
	int r = real_mkfifo(path, mode);
	if (r == 0)
		chmod(path, mode);
	return r;
}
