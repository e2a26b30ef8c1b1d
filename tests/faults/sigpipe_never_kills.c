/* Mutant: the notes' own belief: SIGPIPE does not terminate the writer.  At
 * the default disposition the write just fails with EPIPE.  Breaks rule D. */
#include <signal.h>
#include <unistd.h>

#include "fault.h"

ssize_t write(int fd, const void *buf, size_t n)
{
	REAL(ssize_t, write, int, const void *, size_t);
	struct sigaction old, ign = { .sa_handler = SIG_IGN };
	if (!fault_tracked(fd) || sigaction(SIGPIPE, NULL, &old) != 0 || old.sa_handler != SIG_DFL)
		return real_write(fd, buf, n);
	sigaction(SIGPIPE, &ign, NULL);
	ssize_t r = real_write(fd, buf, n);
	sigaction(SIGPIPE, &old, NULL);
	return r;
}
