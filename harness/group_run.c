/* The grouped runner: several variants in one case process, each in its own
 * forked child (--pipelab-run-each TEST EVIDENCE ...).
 *
 * ctest's cost per entry (a launcher, an exec, dynamic loading) is most of a
 * light case's cost, so the launcher hands one case process every variant of
 * a group (cmake/DiscoverCases.cmake).  A fork per variant keeps what one
 * process per variant gave: a variant that crashes, exits or hangs loses only
 * itself; each writes its own record and its own output log; whatever it left
 * behind is killed before the next one starts (this process is a child
 * subreaper) and named to the launcher.
 *
 * What became of each variant goes to the launcher through the file
 * PIPELAB_GROUP_FATES (created by the launcher in its private temp dir, not
 * writable by the boxed actors), one line per event:
 *   S <index>                                                 started
 *   E <index> <wait status> <timed out> <output bytes cut> <killed> <alive> <deadline s> <named>
 * The launcher turns them into the same record fields (fallback, limits,
 * warnings) a variant run alone gets (tools/launch_group.c). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "pipelab.h"

/* What one variant's log keeps, as the launcher does for a whole case. */
#define GROUP_OUTPUT_CAP (1 << 20)

static double since(const struct timespec *t0)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Wait for the variant's child up to the deadline; kill its group after. */
static int wait_variant(pid_t child, double deadline, const sigset_t *chld, bool *timed_out)
{
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int status = 0;
	for (;;) {
		pid_t got = waitpid(child, &status, WNOHANG);
		if (got == child || (got < 0 && errno != EINTR))
			return status;
		double left = deadline - since(&t0);
		if (left <= 0) {
			*timed_out = true;
			kill(-child, SIGKILL);
			kill(child, SIGKILL);
			waitpid(child, &status, 0);
			return status;
		}
		struct timespec ts = { 0, left < 0.2 ? (long)(left * 1e9) : 200000000 };
		sigtimedwait(chld, NULL, &ts); /* any child's end, or the slice */
	}
}

/* A log path beside the evidence path: NAME.json -> NAME.log. */
static void log_path(const char *evidence, char *out, size_t n)
{
	size_t len = strlen(evidence);
	if (len > 5 && !strcmp(evidence + len - 5, ".json"))
		len -= 5;
	snprintf(out, n, "%.*s.log", (int)len, evidence);
}

int pl_run_each(int npairs, char *pairs[], int (*run_one)(const char *test), double deadline)
{
	const char *fates_path = getenv("PIPELAB_GROUP_FATES");
	int fates = fates_path && *fates_path ? open(fates_path, O_WRONLY | O_APPEND | O_CLOEXEC) : -1;
	if (npairs <= 0 || npairs % 2) {
		fprintf(stderr, "pipelab: --pipelab-run-each takes pairs TEST EVIDENCE_PATH\n");
		return 2;
	}
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	free(pl_system_json()); /* worked out here once, inherited by every variant */
	sigset_t chld, old;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, &old);
	int worst = 0;
	bool all_skip = true;
	for (int i = 0; i < npairs / 2; i++) {
		const char *test = pairs[2 * i], *evidence = pairs[2 * i + 1];
		if (fates >= 0)
			dprintf(fates, "S %d\n", i);
		char log[1200];
		log_path(evidence, log, sizeof log);
		int logfd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		fflush(NULL);
		pid_t child = fork();
		if (child == 0) {
			setpgid(0, 0);
			sigprocmask(SIG_SETMASK, &old, NULL);
			if (logfd >= 0) {
				dup2(logfd, 1);
				dup2(logfd, 2);
			}
			if (fates >= 0)
				close(fates);
			unsetenv("PIPELAB_GROUP_FATES");
			setenv("PIPELAB_EVIDENCE", evidence, 1);
			_exit(run_one(test));
		}
		if (child > 0)
			setpgid(child, child);
		bool timed_out = false;
		int status = child > 0 ? wait_variant(child, deadline, &chld, &timed_out) : 127 << 8;
		char named[300] = "";
		int alive = 0, killed = pl_kill_descendants(named, sizeof named, &alive);
		long long cut = 0;
		struct stat st;
		if (logfd >= 0 && fstat(logfd, &st) == 0 && st.st_size > GROUP_OUTPUT_CAP) {
			cut = (long long)st.st_size - GROUP_OUTPUT_CAP;
			if (ftruncate(logfd, GROUP_OUTPUT_CAP) != 0)
				cut = 0;
		}
		if (logfd >= 0)
			close(logfd);
		for (char *p = named; *p; p++)
			if (*p < ' ' || *p > '~') /* a process names itself: no forged line */
				*p = '?';
		if (fates >= 0)
			dprintf(fates, "E %d %d %d %lld %d %d %.0f %s\n", i, status, timed_out, cut, killed, alive, deadline,
				named);
		int rc = WIFEXITED(status) ? WEXITSTATUS(status) : 1;
		all_skip = all_skip && rc == 77;
		if (rc != 0 && rc != 77)
			worst = 1;
	}
	if (fates >= 0)
		close(fates);
	return worst ? 1 : all_skip ? 77 : 0;
}
