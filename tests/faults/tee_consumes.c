/* Mutant: tee moves the data like splice instead of copying it.  Breaks
 * rule P2. */
#include <fcntl.h>
#include <stddef.h>

#include "fault.h"

ssize_t tee(int in, int out, size_t len, unsigned int flags)
{
	REAL(ssize_t, tee, int, int, size_t, unsigned int);
	(void)real_tee;
	return splice(in, NULL, out, NULL, len, flags);
}
