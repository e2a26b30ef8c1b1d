/* Self-tests of the scenarios the judge stops before their deadline, and of
 * the ones it must not: a non-blocking call proven asleep (nbwatch.c), a cue
 * no actor can give any more because one died (cue_lost.c).  Each stop is
 * FAIL well inside the deadline; each look-alike that is not one still waits
 * for the deadline (TIMEOUT). */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

static const struct pl_case_spec SPEC = { "selftest/stops", "-", "selftest", NULL, "harness self-test", "-" };

static double seconds_since(int64_t t0) { return (double)(pl_now_ns() - t0) / 1e9; }

/* An implementation that drops O_NONBLOCK: the actor asks for it through the
 * recorded fcntl, then the flag is cleared behind the harness's back, so the
 * read sleeps on the empty pipe. */
static void nonblocking_read_that_sleeps(pl_actor *a, void *arg)
{
	(void)arg;
	int fd[2];
	char b;
	if (pl_pipe(a, fd) < 0 || pl_set_nonblock(a, fd[0], true) < 0)
		return;
	fcntl(fd[0], F_SETFL, fcntl(fd[0], F_GETFL) & ~O_NONBLOCK);
	pl_read(a, fd[0], &b, 1);
}

Test(stops, nonblocking_read_asleep_is_fail_at_once)
{
	pl_case *c = pl_case_begin(&SPEC, PL_PIPE, "stops/nonblocking-asleep");
	pl_sandbox *sb = pl_sandbox_new(c, "a non-blocking read that sleeps");
	int64_t t0 = pl_now_ns();
	int a = pl_spawn(sb, "reader", nonblocking_read_that_sleeps, NULL);
	cr_expect_not(pl_await_step_done(sb, a, PL_OP_READ), "the read never returns");
	double took = seconds_since(t0);
	cr_expect(took < 1.0 * pl_timeout_mult(), "stopped after %.3f s, not at the 2 s deadline", took);
	cr_expect_eq(pl_case_end(c), PL_FAIL, "%s", pl_case_summary(c));
	cr_expect(strstr(pl_case_summary(c), "non-blocking fd") != NULL, "the reason names it: %s", pl_case_summary(c));
	pl_case_free(c);
}

/* The look-alike: made non-blocking, then blocking again through the
 * implementation, the read may sleep as long as it likes. */
static void read_made_blocking_again(pl_actor *a, void *arg)
{
	(void)arg;
	int fd[2];
	char b;
	if (pl_pipe(a, fd) < 0 || pl_set_nonblock(a, fd[0], true) < 0 || pl_set_nonblock(a, fd[0], false) < 0)
		return;
	pl_read(a, fd[0], &b, 1);
}

Test(stops, blocking_read_after_nonblock_cleared_waits_for_the_deadline)
{
	pl_case *c = pl_case_begin(&SPEC, PL_PIPE, "stops/blocking-again");
	pl_sandbox *sb = pl_sandbox_new(c, "a blocking read");
	pl_sandbox_deadline(sb, 0.6);
	int a = pl_spawn(sb, "reader", read_made_blocking_again, NULL);
	cr_expect(pl_await_blocked(sb, a, PL_OP_READ), "the read is proven asleep");
	cr_expect_not(pl_await_end(sb, a), "and stays asleep until the deadline");
	cr_expect_eq(pl_case_end(c), PL_TIMEOUT, "%s", pl_case_summary(c));
	pl_case_free(c);
}

static void parked(pl_actor *a, void *arg)
{
	(void)arg;
	pl_wait_cue(a, 1); /* only the judge could give it */
}

static void dies_before_its_cue(pl_actor *a, void *arg)
{
	(void)a;
	(void)arg;
	raise(SIGKILL);
}

static void exits_before_its_cue(pl_actor *a, void *arg)
{
	(void)a;
	(void)arg;
}

Test(stops, cue_of_a_killed_actor_is_fail_at_once)
{
	pl_case *c = pl_case_begin(&SPEC, PL_PIPE, "stops/cue-lost");
	pl_sandbox *sb = pl_sandbox_new(c, "the actor that gives cue 0 dies");
	int64_t t0 = pl_now_ns();
	pl_spawn(sb, "waiter", parked, NULL);
	pl_spawn(sb, "writer", dies_before_its_cue, NULL);
	cr_expect_not(pl_await_cue(sb, 0), "cue 0 never comes");
	double took = seconds_since(t0);
	cr_expect(took < 1.0 * pl_timeout_mult(), "stopped after %.3f s, not at the 2 s deadline", took);
	cr_expect_eq(pl_case_end(c), PL_FAIL, "%s", pl_case_summary(c));
	cr_expect(strstr(pl_case_summary(c), "writer was killed by SIGKILL") != NULL, "the reason names the actor: %s",
		  pl_case_summary(c));
	pl_case_free(c);
}

Test(stops, cue_of_an_actor_that_exited_normally_waits_for_the_deadline)
{
	pl_case *c = pl_case_begin(&SPEC, PL_PIPE, "stops/cue-not-given");
	pl_sandbox *sb = pl_sandbox_new(c, "the actor that gives cue 0 returns without it");
	pl_sandbox_deadline(sb, 0.3);
	pl_spawn(sb, "waiter", parked, NULL);
	pl_spawn(sb, "writer", exits_before_its_cue, NULL);
	cr_expect_not(pl_await_cue(sb, 0), "cue 0 never comes");
	cr_expect_eq(pl_case_end(c), PL_TIMEOUT, "no abnormal end, so a timeout as before: %s", pl_case_summary(c));
	pl_case_free(c);
}
