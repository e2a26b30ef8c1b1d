/* Variants that misbehave on purpose, for the grouping self-test
 * (group_isolation.sh): run in one case process, each in its own child, each
 * must end with its own record while the others keep theirs. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "case.h"

enum { FLOOD_BYTES = 2 << 20 };

static void passes(pl_case *c, enum pl_kind kind, const void *data)
{
	(void)kind;
	(void)data;
	pl_check(c, true, "nothing", "nothing", "nothing");
}

static void fails(pl_case *c, enum pl_kind kind, const void *data)
{
	(void)kind;
	(void)data;
	pl_check(c, false, "a wrong value", "1", "%d", 2);
}

static void skips(pl_case *c, enum pl_kind kind, const void *data)
{
	(void)kind;
	(void)data;
	pl_skip(c, "not here");
}

static void crashes(pl_case *c, enum pl_kind kind, const void *data)
{
	(void)c;
	(void)kind;
	(void)data;
	raise(SIGSEGV);
}

static void exits(pl_case *c, enum pl_kind kind, const void *data)
{
	(void)c;
	(void)kind;
	(void)data;
	_exit(3);
}

static void hangs(pl_case *c, enum pl_kind kind, const void *data)
{
	(void)c;
	(void)kind;
	(void)data;
	for (;;)
		pause();
}

/* A process that leaves the session and outlives the variant. */
static void leaves_a_daemon(pl_case *c, enum pl_kind kind, const void *data)
{
	if (fork() == 0) {
		setsid();
		execlp("sleep", "pipelab-group-daemon", "300", (char *)NULL);
		_exit(127);
	}
	passes(c, kind, data);
}

static void floods(pl_case *c, enum pl_kind kind, const void *data)
{
	static char line[4096];
	memset(line, 'x', sizeof line - 1);
	line[sizeof line - 2] = '\n';
	for (int i = 0; i < FLOOD_BYTES / (int)(sizeof line - 1); i++)
		fputs(line, stdout);
	fflush(stdout);
	passes(c, kind, data);
}

#define GROUP_RULE(name, fn) \
	PL_RULE(.id = "grouptest/" name, .rule = "-", .profile = "selftest", .body = fn, .title = name, .expected = "-")
GROUP_RULE("passes", passes);
GROUP_RULE("fails", fails);
GROUP_RULE("skips", skips);
GROUP_RULE("crashes", crashes);
GROUP_RULE("exits", exits);
GROUP_RULE("hangs", hangs);
GROUP_RULE("leaves-a-daemon", leaves_a_daemon);
GROUP_RULE("floods", floods);
