/* Readiness: what poll(2) reports for each pipe state.  docs/rules.md K. */
#include <poll.h>
#include <unistd.h>

#include "case.h"

static short revents(int fd, short events)
{
	struct pollfd p = { .fd = fd, .events = events };
	return poll(&p, 1, 0) == 1 ? p.revents : 0;
}

enum state_mark {
	EMPTY_WRITER_OPEN, NOT_FULL, DATA, FULL, NO_WRITER_DATA_LEFT, NO_WRITER_DRAINED, NO_READER_EVENTS_0,
	NO_READER_POLLOUT
};

static void poll_states(pl_actor *a, void *arg)
{
	(void)arg;
	int fd[2];
	char b[8];
	if (pl_pipe(a, fd) < 0)
		return;
	PL_CALL_AS(a, EMPTY_WRITER_OPEN, "read end, empty, writer open", fd[0], revents(fd[0], POLLIN));
	PL_CALL_AS(a, NOT_FULL, "write end, not full", fd[1], revents(fd[1], POLLOUT));
	pl_write(a, fd[1], "ab", 2);
	PL_CALL_AS(a, DATA, "read end, data", fd[0], revents(fd[0], POLLIN));
	pl_fill(a, fd[1]);
	PL_CALL_AS(a, FULL, "write end, full", fd[1], revents(fd[1], POLLOUT));
	int w2 = dup(fd[1]);
	pl_close(a, fd[1]);
	pl_close(a, w2);
	PL_CALL_AS(a, NO_WRITER_DATA_LEFT, "read end, no writer, data left", fd[0], revents(fd[0], POLLIN));
	pl_set_nonblock(a, fd[0], true);
	while (read(fd[0], b, sizeof b) > 0)
		;
	PL_CALL_AS(a, NO_WRITER_DRAINED, "read end, no writer, drained", fd[0], revents(fd[0], POLLIN));
	int p[2];
	if (pl_pipe(a, p) < 0)
		return;
	pl_close(a, p[0]);
	PL_CALL_AS(a, NO_READER_EVENTS_0, "write end, no reader (events 0)", p[1], revents(p[1], 0));
	PL_CALL_AS(a, NO_READER_POLLOUT, "write end, no reader (POLLOUT)", p[1], revents(p[1], POLLOUT));
}

static const char *ev(long r, char *buf, size_t n)
{
	snprintf(buf, n, "%s%s%s%s%s", r == 0 ? "none" : "", r & POLLIN ? "POLLIN " : "", r & POLLOUT ? "POLLOUT " : "",
		 r & POLLHUP ? "POLLHUP " : "", r & POLLERR ? "POLLERR " : "");
	return buf;
}

static void expect_events(pl_case *c, pl_sandbox *sb, int a, int mark, const char *state, short want, short mask)
{
	const struct pl_step *s = pl_marked(c, sb, a, mark, state);
	char w[64], o[64];
	if (s)
		pl_check(c, (s->ret & mask) == want, state, ev(want, w, sizeof w), "%s", ev(s->ret & mask, o, sizeof o));
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
	expect_events(c, sb, a, EMPTY_WRITER_OPEN, "read end, empty, writer open", 0, M);
	expect_events(c, sb, a, NOT_FULL, "write end, not full", POLLOUT, M);
	expect_events(c, sb, a, DATA, "read end, data", POLLIN, M);
	expect_events(c, sb, a, FULL, "write end, full", 0, M);
	expect_events(c, sb, a, NO_WRITER_DATA_LEFT, "read end, no writer, data left", POLLIN | POLLHUP, M);
	expect_events(c, sb, a, NO_WRITER_DRAINED, "read end, no writer, drained", POLLHUP, M);
	expect_events(c, sb, a, NO_READER_EVENTS_0, "write end, no reader (events 0)", POLLERR, M);
	expect_events(c, sb, a, NO_READER_POLLOUT, "write end, no reader (POLLOUT)", POLLOUT | POLLERR, M);
	pl_observed(c, "empty: none; data: POLLIN; not full: POLLOUT; full: none; writers gone: POLLIN|POLLHUP then POLLHUP; no reader: POLLERR (even unasked)");
}

PL_RULE(.id = "poll/revents-in-each-pipe-state", .rule = "K, K1", .profile = "linux", .body = poll_table,
	.title = "Verify poll's revents for each state of a pipe",
	.expected = "none / POLLIN / POLLOUT / none when full / POLLIN|POLLHUP / POLLHUP / POLLERR (also with events 0)");

enum hup_mark { BEFORE_ANY_WRITER, WITH_A_WRITER, WRITER_LEFT, WRITER_LEFT_AGAIN, WRITER_REOPENED };

static void fifo_hup(pl_actor *a, void *arg)
{
	const char *path = arg;
	int r = pl_open(a, path, O_RDONLY | O_NONBLOCK);
	PL_CALL_AS(a, BEFORE_ANY_WRITER, "reader before any writer", r, revents(r, POLLIN));
	int w = pl_open(a, path, O_WRONLY | O_NONBLOCK);
	PL_CALL_AS(a, WITH_A_WRITER, "reader with a writer", r, revents(r, POLLIN));
	pl_close(a, w);
	PL_CALL_AS(a, WRITER_LEFT, "reader after the writer left", r, revents(r, POLLIN));
	PL_CALL_AS(a, WRITER_LEFT_AGAIN, "reader after the writer left, again", r, revents(r, POLLIN));
	w = pl_open(a, path, O_WRONLY | O_NONBLOCK);
	PL_CALL_AS(a, WRITER_REOPENED, "reader after a writer reopened", r, revents(r, POLLIN));
	pl_close(a, w);
}

/* After the writer left: POSIX poll() requires POLLHUP and says it and POLLIN
 * "are not mutually-exclusive" (a read returns 0 without blocking), so each
 * of POLLHUP and POLLHUP|POLLIN is accepted, and which one is recorded. */
static void expect_hangup(pl_case *c, pl_sandbox *sb, int a, int mark, const char *state)
{
	const struct pl_step *s = pl_marked(c, sb, a, mark, state);
	if (!s)
		return;
	char o[64];
	short got = (short)(s->ret & (POLLIN | POLLHUP | POLLERR));
	pl_check(c, got == POLLHUP || got == (POLLHUP | POLLIN), state, "POLLHUP (POLLIN allowed with it)", "%s",
		 ev(got, o, sizeof o));
	pl_observed(c, "%s: %s", state, ev(got, o, sizeof o));
}

/* Verify the FIFO hang-up rules POSIX poll() states: POLLHUP once the last
 * writer has left, sticky on every poll until a writer reopens (then an empty
 * FIFO with a writer is not readable).  Before the first writer POSIX says
 * nothing of POLLHUP: what is seen there is recorded (Linux: none), not
 * judged.  Rule K (FIFO rows; POSIX poll()). */
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
	const struct pl_step *before = pl_marked(c, sb, a, BEFORE_ANY_WRITER, "reader before any writer");
	char o[64];
	if (before) {
		pl_measure(c, "revents before any writer", before->ret & M, "poll bits");
		pl_observed(c, "before any writer: %s (not judged: POSIX leaves it open; Linux: none)",
			    ev(before->ret & M, o, sizeof o));
	}
	expect_events(c, sb, a, WITH_A_WRITER, "reader with a writer", 0, M);
	expect_hangup(c, sb, a, WRITER_LEFT, "reader after the writer left");
	expect_hangup(c, sb, a, WRITER_LEFT_AGAIN, "reader after the writer left, again");
	expect_events(c, sb, a, WRITER_REOPENED, "reader after a writer reopened", 0, M);
}

PL_RULE(.id = "poll/fifo-pollhup-after-writer-left-sticky", .rule = "K", .profile = "posix", .labels = "fifo",
	.body = fifo_hangup,
	.title = "Verify that a FIFO reader sees a sticky POLLHUP after its writer leaves, cleared when a writer reopens",
	.expected = "with a writer: none; writer gone: POLLHUP (POLLIN allowed with it), again on the next poll; "
		    "writer back: none; before the first writer: recorded");
