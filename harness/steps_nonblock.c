/* Recorded calls about O_NONBLOCK: setting it, making a non-blocking pipe,
 * and filling a pipe with non-blocking writes.  Each notes the descriptors
 * the actor made non-blocking, so a call on one that sleeps is caught at
 * once (nbwatch.c). */
#include "proof.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int pl_set_nonblock(pl_actor *a, int fd, bool on)
{
	int fl = fcntl(fd, F_GETFL);
	if (fl < 0)
		return -1;
	fl = on ? (fl | O_NONBLOCK) : (fl & ~O_NONBLOCK);
	return pl_fcntl(a, fd, F_SETFL, fl, on ? "F_SETFL +O_NONBLOCK" : "F_SETFL -O_NONBLOCK");
}

long pl_fill(pl_actor *a, int fd)
{
	static char page[4096];
	memset(page, 'f', sizeof page);
	int mark = a->rec->next_mark; /* for the fill itself, not its F_SETFL */
	a->rec->next_mark = 0;
	int fl = fcntl(fd, F_GETFL);
	if (fl < 0) {
		pl_note(a, "fill: F_GETFL failed: %s", pl_errno_name(errno));
		return -1;
	}
	int was_nonblocking = (fl & O_NONBLOCK) != 0;
	if (!was_nonblocking && pl_set_nonblock(a, fd, true) < 0) {
		pl_note(a, "fill: F_SETFL O_NONBLOCK failed: %s", pl_errno_name(errno));
		return -1;
	}
	/* Page-sized writes fill each slot exactly, so the total is the capacity
	 * (Linux counts free space in page slots, docs/rules.md, C3). */
	/* Recorded as "fill", not as a write: a blocking proof must never pick it. */
	a->rec->next_mark = mark;
	struct pl_step *s = pl_step_begin(a, PL_OP_CALL, fd, sizeof page, "fill");
	pl_nb_intent(fd, true); /* set above, or the implementation said it was */
	pl_nb_mark(s);
	if (s->nonblocking)
		s->nonblocking = PL_NB_STEP; /* its writes are the harness's own */
	long total = 0;
	ssize_t r;
	while ((r = write(fd, page, sizeof page)) > 0)
		total += r;
	/* A page no longer fits; single bytes fill what room is left, so the
	 * pipe is full to the byte on any capacity (POSIX fixes none; a write
	 * of n <= PIPE_BUF that does not fit whole gets EAGAIN).  On Linux the
	 * first byte already gets EAGAIN. */
	if (r < 0 && errno == EAGAIN)
		while ((r = write(fd, page, 1)) > 0)
			total += r;
	int e = errno;
	snprintf(s->preview, sizeof s->preview, "then %s", r < 0 ? pl_errno_name(e) : "0");
	pl_step_end(a, s, total, 0);
	if (!was_nonblocking && pl_set_nonblock(a, fd, false) < 0)
		return -1;
	if (r < 0 && e != EAGAIN) {
		pl_note(a, "fill stopped by %s, not EAGAIN", pl_errno_name(e));
		return -1;
	}
	return total;
}

/* pipe2(), named by its flags in the log: "pipe2(O_NONBLOCK|O_CLOEXEC)". */
int pl_pipe2(pl_actor *a, int fds[2], int flags)
{
	static const struct {
		int flag;
		const char *name;
	} NAMES[] = { { O_NONBLOCK, "O_NONBLOCK" }, { O_CLOEXEC, "O_CLOEXEC" }, { O_DIRECT, "O_DIRECT" } };
	char what[64] = "pipe2(";
	size_t n = strlen(what);
	for (size_t i = 0; i < sizeof NAMES / sizeof NAMES[0]; i++)
		if (flags & NAMES[i].flag)
			n += (size_t)snprintf(what + n, sizeof what - n, "%s%s", what[n - 1] == '(' ? "" : "|", NAMES[i].name);
	snprintf(what + n, sizeof what - n, "%s)", what[n - 1] == '(' ? "0" : "");
	struct pl_step *s = pl_step_begin(a, PL_OP_CALL, -1, flags, what);
	int r = pipe2(fds, flags);
	int e = errno;
	if (r == 0) {
		pl_nb_intent(fds[0], (flags & O_NONBLOCK) != 0);
		pl_nb_intent(fds[1], (flags & O_NONBLOCK) != 0);
	}
	return (int)pl_step_end(a, s, r, e);
}
