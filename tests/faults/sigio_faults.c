/* Mutants on signal-driven I/O and SIGPIPE delivery, chosen at build time
 * (S8, D).
 *   ASYNC_IGNORED      F_SETFL accepts O_ASYNC and drops it (no SIGIO)
 *   SETSIG_IGNORED     F_SETSIG succeeds and changes nothing (SIGIO sent)
 *   SIGPIPE_TO_PROCESS an emulator raising SIGPIPE with kill(getpid()): the
 *                      signal goes to the process, not the writing thread */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include "fault.h"

#if defined(ASYNC_IGNORED) || defined(SETSIG_IGNORED)
int fcntl(int fd, int cmd, ...)
{
	REAL(int, fcntl, int, int, ...);
	long arg;
	FAULT_FCNTL_ARG(arg, cmd);
	if (!fault_tracked(fd))
		return real_fcntl(fd, cmd, arg);
#if defined(ASYNC_IGNORED)
	if (cmd == F_SETFL)
		arg &= ~(long)O_ASYNC;
#else
	if (cmd == F_SETSIG)
		return 0;
#endif
	return real_fcntl(fd, cmd, arg);
}
#elif defined(SIGPIPE_TO_PROCESS)
ssize_t write(int fd, const void *buf, size_t n)
{
	REAL(ssize_t, write, int, const void *, size_t);
	if (!fault_tracked(fd))
		return real_write(fd, buf, n);
	sigset_t pipe_only, old;
	sigemptyset(&pipe_only);
	sigaddset(&pipe_only, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe_only, &old);
	ssize_t r = real_write(fd, buf, n);
	int e = errno;
	bool redirect = r < 0 && e == EPIPE;
	if (redirect) {
		struct timespec now = { 0, 0 };
		sigtimedwait(&pipe_only, NULL, &now); /* the kernel's thread-directed one */
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (redirect)
		kill(getpid(), SIGPIPE);
	errno = e;
	return r;
}
#endif
