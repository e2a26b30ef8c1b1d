/* Mutant: fpathconf reports a PIPE_BUF below POSIX's minimum of 512.
 * Breaks rule F1. */
#include <unistd.h>

#include "fault.h"

long fpathconf(int fd, int name)
{
	REAL(long, fpathconf, int, int);
	if (name == _PC_PIPE_BUF && fault_tracked(fd))
		return 256;
	return real_fpathconf(fd, name);
}
