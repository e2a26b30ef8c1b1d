/* Legal model, not a mutant: pipe2() knows no O_DIRECT (packet mode is Linux
 * only, since 3.4) and refuses it with EINVAL.  Every posix case must pass. */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "fault.h"

int pipe2(int fds[2], int flags)
{
	if (flags & O_DIRECT) {
		errno = EINVAL;
		return -1;
	}
	return fault_pipe2(fds, flags);
}
