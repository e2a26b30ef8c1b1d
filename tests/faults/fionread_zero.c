/* Mutant: FIONREAD always says 0 bytes unread.  Breaks rule O1. */
#include <sys/ioctl.h>

#include "fault.h"

int ioctl(int fd, unsigned long req, ...)
{
	REAL(int, ioctl, int, unsigned long, ...);
	va_list ap;
	va_start(ap, req);
	void *arg = va_arg(ap, void *); // NOLINT(clang-analyzer-valist.Uninitialized)
	va_end(ap);
	int r = real_ioctl(fd, req, arg);
	if (r == 0 && req == FIONREAD && fault_tracked(fd))
		*(int *)arg = 0;
	return r;
}
