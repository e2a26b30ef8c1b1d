/* Mutants on fcntl, one rule each, chosen at build time by FAULT:
 *   GETPIPE_SZ_LIES   F_GETPIPE_SZ reports 4096 whatever the capacity (rule N)
 *   SETPIPE_SZ_NO_ROUND  F_SETPIPE_SZ returns the size asked, not the real one (N) */
#include <fcntl.h>
#include <unistd.h>

#include "fault.h"

int fcntl(int fd, int cmd, ...)
{
	REAL(int, fcntl, int, int, ...);
	long arg;
	FAULT_FCNTL_ARG(arg, cmd);
	int r = real_fcntl(fd, cmd, arg);
	if (!fault_tracked(fd) || r < 0)
		return r;
#if defined(GETPIPE_SZ_LIES)
	if (cmd == F_GETPIPE_SZ)
		return 4096;
#elif defined(SETPIPE_SZ_NO_ROUND)
	if (cmd == F_SETPIPE_SZ)
		return (int)arg;
#endif
	return r;
}
