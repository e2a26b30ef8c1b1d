/* Self-tests of the sandbox itself: deadlines, blocking proof, crash capture.
 * These judge the harness, so they use its internals and assert directly. */
#include <criterion/criterion.h>
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

static const struct pl_case_spec SPEC = { "selftest/sandbox", "-", "selftest", NULL, "harness self-test", "-" };

static void wait_forever(pl_actor *a, void *arg)
{
	(void)arg;
	pl_wait_cue(a, 0); /* never posted */
}

Test(sandbox, actor_that_never_ends_is_reported_timeout_and_killed)
{
	pl_case *c = pl_case_begin(&SPEC, PL_PIPE, "sandbox/timeout");
	pl_sandbox *sb = pl_sandbox_new(c, "hang");
	pl_sandbox_deadline(sb, 0.3);
	int a = pl_spawn(sb, "hanger", wait_forever, NULL);
	pid_t pid = pl_rec(sb, a)->pid;
	int64_t t0 = pl_now_ns();
	cr_assert_not(pl_await_end(sb, a), "waiting for a hung actor must fail at the deadline");
	double took = (double)(pl_now_ns() - t0) / 1e9;
	cr_expect(took >= 0.29 && took < 1.0 * pl_timeout_mult(), "deadline 0.3 s, waited %.3f s", took);
	cr_expect_eq(pl_case_verdict(c), PL_TIMEOUT);
	pl_case_end(c);
	cr_expect(kill(pid, 0) < 0 && errno == ESRCH, "the hung actor %d is gone after the case", pid);
	pl_case_free(c);
}

static void decoy_read_then_sleep(pl_actor *a, void *arg)
{
	(void)arg;
	/* Claims to be in read() while it actually sleeps in nanosleep. */
	pl_step_begin(a, PL_OP_READ, 0, 1, "decoy");
	struct timespec ts = { 30, 0 };
	nanosleep(&ts, NULL); /* the behaviour under test, not synchronisation */
}

static void really_read(pl_actor *a, void *arg)
{
	int *fds = arg;
	char b;
	pl_close(a, fds[1]);
	pl_read(a, fds[0], &b, 1);
}

Test(sandbox, actor_asleep_in_nanosleep_is_not_blocked_in_read)
{
	pl_case *c = pl_case_begin(&SPEC, PL_PIPE, "sandbox/nanosleep");
	pl_sandbox *sb = pl_sandbox_new(c, "decoy");
	int a = pl_spawn(sb, "sleeper", decoy_read_then_sleep, NULL);
	cr_expect_not(pl_probe_blocked(sb, a, PL_OP_READ, 0.3), "an actor in nanosleep must not count as blocked in read");
	int fds[2];
	cr_assert_eq(pipe(fds), 0);
	int b = pl_spawn(sb, "reader", really_read, fds);
	close(fds[0]);
	cr_expect(pl_probe_blocked(sb, b, PL_OP_READ, 2.0 * pl_timeout_mult()), "control: a real read on an empty pipe is proven");
	close(fds[1]);
	pl_case_end(c);
	pl_case_free(c);
}

static void crash(pl_actor *a, void *arg)
{
	(void)a;
	(void)arg;
	raise(SIGSEGV);
}

Test(sandbox, crashing_actor_is_reported_not_lost)
{
	pl_case *c = pl_case_begin(&SPEC, PL_PIPE, "sandbox/crash");
	pl_sandbox *sb = pl_sandbox_new(c, "crash");
	int a = pl_spawn(sb, "crasher", crash, NULL);
	cr_assert(pl_await_end(sb, a));
	char buf[96];
	struct pl_actor_rec *r = pl_rec(sb, a);
	cr_expect(r->end_kind == 2 && r->end_code == SIGSEGV, "recorded end: %s", pl_actor_end_text(r, buf, sizeof buf));
	cr_expect(pl_expect_killed_by(c, "crasher dies of SIGSEGV", r, SIGSEGV));
	pl_case_end(c);
	pl_case_free(c);
}

Test(sandbox, interrupt_probe_proves_a_block_where_proc_is_not_used)
{
	setenv("PIPELAB_BLOCK_PROOF", "probe", 1);
	pl_case *c = pl_case_begin(&SPEC, PL_PIPE, "sandbox/probe");
	pl_sandbox *sb = pl_sandbox_new(c, "probe");
	int fds[2];
	cr_assert_eq(pipe(fds), 0);
	int b = pl_spawn(sb, "reader", really_read, fds);
	close(fds[0]);
	cr_expect(pl_await_blocked(sb, b, PL_OP_READ), "the probe proves the read was blocked");
	cr_assert_eq(write(fds[1], "z", 1), 1);
	cr_assert(pl_await_step_done(sb, b, PL_OP_READ));
	const struct pl_step *s = pl_last_step(sb, b, PL_OP_READ);
	cr_expect(s->probe_eintr, "the step records the probe's interruption");
	cr_expect(s->ret == 1 && !strcmp(s->preview, "z"), "after the probe, the read still returns the byte (ret %ld)", s->ret);
	close(fds[1]);
	unsetenv("PIPELAB_BLOCK_PROOF");
	cr_expect_eq(pl_case_end(c), PL_PASS, "%s", pl_case_summary(c));
	pl_case_free(c);
}

static void noop(pl_actor *a, void *arg)
{
	(void)a;
	(void)arg;
}

Test(sandbox, case_without_checks_is_broken_not_pass)
{
	pl_case *c = pl_case_begin(&SPEC, PL_PIPE, "sandbox/nochecks");
	pl_sandbox *sb = pl_sandbox_new(c, "nothing");
	pl_spawn(sb, "idle", noop, NULL);
	cr_expect_eq(pl_case_end(c), PL_BROKEN, "%s", pl_case_summary(c));
	pl_case_free(c);
}
