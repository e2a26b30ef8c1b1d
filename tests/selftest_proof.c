/* Self-tests of the blocking proof and of the judge's reading of the shared
 * log: whose fault a verdict names, the probe standing in for /proc, a call
 * that returns instead of blocking, and actors that scribble on their log. */
#include <criterion/criterion.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "proof.h"

static const struct pl_case_spec SPEC = { "selftest/proof", "-", "selftest", NULL, "harness self-test", "-" };

static void crash_before_read(pl_actor *a, void *arg)
{
	(void)a;
	(void)arg;
	raise(SIGSEGV); /* as an implementation's crash would, before the call */
}

static bool has_check(cJSON *checks, const char *observed_part, bool ok)
{
	const cJSON *k;
	cJSON_ArrayForEach(k, checks) {
		const char *o = cJSON_GetStringValue(cJSON_GetObjectItem(k, "observed"));
		if (o && strstr(o, observed_part) && cJSON_IsTrue(cJSON_GetObjectItem(k, "ok")) == ok &&
		    cJSON_GetStringValue(cJSON_GetObjectItem(k, "where")))
			return true;
	}
	return false;
}

Test(proof, actor_dead_before_its_call_is_fail_not_broken_and_lookups_are_safe)
{
	pl_case *c = pl_case_begin(&SPEC, PL_PIPE, "proof/dead-actor");
	pl_sandbox *sb = pl_sandbox_new(c, "dead before read");
	int a = pl_spawn(sb, "reader", crash_before_read, NULL);
	cr_expect_not(pl_await_blocked(sb, a, PL_OP_READ), "a dead actor is never proven blocked");
	cr_expect(has_check(c->checks, "reader was killed by SIGSEGV (11) before its read()", false),
		  "the proof names the end and the call: %s", c->reason);
	/* Every lookup of the missing call is a verdict, never a NULL. */
	struct pl_step *s = pl_last_step(sb, a, PL_OP_READ);
	cr_assert_not_null(s);
	cr_expect(pl_step_missing(s) && s->ret == -1 && !s->done);
	struct pl_step *n = pl_step_named(sb, a, "F_GETPIPE_SZ");
	cr_assert_not_null(n);
	cr_expect(has_check(c->checks, "reader was killed by SIGSEGV (11) before its F_GETPIPE_SZ()", false), "%s",
		  c->reason);
	cr_expect_not(pl_expect_step(c, "read fails with EAGAIN", NULL, -1, EAGAIN));
	cr_expect_not(pl_expect_step(c, "read returns 0", s, 0, 0));
	cr_expect(has_check(c->checks, "no such call", false));
	cr_expect_eq(pl_case_end(c), PL_FAIL, "%s", pl_case_summary(c));
	pl_case_free(c);
}

static void read_returns_at_once(pl_actor *a, void *arg)
{
	(void)arg;
	/* A fake read that returns 0 at once, as a wrong implementation would. */
	struct pl_step *s = pl_step_begin(a, PL_OP_READ, 3, 64, NULL);
	pl_step_end(a, s, 0, 0);
	pl_wait_cue(a, 0); /* never posted: the actor makes no further call */
}

Test(proof, a_call_that_returns_instead_of_blocking_fails_at_once_in_words)
{
	pl_case *c = pl_case_begin(&SPEC, PL_PIPE, "proof/fast-return");
	pl_sandbox *sb = pl_sandbox_new(c, "read returns 0 at once");
	int a = pl_spawn(sb, "reader", read_returns_at_once, NULL);
	int64_t t0 = pl_now_ns();
	cr_expect_not(pl_await_blocked_why(sb, a, PL_OP_READ, "the pipe was empty and a writer still had it open"));
	double ms = (double)(pl_now_ns() - t0) / 1e6;
	cr_expect(ms < 1000.0 * pl_timeout_mult(), "diagnosed long before the 2 s deadline (%.1f ms)", ms);
	cr_expect(strstr(c->reason, "read() returned 0 at once; it should have blocked: the pipe was empty and a writer "
				    "still had it open"), "%s", c->reason);
	cr_expect(!strstr(c->reason, "?") && !strstr(c->reason, "-2"), "no internal sentinel: %s", c->reason);
	cr_expect_eq(pl_case_end(c), PL_FAIL);
	pl_case_free(c);
}

static void really_read(pl_actor *a, void *arg)
{
	int *fds = arg;
	char b;
	pl_close(a, fds[1]);
	pl_read(a, fds[0], &b, 1);
}

Test(proof, unreadable_proc_hands_the_proof_to_the_probe_and_says_so)
{
	setenv("PIPELAB_TEST_PROC_SYSCALL", "eacces", 1);
	pl_case *c = pl_case_begin(&SPEC, PL_PIPE, "proof/eacces");
	pl_sandbox *sb = pl_sandbox_new(c, "proc unreadable");
	int fds[2];
	cr_assert_eq(pipe(fds), 0);
	int b = pl_spawn(sb, "reader", really_read, fds);
	close(fds[0]);
	cr_expect(pl_await_blocked(sb, b, PL_OP_READ), "the probe proves the read: %s", c->reason);
	const cJSON *e = cJSON_GetArrayItem(sb->blocking, 0);
	cr_assert_not_null(e);
	cr_expect_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(e, "method")), "probe");
	cr_expect(strstr(cJSON_GetStringValue(cJSON_GetObjectItem(e, "why_probe")), "EACCES"));
	cr_assert_eq(write(fds[1], "z", 1), 1);
	cr_assert(pl_await_step_done(sb, b, PL_OP_READ));
	const struct pl_step *s = pl_last_step(sb, b, PL_OP_READ);
	cr_expect(s->ret == 1, "the probe's EINTR is never seen by the case (ret %ld)", s->ret);
	close(fds[1]);
	unsetenv("PIPELAB_TEST_PROC_SYSCALL");
	cr_expect_eq(pl_case_end(c), PL_PASS, "%s", pl_case_summary(c));
	pl_case_free(c);
}

/* An actor (or the library under test inside it) that scribbles on its log. */
static void scribble(pl_actor *a, void *arg)
{
	(void)arg;
	struct pl_actor_rec *r = a->rec;
	memset(r->name, 'N', sizeof r->name);
	memset(r->note, 'n', sizeof r->note);
	for (int i = 0; i < PL_MAX_STEPS; i++) {
		memset(r->steps[i].what, 'w', sizeof r->steps[i].what);
		memset(r->steps[i].preview, 'p', sizeof r->steps[i].preview);
		r->steps[i].op = PL_OP_READ;
		r->steps[i].done = 0;
	}
	r->caught[SIGUSR1] = INT_MAX;
	r->waiting_cue = 9999;
	r->nsteps = INT_MAX;
	r->in_step = 123456;
	if (arg)
		pl_wait_cue(a, 1); /* still running while the judge reads */
	r->nsteps = -7;
	r->in_step = -99;
}

Test(proof, the_judge_survives_a_hostile_log)
{
	pl_case *c = pl_case_begin(&SPEC, PL_PIPE, "proof/hostile");
	pl_sandbox *sb = pl_sandbox_new(c, "hostile");
	pl_sandbox_deadline(sb, 0.3);
	int a = pl_spawn(sb, "scribbler", scribble, &sb);
	cr_expect_not(pl_probe_blocked(sb, a, PL_OP_READ, 0.2), "garbage is never a proof");
	struct pl_step *s = pl_last_step(sb, a, PL_OP_READ);
	cr_assert_not_null(s);
	char out[64];
	pl_step_outcome(s, out, sizeof out);
	pl_cue(sb, 1);
	cr_assert(pl_await_end(sb, a));
	struct pl_actor_rec *r = pl_rec(sb, a);
	cr_expect(r->nsteps >= 0 && r->nsteps <= PL_MAX_STEPS && r->in_step >= -1 && r->in_step < PL_MAX_STEPS);
	cr_expect(strlen(r->name) < sizeof r->name && strlen(r->steps[0].what) < sizeof r->steps[0].what);
	pl_check(c, true, "the judge is still here", "alive", "alive");
	pl_case_end(c); /* writes the record from the scribbled log */
	pl_case_free(c);
}

/* An actor that claims to be the judge, inside a read. */
static void claim_judge_pid(pl_actor *a, void *arg)
{
	(void)arg;
	pl_step_begin(a, PL_OP_READ, 0, 1, NULL);
	a->rec->pid = getppid(); /* a signal sent to it would end the judge */
	pl_wait_cue(a, 1);
}

/* Until the actor parks in pl_wait_cue (its progress word is bumped then). */
static bool pl_await_cue_parked(pl_sandbox *sb, int a)
{
	struct pl_actor_rec *r = pl_rec(sb, a);
	int64_t end = pl_now_ns() + (int64_t)(2e9 * pl_timeout_mult());
	for (;;) {
		uint32_t seen = r->progress;
		if (r->waiting_cue)
			return true;
		if (pl_now_ns() > end)
			return false;
		pl_futex_wait(&r->progress, seen, 10000000);
	}
}

Test(proof, a_pid_written_into_the_log_is_never_signalled)
{
	setenv("PIPELAB_BLOCK_PROOF", "probe", 1);
	pl_case *c = pl_case_begin(&SPEC, PL_PIPE, "proof/hostile-pid");
	pl_sandbox *sb = pl_sandbox_new(c, "hostile pid");
	int a = pl_spawn(sb, "liar", claim_judge_pid, NULL);
	cr_assert(pl_await_cue_parked(sb, a));
	cr_expect_not(pl_probe_blocked(sb, a, PL_OP_READ, 0.1), "no probe reaches a pid the actor wrote");
	unsetenv("PIPELAB_BLOCK_PROOF");
	pl_check(c, true, "the judge is still here", "alive", "alive");
	pl_case_end(c); /* the group is ended; the judge is not */
	pl_case_free(c);
}

Test(proof, setup_trouble_after_a_fail_keeps_the_fail)
{
	pl_case *c = pl_case_begin(&SPEC, PL_PIPE, "proof/fail-then-broken");
	pl_check(c, false, "write returns 4", "4", "-1 EBADF");
	pl_broken(c, "could not fill the pipe");
	cr_expect_eq(pl_case_end(c), PL_FAIL, "%s", pl_case_summary(c));
	pl_case_free(c);
}

static void fill_fails(pl_actor *a, void *arg)
{
	(void)arg;
	pl_fill(a, 97); /* no such descriptor: the writes fail */
}

Test(proof, a_fill_whose_writes_fail_is_the_implementations_fail)
{
	pl_case *c = pl_case_begin(&SPEC, PL_PIPE, "proof/fill");
	pl_sandbox *sb = pl_sandbox_new(c, "fill fails");
	int a;
	cr_assert(pl_run_actor(sb, "writer", fill_fails, NULL, &a));
	cr_expect_eq(pl_expect_filled(c, sb, a), -1);
	cr_expect_eq(pl_case_end(c), PL_FAIL, "%s", pl_case_summary(c));
	pl_case_free(c);
}
