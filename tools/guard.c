/* pipelab-guard: runs ctest for `./pipelab run` so that an interrupt stops
 * everything the run started, at once.
 *
 *   pipelab-guard -- CMD ARGS...
 *
 * The guard is a child subreaper: whatever the run leaves behind (a case's
 * actors whose launcher died, a daemon that double-forked) is re-parented to
 * it, so the whole run is its process tree.  On SIGINT, SIGTERM or SIGHUP it
 * freezes that tree (SIGSTOP, repeated until no new process appears, so
 * nothing forks its way out), kills it with SIGKILL, reaps it and exits
 * 128+signal; ctest runs in its own process group, so a Ctrl-C reaches the
 * guard, never ctest half-way.  When the command ends by itself, any process
 * still left is killed the same way and named on stderr.  Exit status: the
 * command's (128+N if a signal N killed it). */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { MAX_PROCS = 32768, FREEZE_ROUNDS = 100, REAP_DEADLINE_MS = 1500 };

static pid_t frozen[MAX_PROCS];
static int nfrozen;

static pid_t parent_of(pid_t pid)
{
	char path[64], buf[512];
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "re");
	if (!f)
		return -1;
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	const char *p = strrchr(buf, ')'); /* "pid (comm) S ppid ..." */
	int ppid = -1;
	if (!p || sscanf(p + 1, " %*c %d", &ppid) != 1)
		return -1;
	return (pid_t)ppid;
}

static bool is_frozen(pid_t pid)
{
	for (int i = 0; i < nfrozen; i++)
		if (frozen[i] == pid)
			return true;
	return false;
}

/* One pass over /proc: stops every descendant not yet stopped; returns how
 * many it newly stopped. */
static int freeze_pass(pid_t self)
{
	static pid_t pids[MAX_PROCS], parents[MAX_PROCS];
	int n = 0, fresh = 0;
	DIR *d = opendir("/proc");
	struct dirent *e;
	while (d && (e = readdir(d)) && n < MAX_PROCS) {
		char *end;
		long pid = strtol(e->d_name, &end, 10);
		if (*end || pid <= 0)
			continue;
		pids[n] = (pid_t)pid;
		parents[n++] = parent_of((pid_t)pid);
	}
	if (d)
		closedir(d);
	/* descendants of self: a process whose parent is self or frozen */
	for (bool grew = true; grew;) {
		grew = false;
		for (int i = 0; i < n; i++) {
			if (pids[i] == self || is_frozen(pids[i]) || nfrozen >= MAX_PROCS)
				continue;
			if (parents[i] == self || is_frozen(parents[i])) {
				kill(pids[i], SIGSTOP);
				frozen[nfrozen++] = pids[i];
				fresh++;
				grew = true;
			}
		}
	}
	return fresh;
}

static long ms_since(const struct timespec *t0)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - t0->tv_sec) * 1000 + (now.tv_nsec - t0->tv_nsec) / 1000000;
}

/* Kills the whole tree below us and reaps it; returns how many were killed. */
static int kill_tree(const sigset_t *chld)
{
	pid_t self = getpid();
	nfrozen = 0;
	for (int round = 0; round < FREEZE_ROUNDS && freeze_pass(self) > 0; round++)
		;
	for (int i = 0; i < nfrozen; i++)
		kill(frozen[i], SIGKILL);
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		if (errno == ECHILD || ms_since(&t0) > REAP_DEADLINE_MS)
			break;
		struct timespec tick = { 0, 10 * 1000 * 1000 };
		sigtimedwait(chld, NULL, &tick);
		errno = 0;
	}
	return nfrozen;
}

static void wake(int sig)
{
	(void)sig; /* only so that an inherited SIG_IGN does not drop the signal */
}

int main(int argc, char *argv[])
{
	int first = argc > 1 && !strcmp(argv[1], "--") ? 2 : 1;
	if (first >= argc) {
		fputs("usage: pipelab-guard -- CMD ARGS...\n", stderr);
		return 2;
	}
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	const int stops[] = { SIGINT, SIGTERM, SIGHUP };
	sigset_t set, chld, old;
	sigemptyset(&set);
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	struct sigaction sa = { .sa_handler = wake };
	for (size_t i = 0; i < sizeof stops / sizeof stops[0]; i++) {
		sigaction(stops[i], &sa, NULL);
		sigaddset(&set, stops[i]);
	}
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, &old);

	fflush(NULL);
	pid_t child = fork();
	if (child < 0) {
		perror("pipelab-guard: fork");
		return 2;
	}
	if (child == 0) {
		setpgid(0, 0);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		sigprocmask(SIG_SETMASK, &old, NULL);
		execvp(argv[first], argv + first);
		fprintf(stderr, "pipelab-guard: cannot run %s: %s\n", argv[first], strerror(errno));
		_exit(127);
	}
	setpgid(child, child);
	for (;;) {
		siginfo_t si;
		int sig = sigwaitinfo(&set, &si);
		if (sig == SIGCHLD) {
			int status;
			pid_t got;
			while ((got = waitpid(-1, &status, WNOHANG)) > 0) {
				if (got != child)
					continue;
				int left = kill_tree(&chld);
				if (left)
					fprintf(stderr, "pipelab-guard: killed %d process(es) the run left behind\n", left);
				return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
			}
		} else if (sig > 0) {
			kill_tree(&chld);
			return 128 + sig;
		}
	}
}
