/* Signals arriving while a pipe call sleeps: EINTR, restart, short counts, and
 * SIGKILL always ending the sleeper.  docs/rules.md L, L2, C4. */
#include <unistd.h>

#include "case.h"

enum { READY, GO, FINISH };
enum mark { SLEEPING_CALL, DRAINED };
enum call { READ_CALL, WRITE_EMPTY_HANDED, WRITE_PARTIAL, OPEN_CALL };
enum how { NO_RESTART, RESTART, KILL };

struct scene {
	enum call call;
	enum how how;
	pl_chan ch;
};

static const char *const call_name[] = { "read", "write (nothing written yet)", "write (part written)", "FIFO open" };

static void sleeper(pl_actor *a, void *arg)
{
	struct scene *s = arg;
	static char big[1 << 20];
	char buf[64];
	if (s->how == RESTART)
		pl_catch_restart(a, SIGUSR1);
	else if (s->how == NO_RESTART)
		pl_catch(a, SIGUSR1);
	if (s->call == OPEN_CALL) {
		PL_MARKED(a, SLEEPING_CALL, pl_open(a, s->ch.path, O_RDONLY)); /* no writer: sleeps */
		return;
	}
	int fd = pl_end(a, &s->ch, s->call == READ_CALL ? PL_READ_END : PL_WRITE_END);
	if (s->call == READ_CALL) {
		PL_MARKED(a, SLEEPING_CALL, pl_read(a, fd, buf, sizeof buf));
	} else if (s->call == WRITE_EMPTY_HANDED) {
		pl_fill(a, fd);
		PL_MARKED(a, SLEEPING_CALL, pl_write(a, fd, "x", 1));
	} else {
		/* More than any pipe holds: part goes in, then it sleeps. */
		PL_MARKED(a, SLEEPING_CALL, pl_write(a, fd, big, sizeof big));
		pl_wait_cue(a, FINISH); /* the write end stays open: the drain ends at EAGAIN, not EOF */
	}
}

/* Every byte in the pipe, read without blocking: what a write had transferred
 * (no pipe-size query needed, so any capacity will do). */
static long drain_count(int fd)
{
	static char buf[1 << 16];
	int fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
		return -1;
	long total = 0;
	ssize_t r;
	while ((r = read(fd, buf, sizeof buf)) > 0)
		total += r;
	return r < 0 && errno != EAGAIN ? -1 : total;
}

/* The other side: holds its end, and on cue completes the sleeper's call. */
static void partner(pl_actor *a, void *arg)
{
	struct scene *s = arg;
	static char buf[1 << 16];
	if (s->call == OPEN_CALL) {
		pl_wait_cue(a, GO);
		pl_open(a, s->ch.path, O_WRONLY);
		pl_wait_cue(a, FINISH);
		return;
	}
	int fd = pl_end(a, &s->ch, s->call == READ_CALL ? PL_WRITE_END : PL_READ_END);
	pl_post_cue(a, READY);
	pl_wait_cue(a, GO);
	if (s->call == READ_CALL) {
		pl_write(a, fd, "wake", 4);
	} else if (s->call == WRITE_PARTIAL && s->how == NO_RESTART) {
		struct pl_step *st = pl_begin(a, "drain without blocking", fd);
		pl_mark_step(a, DRAINED, st);
		pl_finish(a, st, drain_count(fd));
	} else {
		pl_read_full(a, fd, buf, sizeof buf);
	}
	pl_wait_cue(a, FINISH);
}

static enum pl_op op_of(enum call c)
{
	return c == READ_CALL ? PL_OP_READ : c == OPEN_CALL ? PL_OP_OPEN : PL_OP_WRITE;
}

/* POSIX write(): interrupted after it wrote some data, it returns the number
 * of bytes written; before any, -1 EINTR.  Either is accepted and recorded;
 * what counts is that the return agrees with the bytes the reader then finds
 * in the pipe (no pipe-size query: a POSIX system need not have one). */
static bool partial_write_outcome(pl_case *c, pl_sandbox *sb, int p, const struct pl_step *st)
{
	pl_cue(sb, GO);
	PL_TRY_FALSE(pl_await_step_done(sb, p, PL_OP_CALL));
	const struct pl_step *drained = pl_marked(c, sb, p, DRAINED, "drain without blocking");
	if (!drained)
		return false;
	pl_measure(c, "bytes_in_pipe_after_the_signal", drained->ret, "bytes");
	if (st->ret < 0) {
		pl_observed(c, "outcome: nothing transferred before the signal (-1 EINTR)");
		pl_expect_step(c, "the interrupted write, having written nothing, fails with EINTR", st, -1, EINTR);
		pl_check(c, drained->ret == 0, "a write that returned EINTR left no bytes in the pipe", "0",
			 "%ld bytes", drained->ret);
		return true;
	}
	pl_observed(c, "outcome: a short count after a partial transfer");
	pl_check(c, st->ret > 0 && st->ret < (long)(1 << 20), "the interrupted write returns a short count",
		 "0 < count < 1048576", "%ld", st->ret);
	pl_check(c, st->ret == drained->ret, "the short count is the bytes the write had transferred",
		 "the bytes found in the pipe", "returned %ld, the pipe held %ld", st->ret, drained->ret);
	return true;
}

static void interrupt(pl_case *c, enum pl_kind kind, const void *data)
{
	(void)kind;
	struct scene s = *(const struct scene *)data;
	char name[96];
	snprintf(name, sizeof name, "%s interrupted", call_name[s.call]);
	pl_sandbox *sb = pl_sandbox_new(c, name);
	PL_TRY(pl_pipe_make(sb, &s.ch, s.call == OPEN_CALL ? PL_FIFO : PL_PIPE));
	int p = pl_spawn(sb, "partner", partner, &s);
	int z = pl_spawn(sb, "sleeper", sleeper, &s);
	pl_pipe_seal(sb, &s.ch);
	PL_TRY(pl_await_blocked(sb, z, op_of(s.call)));
	struct pl_actor_rec *zr = pl_rec(sb, z);
	char out[64];

	if (s.how == KILL) {
		pl_actor_signal(sb, z, SIGKILL);
		PL_TRY(pl_await_end(sb, z));
		pl_expect_killed_by(c, "SIGKILL ends the sleeper", zr, SIGKILL);
		pl_observed(c, "asleep in %s; SIGKILL ended it (%s)", call_name[s.call], pl_actor_end_text(zr, out, sizeof out));
		pl_cue(sb, FINISH);
		(void)p;
		return;
	}
	pl_actor_signal(sb, z, SIGUSR1);
	PL_TRY(pl_await_caught(sb, z, SIGUSR1, 1));
	if (s.how == NO_RESTART) {
		PL_TRY(pl_await_step_done(sb, z, op_of(s.call)));
		const struct pl_step *st = pl_marked(c, sb, z, SLEEPING_CALL, call_name[s.call]);
		if (!st)
			return;
		if (s.call == WRITE_PARTIAL) {
			if (!partial_write_outcome(c, sb, p, st))
				return;
		} else {
			pl_expect_step(c, "the interrupted call fails with EINTR", st, -1, EINTR);
		}
		pl_observed(c, "asleep in %s; SIGUSR1 without SA_RESTART: handler ran, call returned %s", call_name[s.call],
			    pl_step_outcome(st, out, sizeof out));
		pl_cue(sb, FINISH);
		return;
	}
	/* SA_RESTART: after the handler the call sleeps again, then completes. */
	PL_TRY(pl_await_still_blocked(sb, z, op_of(s.call)));
	pl_cue(sb, GO);
	PL_TRY(pl_await_step_done(sb, z, op_of(s.call)));
	const struct pl_step *st = pl_marked(c, sb, z, SLEEPING_CALL, call_name[s.call]);
	if (!st)
		return;
	if (s.call == READ_CALL)
		pl_expect_step(c, "the restarted read returns the data that woke it", st, 4, 0);
	else
		pl_check(c, st->ret >= 0, "the restarted open succeeds when a writer comes", "a descriptor", "%s",
			 pl_step_outcome(st, out, sizeof out));
	pl_observed(c, "asleep in %s; SIGUSR1 with SA_RESTART: handler ran, the call slept again and then returned %s",
		    call_name[s.call], pl_step_outcome(st, out, sizeof out));
	pl_cue(sb, FINISH);
}

/* One record per rule: which call sleeps and how the signal is handled. */
#define SCENE(call, how) (&(const struct scene){ call, how, { 0 } })

PL_RULE(.id = "eintr/read-eintr-without-sa-restart", .rule = "L", .profile = "posix", .body = interrupt,
	.data = SCENE(READ_CALL, NO_RESTART),
	.title = "Verify that a signal without SA_RESTART makes a blocked read fail with EINTR", .expected = "-1 EINTR");
PL_RULE(.id = "eintr/read-restarts-with-sa-restart", .rule = "L", .profile = "posix", .body = interrupt,
	.data = SCENE(READ_CALL, RESTART),
	.title = "Verify that with SA_RESTART a blocked read sleeps again after the handler and returns data later",
	.expected = "asleep again after the handler; then 4 bytes");
PL_RULE(.id = "eintr/write-eintr-nothing-written", .rule = "L", .profile = "posix", .body = interrupt,
	.data = SCENE(WRITE_EMPTY_HANDED, NO_RESTART),
	.title = "Verify that a write blocked on a full pipe, with nothing written, fails with EINTR",
	.expected = "-1 EINTR");
PL_RULE(.id = "eintr/write-short-count-after-partial-transfer", .rule = "L, C4", .profile = "posix",
	.body = interrupt, .data = SCENE(WRITE_PARTIAL, NO_RESTART),
	.title = "Verify that a blocking write interrupted after a partial transfer returns the short count",
	.expected = "the bytes transferred before the signal, as the reader then finds them (or -1 EINTR with none "
		    "transferred; which one is recorded)");
PL_RULE(.id = "eintr/fifo-open-eintr-without-sa-restart", .rule = "L", .profile = "posix", .labels = "fifo",
	.body = interrupt, .data = SCENE(OPEN_CALL, NO_RESTART),
	.title = "Verify that a signal without SA_RESTART makes a blocked FIFO open fail with EINTR",
	.expected = "-1 EINTR");
PL_RULE(.id = "eintr/fifo-open-restarts-with-sa-restart", .rule = "L", .profile = "linux", .labels = "fifo",
	.body = interrupt, .data = SCENE(OPEN_CALL, RESTART),
	.title = "Verify that with SA_RESTART a blocked FIFO open is restarted and succeeds later",
	.expected = "asleep again after the handler; then a descriptor");
PL_RULE(.id = "eintr/sigkill-ends-blocked-read", .rule = "L", .profile = "posix", .body = interrupt,
	.data = SCENE(READ_CALL, KILL), .title = "Verify that SIGKILL ends a process blocked in read",
	.expected = "killed by SIGKILL");
PL_RULE(.id = "eintr/sigkill-ends-blocked-write", .rule = "L", .profile = "posix", .body = interrupt,
	.data = SCENE(WRITE_EMPTY_HANDED, KILL), .title = "Verify that SIGKILL ends a process blocked in write",
	.expected = "killed by SIGKILL");
PL_RULE(.id = "eintr/sigkill-ends-blocked-fifo-open", .rule = "L", .profile = "posix", .labels = "fifo",
	.body = interrupt, .data = SCENE(OPEN_CALL, KILL),
	.title = "Verify that SIGKILL ends a process blocked in a FIFO open", .expected = "killed by SIGKILL");
