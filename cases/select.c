/* Readiness through select(2) and pselect(2), each pipe state.  BEHAVIOURS.md
 * K and S1.  POSIX pselect(): a descriptor is ready for reading when a read
 * with O_NONBLOCK clear would not block (data, or no writer left: EOF), and
 * ready for writing when a write with O_NONBLOCK clear would not block,
 * "whether or not the function would transfer data successfully" (so a write
 * end with no reader, whose write fails with EPIPE, is ready). */
#include <signal.h>
#include <sys/select.h>
#include <time.h>
#include <unistd.h>

#include "case.h"

enum sel_set { SEL_READ, SEL_WRITE };
enum sel_call { SEL_SELECT, SEL_PSELECT };

/* 1 when fd is reported ready in its set, 0 when not, -1 when the call failed
 * (the step then shows the errno). */
static long ready(int fd, enum sel_set set, enum sel_call call)
{
	fd_set s;
	FD_ZERO(&s);
	FD_SET(fd, &s);
	fd_set *r = set == SEL_READ ? &s : NULL, *w = set == SEL_WRITE ? &s : NULL;
	int n;
	if (call == SEL_PSELECT) {
		struct timespec ts = { 0, 0 };
		n = pselect(fd + 1, r, w, NULL, &ts, NULL);
	} else {
		struct timeval tv = { 0, 0 };
		n = select(fd + 1, r, w, NULL, &tv);
	}
	return n < 0 ? -1 : n == 1 && FD_ISSET(fd, &s);
}

struct sel_arg {
	pl_chan ch;
	enum sel_call call;
};

/* Both ends in the actor, blocking: pipe() made here, or the FIFO opened
 * reader first (non-blocking, then cleared: H2). */
static bool sel_ends(pl_actor *a, const pl_chan *ch, int fd[2])
{
	if (ch->kind != PL_FIFO)
		return pl_pipe(a, fd) == 0;
	fd[0] = pl_open(a, ch->path, O_RDONLY | O_NONBLOCK);
	fd[1] = pl_open(a, ch->path, O_WRONLY | O_NONBLOCK);
	return fd[0] >= 0 && fd[1] >= 0 && pl_set_nonblock(a, fd[0], false) == 0 && pl_set_nonblock(a, fd[1], false) == 0;
}

/* The states the actor goes through, each one marked call. */
enum sel_state { S_EMPTY, S_DATA, S_NOT_FULL, S_FULL, S_HUP_DATA, S_HUP_EMPTY, S_NOREADER_FULL };
static const char *const STATE[] = {
	[S_EMPTY] = "read end, empty, writer open",
	[S_DATA] = "read end, data",
	[S_NOT_FULL] = "write end, not full",
	[S_FULL] = "write end, full",
	[S_HUP_DATA] = "read end, no writer, data left",
	[S_HUP_EMPTY] = "read end, no writer, drained",
	[S_NOREADER_FULL] = "write end, no reader, full",
};

/* One recorded readiness query, marked with its state. */
#define SEL_CALL(a, st, fd, set, call) PL_CALL_AS(a, st, STATE[st], fd, ready(fd, set, call))

static void select_states(pl_actor *a, void *arg)
{
	struct sel_arg *sa = arg;
	int fd[2];
	char b[64];
	if (!sel_ends(a, &sa->ch, fd))
		return;
	SEL_CALL(a, S_EMPTY, fd[0], SEL_READ, sa->call);
	SEL_CALL(a, S_NOT_FULL, fd[1], SEL_WRITE, sa->call);
	pl_write(a, fd[1], "ab", 2);
	SEL_CALL(a, S_DATA, fd[0], SEL_READ, sa->call);
	pl_fill(a, fd[1]);
	SEL_CALL(a, S_FULL, fd[1], SEL_WRITE, sa->call);
	pl_close(a, fd[1]);
	SEL_CALL(a, S_HUP_DATA, fd[0], SEL_READ, sa->call);
	pl_set_nonblock(a, fd[0], true);
	while (read(fd[0], b, sizeof b) > 0)
		;
	SEL_CALL(a, S_HUP_EMPTY, fd[0], SEL_READ, sa->call);
	pl_close(a, fd[0]);
	/* A new full pipe whose reader leaves: a write would fail at once (EPIPE). */
	if (!sel_ends(a, &sa->ch, fd))
		return;
	pl_fill(a, fd[1]);
	pl_close(a, fd[0]);
	SEL_CALL(a, S_NOREADER_FULL, fd[1], SEL_WRITE, sa->call);
}

/* The states one rule looks at, and whether each must be ready. */
struct sel_rule {
	int n;
	enum sel_state state[2];
	long want[2];
	enum sel_call call;
};

static void expect_ready(pl_case *c, pl_sandbox *sb, int a, enum sel_state state, long want)
{
	const struct pl_step *s = pl_marked(c, sb, a, state, STATE[state]);
	if (s)
		pl_check(c, s->done && s->ret == want, STATE[state], want ? "ready" : "not ready", "%s",
			 !s->done ? "no return" : s->ret == 1 ? "ready" : s->ret == 0 ? "not ready" : "call failed");
}

static void select_rule(pl_case *c, enum pl_kind kind, const void *data)
{
	const struct sel_rule *r = data;
	pl_sandbox *sb = pl_sandbox_new(c, r->call == SEL_PSELECT ? "pselect in each state" : "select in each state");
	struct sel_arg sa = { .ch = { .kind = kind }, .call = r->call };
	if (kind == PL_FIFO)
		PL_TRY(pl_pipe_make(sb, &sa.ch, kind));
	int a;
	PL_TRY(pl_run_actor(sb, "process", select_states, &sa, &a));
	for (int i = 0; i < r->n; i++)
		expect_ready(c, sb, a, r->state[i], r->want[i]);
	pl_observed(c, "readiness matched the rule in every state it names");
}

/* pselect with the whole table: the same answers as select. */
static void pselect_table(pl_case *c, enum pl_kind kind, const void *data)
{
	(void)data;
	static const struct { enum sel_state state; long want; } table[] = {
		{ S_EMPTY, 0 }, { S_DATA, 1 }, { S_NOT_FULL, 1 }, { S_FULL, 0 },
		{ S_NOREADER_FULL, 1 }, { S_HUP_DATA, 1 }, { S_HUP_EMPTY, 1 },
	};
	pl_sandbox *sb = pl_sandbox_new(c, "pselect in each state");
	struct sel_arg sa = { .ch = { .kind = kind }, .call = SEL_PSELECT };
	if (kind == PL_FIFO)
		PL_TRY(pl_pipe_make(sb, &sa.ch, kind));
	int a;
	PL_TRY(pl_run_actor(sb, "process", select_states, &sa, &a));
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
		expect_ready(c, sb, a, table[i].state, table[i].want);
	pl_observed(c, "pselect: not ready when empty or full; ready with data, room, no reader, no writer");
}

enum mask_mark { PSELECT_CALL, MASK_AFTER };

static void mask_actor(pl_actor *a, void *arg)
{
	(void)arg;
	int fd[2];
	if (pl_pipe(a, fd) < 0)
		return;
	pl_catch(a, SIGUSR1);
	pl_block(a, SIGUSR1);
	raise(SIGUSR1); /* pending, blocked */
	sigset_t during;
	sigprocmask(SIG_BLOCK, NULL, &during);
	sigdelset(&during, SIGUSR1);
	fd_set r;
	FD_ZERO(&r);
	FD_SET(fd[0], &r);
	/* Bounded, so a wrong implementation ends the call instead of the case. */
	struct timespec limit = { 0, 200 * 1000 * 1000 };
	PL_CALL_AS(a, PSELECT_CALL, "pselect on an empty pipe, SIGUSR1 pending and unblocked by its mask", fd[0],
		   pselect(fd[0] + 1, &r, NULL, NULL, &limit, &during));
	sigset_t after;
	sigprocmask(SIG_BLOCK, NULL, &after);
	PL_CALL_AS(a, MASK_AFTER, "SIGUSR1 blocked again after pselect", -1, sigismember(&after, SIGUSR1));
}

/* Verify that pselect installs its signal mask atomically with the wait: a
 * signal pending and blocked before the call, unblocked by the mask, is
 * delivered inside pselect, which fails at once with EINTR; the caller's mask
 * is back afterwards.  POSIX pselect() ("replace the current signal mask ...
 * before examining the descriptors"). */
static void pselect_mask(pl_case *c, enum pl_kind kind, const void *data)
{
	(void)kind;
	(void)data;
	pl_sandbox *sb = pl_sandbox_new(c, "pselect's mask");
	int a;
	PL_TRY(pl_run_actor(sb, "process", mask_actor, NULL, &a));
	pl_expect_marked(c, sb, a, PSELECT_CALL, -1, EINTR, "pselect is interrupted by the signal its mask unblocks");
	pl_check(c, pl_rec(sb, a)->caught[SIGUSR1] == 1, "the handler ran once", "1", "%d",
		 pl_rec(sb, a)->caught[SIGUSR1]);
	pl_expect_marked(c, sb, a, MASK_AFTER, 1, 0, "the caller's mask is restored");
	pl_observed(c, "pselect returned -1 EINTR; handler ran once; mask restored");
}

/* ---- registrations ---------------------------------------------------- */

static const struct sel_rule R_EMPTY = { 1, { S_EMPTY }, { 0 }, SEL_SELECT };
static const struct sel_rule R_DATA = { 1, { S_DATA }, { 1 }, SEL_SELECT };
static const struct sel_rule R_NOWRITER = { 2, { S_HUP_DATA, S_HUP_EMPTY }, { 1, 1 }, SEL_SELECT };
static const struct sel_rule R_ROOM = { 1, { S_NOT_FULL }, { 1 }, SEL_SELECT };
static const struct sel_rule R_FULL = { 1, { S_FULL }, { 0 }, SEL_SELECT };
static const struct sel_rule R_NOREADER = { 1, { S_NOREADER_FULL }, { 1 }, SEL_SELECT };

PL_RULE(.id = "select/read-end-not-ready-when-empty", .rule = "S1, K", .profile = "posix",
	.kinds = PL_ON(PL_PIPE) | PL_ON(PL_FIFO), .body = select_rule, .data = &R_EMPTY,
	.title = "Verify that select does not report an empty read end with a writer as readable (POSIX pselect())",
	.expected = "not ready");

PL_RULE(.id = "select/read-end-ready-with-data", .rule = "S1, K", .profile = "posix",
	.kinds = PL_ON(PL_PIPE) | PL_ON(PL_FIFO), .body = select_rule, .data = &R_DATA,
	.title = "Verify that select reports a read end holding data as readable (POSIX pselect())",
	.expected = "ready");

PL_RULE(.id = "select/read-end-ready-without-writer", .rule = "S1, K", .profile = "posix",
	.kinds = PL_ON(PL_PIPE) | PL_ON(PL_FIFO), .body = select_rule, .data = &R_NOWRITER,
	.title = "Verify that select reports a read end with no writer left as readable, with data left and drained (POSIX pselect(): the read would not block)",
	.expected = "ready; ready");

PL_RULE(.id = "select/write-end-ready-with-room", .rule = "S1, K", .profile = "posix",
	.kinds = PL_ON(PL_PIPE) | PL_ON(PL_FIFO), .body = select_rule, .data = &R_ROOM,
	.title = "Verify that select reports the write end of a pipe with room as writable (POSIX pselect())",
	.expected = "ready");

PL_RULE(.id = "select/write-end-not-ready-when-full", .rule = "S1, K", .profile = "posix",
	.kinds = PL_ON(PL_PIPE) | PL_ON(PL_FIFO), .body = select_rule, .data = &R_FULL,
	.title = "Verify that select does not report the write end of a full pipe as writable (POSIX pselect(): the write would block)",
	.expected = "not ready");

PL_RULE(.id = "select/write-end-ready-without-reader", .rule = "S1, K", .profile = "posix",
	.kinds = PL_ON(PL_PIPE) | PL_ON(PL_FIFO), .body = select_rule, .data = &R_NOREADER,
	.title = "Verify that select reports the write end of a full pipe with no reader as writable (POSIX pselect(): \"whether or not the function would transfer data successfully\")",
	.expected = "ready");

PL_RULE(.id = "select/pselect-each-state", .rule = "S1, K", .profile = "posix",
	.kinds = PL_ON(PL_PIPE) | PL_ON(PL_FIFO), .body = pselect_table,
	.title = "Verify that pselect reports the same readiness as select in each state of a pipe or FIFO (POSIX pselect())",
	.expected = "not ready / ready / ready / not ready / ready / ready / ready");

PL_RULE(.id = "select/pselect-mask-unblocks-pending-signal", .rule = "S1", .profile = "posix",
	.body = pselect_mask,
	.title = "Verify that pselect's mask applies atomically: a pending signal it unblocks interrupts it at once (POSIX pselect())",
	.expected = "-1 EINTR; handler ran once; mask restored");
