/* An implementation with a classic bug, to see what a failing report looks
 * like: its write() ignores SIGPIPE "so that the program does not die" when
 * nobody reads any more.  POSIX wants the writer to get SIGPIPE (which kills
 * it at the default disposition); only a writer that ignores or catches the
 * signal sees -1 EPIPE.  The cases of rule D (write/closed/...) fail with it.
 *
 * Build (CMake does it: build/examples/sigpipe_ignored.so):
 *   cc -shared -fPIC -o sigpipe_ignored.so sigpipe_ignored.c -ldl */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* RTLD_NEXT */
#endif
#include <dlfcn.h>
#include <signal.h>
#include <unistd.h>

ssize_t write(int fd, const void *buf, size_t n)
{
	static ssize_t (*next)(int, const void *, size_t);
	if (!next)
		*(void **)&next = dlsym(RTLD_NEXT, "write");
	/* The bug: the caller's disposition is overridden for every write. */
	struct sigaction ign = { .sa_handler = SIG_IGN }, old;
	sigaction(SIGPIPE, &ign, &old);
	ssize_t r = next(fd, buf, n);
	sigaction(SIGPIPE, &old, NULL);
	return r;
}
