/* Mutant: a write with no reader left "succeeds" silently: no SIGPIPE, no
 * EPIPE, the full count returned.  Breaks rules C and D.  SIGPIPE is blocked
 * around the call so the mutant acts before the kernel's signal kills the
 * writer (CLARIFICATIONS 2). */
#include <errno.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include "fault.h"

ssize_t write(int fd, const void *buf, size_t n)
{
	REAL(ssize_t, write, int, const void *, size_t);
	if (!fault_tracked(fd))
		return real_write(fd, buf, n);
	sigset_t pipe_only, old, pending;
	sigemptyset(&pipe_only);
	sigaddset(&pipe_only, SIGPIPE);
	sigprocmask(SIG_BLOCK, &pipe_only, &old);
	sigpending(&pending);
	int was_pending = sigismember(&pending, SIGPIPE);
	ssize_t r = real_write(fd, buf, n);
	if (r < 0 && errno == EPIPE) {
		if (!was_pending) {
			struct timespec zero = { 0, 0 };
			sigtimedwait(&pipe_only, NULL, &zero); /* swallow our SIGPIPE */
		}
		r = (ssize_t)n;
	}
	int e = errno;
	sigprocmask(SIG_SETMASK, &old, NULL);
	errno = e;
	return r;
}
