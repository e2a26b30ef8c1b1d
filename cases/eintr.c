/* Signals arriving while a pipe call sleeps: EINTR, restart, short counts, and
 * SIGKILL always ending the sleeper.  BEHAVIOURS.md L, L2, C4. */
#include <unistd.h>

#include "case.h"

enum { READY, GO, FINISH };
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
		pl_open(a, s->ch.path, O_RDONLY); /* no writer: sleeps */
		return;
	}
	int fd = pl_end(a, &s->ch, s->call == READ_CALL ? PL_READ_END : PL_WRITE_END);
	if (s->call == READ_CALL) {
		pl_read(a, fd, buf, sizeof buf);
	} else if (s->call == WRITE_EMPTY_HANDED) {
		pl_fill(a, fd);
		pl_write(a, fd, "x", 1);
	} else {
		pl_fcntl(a, fd, F_GETPIPE_SZ, 0, "F_GETPIPE_SZ");
		pl_write(a, fd, big, sizeof big); /* transfers the capacity, then sleeps */
	}
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
	if (s->call == READ_CALL)
		pl_write(a, fd, "wake", 4);
	else
		pl_read_full(a, fd, buf, sizeof buf);
	pl_wait_cue(a, FINISH);
}

static enum pl_op op_of(enum call c)
{
	return c == READ_CALL ? PL_OP_READ : c == OPEN_CALL ? PL_OP_OPEN : PL_OP_WRITE;
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
	const struct pl_step *st = pl_last_step(sb, z, op_of(s.call));
	char out[64];

	if (s.how == KILL) {
		kill(zr->pid, SIGKILL);
		PL_TRY(pl_await_end(sb, z));
		pl_expect_killed_by(c, "SIGKILL ends the sleeper", zr, SIGKILL);
		pl_observed(c, "asleep in %s; SIGKILL ended it (%s)", call_name[s.call], pl_actor_end_text(zr, out, sizeof out));
		pl_cue(sb, FINISH);
		(void)p;
		return;
	}
	kill(zr->pid, SIGUSR1);
	PL_TRY(pl_await_caught(sb, z, SIGUSR1, 1));
	if (s.how == NO_RESTART) {
		PL_TRY(pl_await_step_done(sb, z, op_of(s.call)));
		if (s.call == WRITE_PARTIAL) {
			long cap = pl_step_named(sb, z, "F_GETPIPE_SZ")->ret;
			pl_expect_step(c, "the interrupted write returns the bytes it had transferred", st, cap, 0);
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
	if (s.call == READ_CALL)
		pl_expect_step(c, "the restarted read returns the data that woke it", st, 4, 0);
	else
		pl_check(c, st->ret >= 0, "the restarted open succeeds when a writer comes", "a descriptor", "%s",
			 pl_step_outcome(st, out, sizeof out));
	pl_observed(c, "asleep in %s; SIGUSR1 with SA_RESTART: handler ran, the call slept again and then returned %s",
		    call_name[s.call], pl_step_outcome(st, out, sizeof out));
	pl_cue(sb, FINISH);
}

#define INTERRUPT_CASE(name, cid, klass, call, how, title, expected)                          \
	PL_CASE(eintr, name, cid, klass)                                                        \
	{                                                                                     \
		static const struct pl_case_spec spec = { cid, "L", klass, NULL, title, expected }; \
		static const struct scene s = { call, how, { 0 } };                            \
		pl_run(&spec, PL_NOKIND, interrupt, &s);                                         \
	}

INTERRUPT_CASE(blocked_read_gets_eintr_without_sa_restart, "eintr/read-eintr-without-sa-restart", "posix", READ_CALL,
	       NO_RESTART, "Verify that a signal without SA_RESTART makes a blocked read fail with EINTR", "-1 EINTR")
INTERRUPT_CASE(blocked_read_restarts_with_sa_restart, "eintr/read-restarts-with-sa-restart", "posix", READ_CALL, RESTART,
	       "Verify that with SA_RESTART a blocked read sleeps again after the handler and returns data later",
	       "asleep again after the handler; then 4 bytes")
INTERRUPT_CASE(blocked_write_with_nothing_written_gets_eintr, "eintr/write-eintr-nothing-written", "posix",
	       WRITE_EMPTY_HANDED, NO_RESTART,
	       "Verify that a write blocked on a full pipe, with nothing written, fails with EINTR", "-1 EINTR")
INTERRUPT_CASE(blocked_write_interrupted_after_partial_transfer_returns_short_count,
	       "eintr/write-short-count-after-partial-transfer", "posix linux", WRITE_PARTIAL, NO_RESTART,
	       "Verify that a blocking write interrupted after a partial transfer returns the short count",
	       "the bytes transferred before the signal (the capacity)")
INTERRUPT_CASE(blocked_fifo_open_gets_eintr, "eintr/fifo-open-eintr-without-sa-restart", "posix fifo", OPEN_CALL,
	       NO_RESTART, "Verify that a signal without SA_RESTART makes a blocked FIFO open fail with EINTR", "-1 EINTR")
INTERRUPT_CASE(blocked_fifo_open_restarts_with_sa_restart, "eintr/fifo-open-restarts-with-sa-restart", "linux fifo",
	       OPEN_CALL, RESTART, "Verify that with SA_RESTART a blocked FIFO open is restarted and succeeds later",
	       "asleep again after the handler; then a descriptor")
INTERRUPT_CASE(sigkill_ends_a_blocked_reader, "eintr/sigkill-ends-blocked-read", "posix", READ_CALL, KILL,
	       "Verify that SIGKILL ends a process blocked in read", "killed by SIGKILL")
INTERRUPT_CASE(sigkill_ends_a_blocked_writer, "eintr/sigkill-ends-blocked-write", "posix", WRITE_EMPTY_HANDED, KILL,
	       "Verify that SIGKILL ends a process blocked in write", "killed by SIGKILL")
INTERRUPT_CASE(sigkill_ends_a_blocked_fifo_open, "eintr/sigkill-ends-blocked-fifo-open", "posix fifo", OPEN_CALL, KILL,
	       "Verify that SIGKILL ends a process blocked in a FIFO open", "killed by SIGKILL")
