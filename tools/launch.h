/* pipelab-launch: shared between its files (launch.c, launch_run.c,
 * launch_record.c). */
#ifndef PIPELAB_LAUNCH_H
#define PIPELAB_LAUNCH_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Exit statuses, as ctest reads them. */
enum launch_exit {
	LAUNCH_PASS = 0,
	LAUNCH_NOT_PASS = 1,
	LAUNCH_USAGE = 2,
	LAUNCH_SKIP = 77,
};

/* What the launcher keeps of a case's output; the rest is counted. */
#define LAUNCH_OUTPUT_CAP (1 << 20)
#define LAUNCH_MAX_NOTES 8
/* Processes limited to 256 (launch_run.c): half of that left over is a fork loop. */
#define LAUNCH_LEFTOVERS_FORK_LIMIT 128

/* One variant of a group (--case ID TEST EVIDENCE_NAME). */
struct launch_case {
	const char *id, *test, *evname;
};

struct launch {
	/* parse */
	const char *id, *test, *evname, *results;
	/* a group (--group NAME --case ...): id and test are its name */
	const char *group;
	struct launch_case *cases;
	int ncases, ntotal; /* selected by PIPELAB_CASES, listed */
	double mult, deadline;
	bool valgrind;
	const char *emulator_default;
	char **case_argv; /* after "--" */
	/* validate target */
	const char *preload; /* PIPELAB_PRELOAD: handed to the case as PIPELAB_IMPL */
	char emu_buf[1024];
	char *emu[16];
	int nemu;
	/* paths */
	char evidence[1200], logpath[1200], tmpdir[1024], vgdir[1100];
	char fates[1100];     /* a group's PIPELAB_GROUP_FATES (cases/group.c) */
	double case_deadline; /* one variant's share of the deadline (CPU limit) */
	const char *fallback_reason; /* set: why the case left no record */
	/* build argv */
	char **cmd;
	/* run with deadline */
	int status;
	bool timed_out;
	long long output_dropped;
	int limits_n, warnings_n;
	char limits[LAUNCH_MAX_NOTES][200];   /* "output cut at 1 MiB", "fork limit reached" */
	char warnings[LAUNCH_MAX_NOTES][300]; /* processes that escaped the group */
};

void launch_die(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));
void launch_limit(struct launch *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void launch_warning(struct launch *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* launch_target.c */
const char *launch_check_preload(const char *list); /* NULL, or why not */
bool launch_runnable(const char *prog);

/* launch_run.c: fork the case under its limits, keep its output (capped),
 * wait for it up to the deadline, then kill and name whatever it left. */
void launch_run(struct launch *l);
void launch_cleanup(struct launch *l);

/* launch_group.c: PIPELAB_CASES (and _EXCLUDE), regular expressions over
 * the case ids; a group's variants' paths, command line and records. */
bool launch_selected(const char *id);
void launch_group_paths(struct launch *l);
void launch_group_argv(struct launch *l, int *k);
void launch_group_fallback(struct launch *l, const char *verdict, const char *reason);
int launch_group_finish(struct launch *l);
void launch_copy_out(const char *path);

/* launch_record.c */
char *launch_slurp_tail(const char *path, size_t max);
void launch_write_fallback(struct launch *l, const char *verdict, const char *reason);
/* Reads the case's record, merges what the launcher knows, returns the exit status. */
int launch_finish_record(struct launch *l);

#endif
