/* Mutant: a "secure by default" shim that makes every descriptor it hands
 * out close-on-exec, dup2 included (dup2 done as dup3(..., O_CLOEXEC)).
 * POSIX dup2: the new descriptor's FD_CLOEXEC is clear, which is exactly
 * what a shell pipeline relies on: ls's stdout, dup2'd from the pipe's
 * write end, must survive the exec. */
#include <fcntl.h>
#include <unistd.h>

#include "fault.h"

int dup2(int oldfd, int newfd)
{
	REAL(int, dup2, int, int);
	if (oldfd != newfd && fault_tracked(oldfd))
		return dup3(oldfd, newfd, O_CLOEXEC);
	return real_dup2(oldfd, newfd);
}
