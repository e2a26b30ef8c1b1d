/* Self-tests of marked calls (harness/steps.c): a judge finds an actor's call
 * by its mark, and a call the actor never made is a FAIL naming the call and
 * how the actor ended, never a crash of the judge. */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

static const struct pl_case_spec SPEC = { "selftest/marks", "-", "selftest", NULL, "harness self-test", "-" };

enum mark { FIRST, SECOND, NEVER };

static void two_calls_then_exit(pl_actor *a, void *arg)
{
	(void)arg;
	char b[4];
	int fd[2];
	if (pl_pipe(a, fd) < 0)
		_exit(2);
	PL_MARKED(a, FIRST, pl_write(a, fd[1], "ab", 2));
	pl_close(a, fd[0]); /* an unmarked call in between shifts nothing */
	PL_MARKED(a, SECOND, pl_read(a, fd[0], b, sizeof b));
	_exit(3); /* dies before its NEVER call */
}

Test(marks, judge_finds_each_call_by_its_mark)
{
	pl_case *c = pl_case_begin(&SPEC, PL_PIPE, "marks/found");
	pl_sandbox *sb = pl_sandbox_new(c, "marks");
	int a;
	cr_assert(pl_run_actor(sb, "actor", two_calls_then_exit, NULL, &a));
	const struct pl_step *w = pl_marked(c, sb, a, FIRST, "write");
	const struct pl_step *r = pl_marked(c, sb, a, SECOND, "read");
	cr_assert(w && r);
	cr_expect_eq(w->op, PL_OP_WRITE);
	cr_expect_eq(w->ret, 2);
	cr_expect_eq(r->op, PL_OP_READ);
	cr_expect_eq(r->err, EBADF);
	cr_expect_eq(pl_case_verdict(c), PL_PASS);
	pl_case_end(c);
	pl_case_free(c);
}

Test(marks, call_never_made_is_fail_naming_call_and_end)
{
	pl_case *c = pl_case_begin(&SPEC, PL_PIPE, "marks/missing");
	pl_sandbox *sb = pl_sandbox_new(c, "marks");
	int a;
	cr_assert(pl_run_actor(sb, "actor", two_calls_then_exit, NULL, &a));
	cr_expect_null(pl_find_marked(sb, a, NEVER), "no verdict, no step");
	cr_expect_eq(pl_case_verdict(c), PL_PASS);
	cr_expect_null(pl_marked(c, sb, a, NEVER, "the last write"));
	cr_expect_eq(pl_case_verdict(c), PL_FAIL);
	pl_case_end(c);
	const char *s = pl_case_summary(c);
	cr_expect(strstr(s, "the last write") && strstr(s, "exit 3"), "summary names the call and the end: %s", s);
	pl_case_free(c);
}

Test(marks, out_of_range_marks_and_actors_are_refused)
{
	pl_case *c = pl_case_begin(&SPEC, PL_PIPE, "marks/range");
	pl_sandbox *sb = pl_sandbox_new(c, "marks");
	int a;
	cr_assert(pl_run_actor(sb, "actor", two_calls_then_exit, NULL, &a));
	/* An actor could scribble on its own record: the judge trusts no index. */
	pl_rec(sb, a)->marked[NEVER] = PL_MAX_STEPS + 5;
	cr_expect_null(pl_find_marked(sb, a, NEVER));
	cr_expect_null(pl_find_marked(sb, a, -1));
	cr_expect_null(pl_find_marked(sb, a, PL_MAX_MARKS));
	cr_expect_null(pl_find_marked(sb, PL_MAX_ACTORS, FIRST));
	cr_expect_null(pl_marked(c, sb, 0, FIRST, "a judge's call"));
	cr_expect_eq(pl_case_verdict(c), PL_FAIL);
	pl_case_end(c);
	pl_case_free(c);
}
