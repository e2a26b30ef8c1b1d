/* A case that stays mid-scenario on purpose, for the containment self-test:
 * one actor blocked in a FIFO open, one that exec'd a long-lived grandchild,
 * and a judge waiting on a cue nobody posts.  The self-test SIGKILLs the judge
 * and checks that nothing is left behind. */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "case.h"

static void blocked_open(pl_actor *a, void *arg)
{
	pl_open(a, ((pl_chan *)arg)->path, O_RDONLY); /* no writer: blocks */
}

static void with_grandchild(pl_actor *a, void *arg)
{
	(void)arg;
	if (fork() == 0) {
		execlp("bash", "bash", "-c", "exec -a pipelab-hold-grandchild tail -f /dev/null", (char *)NULL);
		_exit(127);
	}
	pl_wait_cue(a, 0);
}

static void hold(pl_case *c, enum pl_kind kind, const void *data)
{
	(void)data;
	pl_chan p;
	pl_sandbox *sb = pl_sandbox_new(c, "hold");
	pl_sandbox_deadline(sb, 30);
	PL_TRY(pl_pipe_make(sb, &p, kind));
	int r = pl_spawn(sb, "opener", blocked_open, &p);
	pl_spawn(sb, "parent of a grandchild", with_grandchild, NULL);
	PL_TRY(pl_await_blocked(sb, r, PL_OP_OPEN));
	/* Tell the self-test who the judge is, next to the FIFO. */
	char path[600];
	snprintf(path, sizeof path, "%s/judge.pid", pl_case_tmpdir(c));
	FILE *f = fopen(path, "w");
	if (f) {
		fprintf(f, "%d\n", getpid());
		fclose(f);
	}
	pl_await_cue(sb, 1);
	pl_check(c, false, "held", "killed before this", "not killed");
}

PL_RULE(.id = "selftest/hold", .rule = "-", .profile = "selftest", .kinds = PL_ON(PL_FIFO), .body = hold,
	.title = "containment self-test", .expected = "-");
