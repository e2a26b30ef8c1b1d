/* pipelab-launch: a group of variants in one case process (--group NAME
 * --case ID TEST EVIDENCE_NAME ...; cmake/DiscoverCases.cmake makes them).
 *
 * The case process runs each variant in its own forked child
 * (harness/group_run.c) and tells this launcher, through PIPELAB_GROUP_FATES, what
 * became of each: its wait status, whether it ran out of time, how much of
 * its output was cut, what it left behind.  From that every variant gets
 * what a case run alone gets: its own record with the launcher's fields
 * merged in (limits, warnings), or a fallback naming why it has none, its
 * own log, its own verdict line.  A variant the case process never finished
 * (the process died or ran out of the group's deadline) gets a fallback
 * saying so; the others keep their records.
 *
 * PIPELAB_CASES and PIPELAB_CASES_EXCLUDE (extended regular expressions over
 * case ids) select variants, alone or in a group: ./pipelab run -R sets the
 * first. */
#include <errno.h>
#include <fcntl.h>
#include <regex.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "launch.h"
#include "pipelab.h"

static bool matches(const char *env, const char *id, bool if_unset)
{
	const char *re = getenv(env);
	if (!re || !*re)
		return if_unset;
	regex_t rx;
	if (regcomp(&rx, re, REG_EXTENDED | REG_NOSUB) != 0)
		launch_die(LAUNCH_USAGE, "%s='%s' is not an extended regular expression", env, re);
	bool m = regexec(&rx, id, 0, NULL, 0) == 0;
	regfree(&rx);
	return m;
}

bool launch_selected(const char *id)
{
	return matches("PIPELAB_CASES", id, true) && !matches("PIPELAB_CASES_EXCLUDE", id, false);
}

/* One variant as a case of its own: the group's settings, its own paths. */
static void variant(const struct launch *l, int i, struct launch *v)
{
	*v = *l;
	v->group = NULL;
	v->id = l->cases[i].id;
	v->test = l->cases[i].test;
	v->evname = l->cases[i].evname;
	snprintf(v->evidence, sizeof v->evidence, "%s/%s.json", l->results, v->evname);
	snprintf(v->logpath, sizeof v->logpath, "%s/%s.log", l->results, v->evname);
	v->limits_n = v->warnings_n = 0;
	v->output_dropped = 0;
	v->timed_out = false;
	v->status = 0;
	v->deadline = l->case_deadline;
	v->fallback_reason = NULL;
}

void launch_group_paths(struct launch *l)
{
	struct launch v;
	for (int i = 0; i < l->ncases; i++) {
		variant(l, i, &v);
		unlink(v.evidence);
	}
}

void launch_group_fallback(struct launch *l, const char *verdict, const char *reason)
{
	struct launch v;
	for (int i = 0; i < l->ncases; i++) {
		variant(l, i, &v);
		FILE *lf = fopen(v.logpath, "we");
		if (lf) {
			fprintf(lf, "pipelab-launch: %s\n", reason);
			fclose(lf);
		}
		launch_write_fallback(&v, verdict, reason);
	}
}

/* After the case command: TEST EVIDENCE_PATH for each selected variant; the
 * group's own output (the case process's, outside any variant) is kept in
 * the private temp dir. */
void launch_group_argv(struct launch *l, int *k)
{
	static struct launch v;
	static char (*paths)[1200];
	paths = calloc((size_t)l->ncases, sizeof *paths);
	for (int i = 0; i < l->ncases; i++) {
		variant(l, i, &v);
		snprintf(paths[i], sizeof paths[i], "%s", v.evidence);
		l->cmd[(*k)++] = (char *)l->cases[i].test;
		l->cmd[(*k)++] = paths[i];
	}
	snprintf(l->logpath, sizeof l->logpath, "%s/group.log", l->tmpdir);
	snprintf(l->fates, sizeof l->fates, "%s/group-fates", l->tmpdir);
	int fd = open(l->fates, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		launch_die(LAUNCH_USAGE, "cannot create %s: %s", l->fates, strerror(errno));
	close(fd);
	setenv("PIPELAB_GROUP_FATES", l->fates, 1);
	unsetenv("PIPELAB_EVIDENCE"); /* each variant's own, set by the case process */
}

/* What the case process said of each variant (harness/group_run.c's lines). */
struct fate {
	bool started, ended, timed_out;
	int status, killed, alive;
	long long cut;
	double deadline;
	char named[320];
};

static void read_fates(const struct launch *l, struct fate *f)
{
	FILE *in = fopen(l->fates, "re");
	char line[512];
	while (in && fgets(line, sizeof line, in)) {
		int i = -1, off = 0, timed = 0;
		struct fate x = { 0 };
		if (sscanf(line, "S %d", &i) == 1 && line[0] == 'S' && i >= 0 && i < l->ncases) {
			f[i].started = true;
		} else if (line[0] == 'E' && sscanf(line, "E %d %d %d %lld %d %d %lf %n", &i, &x.status, &timed, &x.cut,
						     &x.killed, &x.alive, &x.deadline, &off) == 7 && i >= 0 && i < l->ncases) {
			x.started = x.ended = true;
			x.timed_out = timed != 0;
			snprintf(x.named, sizeof x.named, "%.*s", (int)strcspn(line + off, "\n"), line + off);
			f[i] = x;
		}
	}
	if (in)
		fclose(in);
}

/* The group's case process, when it did not finish a variant: why. */
static void unfinished(const struct launch *l, const struct fate *f, char *why, size_t n)
{
	const char *when = f->started ? "while this variant ran" : "before this variant started";
	if (l->timed_out)
		snprintf(why, n, "the group's case process (%s) was still running after the launcher's %.0f s deadline "
				 "and was killed %s", l->group, l->deadline, when);
	else if (WIFSIGNALED(l->status))
		snprintf(why, n, "the group's case process (%s) was killed by %s %s", l->group,
			 pl_signal_name(WTERMSIG(l->status)), when);
	else
		snprintf(why, n, "the group's case process (%s) exited with status %d %s", l->group,
			 WEXITSTATUS(l->status), when);
}

static int merge_status(int rc, int one, bool *all_skip)
{
	*all_skip = *all_skip && one == LAUNCH_SKIP;
	if (one == LAUNCH_PASS || one == LAUNCH_SKIP)
		return rc;
	return rc ? rc : one;
}

int launch_group_finish(struct launch *l)
{
	struct fate *fates = calloc((size_t)l->ncases, sizeof *fates);
	read_fates(l, fates);
	int rc = LAUNCH_PASS;
	bool all_skip = true;
	static struct launch v;
	for (int i = 0; i < l->ncases; i++) {
		const struct fate *f = &fates[i];
		char why[700];
		variant(l, i, &v);
		if (f->ended) {
			v.status = f->status;
			v.timed_out = f->timed_out;
			if (f->cut > 0)
				launch_limit(&v, "output cut at 1 MiB (%lld bytes discarded)", f->cut);
			if (WIFSIGNALED(f->status) && WTERMSIG(f->status) == SIGXCPU)
				launch_limit(&v, "CPU time limit reached");
			if (WIFSIGNALED(f->status) && WTERMSIG(f->status) == SIGXFSZ)
				launch_limit(&v, "file size limit reached");
			if (f->killed)
				printf("pipelab-launch: killed %d leftover process(es) of %s\n", f->killed, v.id);
			if (f->alive)
				launch_warning(&v, "%d process(es) outlived the case and were killed at its end: %s", f->alive,
					       f->named);
			if (f->killed >= LAUNCH_LEFTOVERS_FORK_LIMIT && geteuid() == 0)
				launch_limit(&v, "fork limit reached (%d processes were left)", f->killed);
			if (f->timed_out) {
				snprintf(why, sizeof why, "the case was still running after its %.0f s deadline and was killed",
					 f->deadline);
				v.fallback_reason = why;
			}
		} else {
			/* What the launcher saw of the whole process is this variant's. */
			unfinished(l, f, why, sizeof why);
			v.fallback_reason = why;
			v.status = l->status;
			v.timed_out = l->timed_out && f->started;
			for (int k = 0; k < l->limits_n; k++)
				launch_limit(&v, "%s", l->limits[k]);
			for (int k = 0; k < l->warnings_n; k++)
				launch_warning(&v, "%s", l->warnings[k]);
			if (!WIFSIGNALED(v.status) && WEXITSTATUS(v.status) == 0)
				v.status = LAUNCH_NOT_PASS << 8; /* a variant never ended: not a pass */
		}
		launch_copy_out(v.logpath);
		rc = merge_status(rc, launch_finish_record(&v), &all_skip);
	}
	free(fates);
	fflush(stdout);
	if (all_skip)
		return LAUNCH_SKIP;
	return rc == LAUNCH_SKIP ? LAUNCH_NOT_PASS : rc;
}
