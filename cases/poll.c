/* Readiness: what poll(2) reports for each pipe state.  BEHAVIOURS.md K. */
#include <poll.h>
#include <unistd.h>

#include "case.h"

static short revents(int fd, short events)
{
	struct pollfd p = { .fd = fd, .events = events };
	return poll(&p, 1, 0) == 1 ? p.revents : 0;
}

static void poll_states(pl_actor *a, void *arg)
{
	(void)arg;
	int fd[2];
	char b[8];
	if (pl_pipe(a, fd) < 0)
		return;
	PL_CALL(a, "read end, empty, writer open", fd[0], revents(fd[0], POLLIN));
	PL_CALL(a, "write end, not full", fd[1], revents(fd[1], POLLOUT));
	pl_write(a, fd[1], "ab", 2);
	PL_CALL(a, "read end, data", fd[0], revents(fd[0], POLLIN));
	pl_fill(a, fd[1]);
	PL_CALL(a, "write end, full", fd[1], revents(fd[1], POLLOUT));
	int w2 = dup(fd[1]);
	pl_close(a, fd[1]);
	pl_close(a, w2);
	PL_CALL(a, "read end, no writer, data left", fd[0], revents(fd[0], POLLIN));
	pl_set_nonblock(a, fd[0], true);
	while (read(fd[0], b, sizeof b) > 0)
		;
	PL_CALL(a, "read end, no writer, drained", fd[0], revents(fd[0], POLLIN));
	int p[2];
	if (pl_pipe(a, p) < 0)
		return;
	pl_close(a, p[0]);
	PL_CALL(a, "write end, no reader (events 0)", p[1], revents(p[1], 0));
	PL_CALL(a, "write end, no reader (POLLOUT)", p[1], revents(p[1], POLLOUT));
}

static const char *ev(long r, char *buf, size_t n)
{
	snprintf(buf, n, "%s%s%s%s%s", r == 0 ? "none" : "", r & POLLIN ? "POLLIN " : "", r & POLLOUT ? "POLLOUT " : "",
		 r & POLLHUP ? "POLLHUP " : "", r & POLLERR ? "POLLERR " : "");
	return buf;
}

static void expect_events(pl_case *c, pl_sandbox *sb, int a, const char *state, short want, short mask)
{
	const struct pl_step *s = pl_step_named(sb, a, state);
	char w[64], o[64];
	long got = s ? s->ret : -1;
	pl_check(c, s && (got & mask) == want, state, ev(want, w, sizeof w), "%s", s ? ev(got & mask, o, sizeof o) : "no such call");
}

/* Verify poll's revents in every state of an anonymous pipe: nothing when
 * empty with a writer; POLLIN with data; POLLOUT while not full and nothing
 * when full; POLLIN|POLLHUP when the writers are gone and data remains,
 * POLLHUP once drained; POLLERR on a write end with no reader, even when not
 * asked for.  Rules K, K1. */
static void poll_table(pl_case *c, enum pl_kind kind, const void *data)
{
	(void)kind;
	(void)data;
	pl_sandbox *sb = pl_sandbox_new(c, "poll in each state");
	int a;
	PL_TRY(pl_run_actor(sb, "process", poll_states, NULL, &a));
	const short M = POLLIN | POLLOUT | POLLHUP | POLLERR;
	expect_events(c, sb, a, "read end, empty, writer open", 0, M);
	expect_events(c, sb, a, "write end, not full", POLLOUT, M);
	expect_events(c, sb, a, "read end, data", POLLIN, M);
	expect_events(c, sb, a, "write end, full", 0, M);
	expect_events(c, sb, a, "read end, no writer, data left", POLLIN | POLLHUP, M);
	expect_events(c, sb, a, "read end, no writer, drained", POLLHUP, M);
	expect_events(c, sb, a, "write end, no reader (events 0)", POLLERR, M);
	expect_events(c, sb, a, "write end, no reader (POLLOUT)", POLLOUT | POLLERR, M);
	pl_observed(c, "empty: none; data: POLLIN; not full: POLLOUT; full: none; writers gone: POLLIN|POLLHUP then POLLHUP; no reader: POLLERR (even unasked)");
}

PL_CASE(poll, poll_reports_each_pipe_state, "poll/revents-in-each-pipe-state", "linux")
{
	static const struct pl_case_spec spec = { "poll/revents-in-each-pipe-state", "K, K1", "linux", NULL,
		"Verify poll's revents for each state of a pipe",
		"none / POLLIN / POLLOUT / none when full / POLLIN|POLLHUP / POLLHUP / POLLERR (also with events 0)" };
	pl_run(&spec, PL_NOKIND, poll_table, NULL);
}

static void fifo_hup(pl_actor *a, void *arg)
{
	const char *path = arg;
	int r = pl_open(a, path, O_RDONLY | O_NONBLOCK);
	PL_CALL(a, "reader before any writer", r, revents(r, POLLIN));
	int w = pl_open(a, path, O_WRONLY | O_NONBLOCK);
	PL_CALL(a, "reader with a writer", r, revents(r, POLLIN));
	pl_close(a, w);
	PL_CALL(a, "reader after the writer left", r, revents(r, POLLIN));
	PL_CALL(a, "reader after the writer left, again", r, revents(r, POLLIN));
	w = pl_open(a, path, O_WRONLY | O_NONBLOCK);
	PL_CALL(a, "reader after a writer reopened", r, revents(r, POLLIN));
	pl_close(a, w);
}

/* Verify the FIFO hang-up rules: no POLLHUP before the first writer; POLLHUP
 * after the writer leaves, sticky on every poll until a writer reopens.
 * Rule K (FIFO rows; POSIX poll()). */
static void fifo_hangup(pl_case *c, enum pl_kind kind, const void *data)
{
	(void)kind;
	(void)data;
	pl_sandbox *sb = pl_sandbox_new(c, "FIFO hang-up");
	pl_chan ch;
	PL_TRY(pl_pipe_make(sb, &ch, PL_FIFO));
	int a;
	PL_TRY(pl_run_actor(sb, "process", fifo_hup, ch.path, &a));
	const short M = POLLIN | POLLHUP | POLLERR;
	expect_events(c, sb, a, "reader before any writer", 0, M);
	expect_events(c, sb, a, "reader with a writer", 0, M);
	expect_events(c, sb, a, "reader after the writer left", POLLHUP, M);
	expect_events(c, sb, a, "reader after the writer left, again", POLLHUP, M);
	expect_events(c, sb, a, "reader after a writer reopened", 0, M);
	pl_observed(c, "no POLLHUP before the first writer; POLLHUP after it left, again on the next poll; cleared when a writer reopened");
}

PL_CASE(poll, fifo_pollhup_only_after_a_writer_left_and_sticky, "poll/fifo-pollhup-after-writer-left-sticky", "posix fifo")
{
	static const struct pl_case_spec spec = { "poll/fifo-pollhup-after-writer-left-sticky", "K", "posix", NULL,
		"Verify that a FIFO reader sees no POLLHUP before its first writer and a sticky POLLHUP after it leaves",
		"none; none; POLLHUP; POLLHUP; none" };
	pl_run(&spec, PL_NOKIND, fifo_hangup, NULL);
}
