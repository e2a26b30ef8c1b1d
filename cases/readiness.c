/* Readiness calls given a descriptor that is no longer open.  BEHAVIOURS.md
 * K.  POSIX poll(): POLLNVAL "The specified fd value is invalid" (revents
 * only, the call succeeds); POSIX pselect(): [EBADF] "One or more of the file
 * descriptor sets specified a file descriptor that is not a valid open file
 * descriptor". */
#include <poll.h>
#include <sys/select.h>
#include <unistd.h>

#include "case.h"

static bool rd_ends(pl_actor *a, const pl_chan *ch, int fd[2])
{
	if (ch->kind != PL_FIFO)
		return pl_pipe(a, fd) == 0;
	fd[0] = pl_open(a, ch->path, O_RDONLY | O_NONBLOCK);
	fd[1] = pl_open(a, ch->path, O_WRONLY | O_NONBLOCK);
	return fd[0] >= 0 && fd[1] >= 0;
}

enum closed_mark { POLL_CLOSED, CLOSED_REVENTS, SELECT_CLOSED };

static void closed_calls(pl_actor *a, void *arg)
{
	int fd[2];
	if (!rd_ends(a, arg, fd))
		return;
	pl_write(a, fd[1], "x", 1);
	pl_close(a, fd[0]);
	struct pollfd p[2] = { { .fd = fd[0], .events = POLLIN }, { .fd = fd[1], .events = POLLOUT } };
	PL_CALL_AS(a, POLL_CLOSED, "poll: closed read end and open write end", fd[0], poll(p, 2, 0));
	PL_CALL_AS(a, CLOSED_REVENTS, "revents of the closed descriptor", fd[0], p[0].revents);
	fd_set r;
	FD_ZERO(&r);
	FD_SET(fd[0], &r);
	struct timeval none = { 0, 0 };
	PL_CALL_AS(a, SELECT_CLOSED, "select on the closed descriptor", fd[0], select(fd[0] + 1, &r, NULL, NULL, &none));
}

static void closed_rule(pl_case *c, enum pl_kind kind, const void *data)
{
	pl_sandbox *sb = pl_sandbox_new(c, "poll and select on a closed descriptor");
	pl_chan ch = { .kind = kind };
	if (kind == PL_FIFO)
		PL_TRY(pl_pipe_make(sb, &ch, kind));
	int a;
	PL_TRY(pl_run_actor(sb, "process", closed_calls, &ch, &a));
	if (data) {
		pl_expect_marked(c, sb, a, SELECT_CLOSED, -1, EBADF, "select given a closed descriptor");
		pl_observed(c, "select: -1 EBADF");
		return;
	}
	/* The write end with no reader reports too (POLLERR), so 2 ready. */
	pl_expect_marked(c, sb, a, POLL_CLOSED, 2, 0, "poll counts the invalid entry");
	const struct pl_step *s = pl_marked(c, sb, a, CLOSED_REVENTS, "revents of the closed descriptor");
	if (s)
		pl_check(c, s->ret == POLLNVAL, "revents of the closed descriptor", "POLLNVAL alone", "%#lx", s->ret);
	pl_observed(c, "poll returned 2; the closed descriptor's revents: POLLNVAL");
}

enum negative_mark { POLL_NEGATIVE, NEGATIVE_REVENTS, READ_END_REVENTS };

static void negative_calls(pl_actor *a, void *arg)
{
	(void)arg;
	int fd[2];
	if (pl_pipe(a, fd) != 0)
		return;
	pl_write(a, fd[1], "x", 1);
	struct pollfd p[2] = { { .fd = -1, .events = POLLIN }, { .fd = fd[0], .events = POLLIN } };
	p[0].revents = POLLIN; /* poll must clear it */
	PL_CALL_AS(a, POLL_NEGATIVE, "poll: a negative fd and a read end with data", fd[0], poll(p, 2, 0));
	PL_CALL_AS(a, NEGATIVE_REVENTS, "revents of the negative entry", -1, p[0].revents);
	PL_CALL_AS(a, READ_END_REVENTS, "revents of the read end", fd[0], p[1].revents & POLLIN);
}

/* Verify that poll ignores an entry whose fd is negative (revents 0, not
 * counted) while reporting the pipe beside it.  POSIX poll(): "If the value
 * of fd is less than 0, events shall be ignored, and revents shall be set to
 * 0". */
static void negative_rule(pl_case *c, enum pl_kind kind, const void *data)
{
	(void)kind;
	(void)data;
	pl_sandbox *sb = pl_sandbox_new(c, "poll with a negative fd");
	int a;
	PL_TRY(pl_run_actor(sb, "process", negative_calls, NULL, &a));
	pl_expect_marked(c, sb, a, POLL_NEGATIVE, 1, 0, "only the pipe is counted");
	pl_expect_marked(c, sb, a, NEGATIVE_REVENTS, 0, 0, "the negative entry's revents");
	pl_expect_marked(c, sb, a, READ_END_REVENTS, POLLIN, 0, "the read end's POLLIN");
	pl_observed(c, "1 ready; negative entry 0; read end POLLIN");
}

/* ---- registrations ---------------------------------------------------- */

static const char SELECT = 1;
PL_RULE(.id = "readiness/poll-pollnval-on-closed-descriptor", .rule = "K", .profile = "posix",
	.kinds = PL_ON(PL_PIPE) | PL_ON(PL_FIFO), .body = closed_rule,
	.title = "Verify that poll reports POLLNVAL for a closed pipe descriptor and still succeeds, counting it (POSIX poll())",
	.expected = "2 ready; POLLNVAL");

PL_RULE(.id = "readiness/select-ebadf-on-closed-descriptor", .rule = "K, S1", .profile = "posix",
	.kinds = PL_ON(PL_PIPE) | PL_ON(PL_FIFO), .body = closed_rule, .data = &SELECT,
	.title = "Verify that select given a closed pipe descriptor fails with EBADF (POSIX pselect())",
	.expected = "-1 EBADF");

PL_RULE(.id = "readiness/poll-ignores-negative-fd", .rule = "K", .profile = "posix",
	.kinds = PL_ON(PL_PIPE), .body = negative_rule,
	.title = "Verify that poll ignores a negative fd entry (revents 0, not counted) beside a readable pipe (POSIX poll())",
	.expected = "1; 0; POLLIN");
