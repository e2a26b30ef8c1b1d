/* Mutants on pipe2, chosen at build time by FAULT: one flag silently dropped.
 *   DROP_CLOEXEC   O_CLOEXEC ignored (rule M1)
 *   DROP_DIRECT    O_DIRECT ignored: no packet mode (rule M2)
 *   DROP_NONBLOCK  O_NONBLOCK ignored (rules M1, G) */
#include <fcntl.h>
#include <unistd.h>

#include "fault.h"

int pipe2(int fds[2], int flags)
{
	REAL(int, pipe2, int *, int);
#if defined(DROP_CLOEXEC)
	flags &= ~O_CLOEXEC;
#elif defined(DROP_DIRECT)
	flags &= ~O_DIRECT;
#elif defined(DROP_NONBLOCK)
	flags &= ~O_NONBLOCK;
#endif
	(void)real_pipe2;
	return fault_pipe2(fds, flags); /* tracked, so the ends count as pipes under test */
}
