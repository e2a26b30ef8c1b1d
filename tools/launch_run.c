/* pipelab-launch: run the case under its limits, with a deadline, keeping at
 * most LAUNCH_OUTPUT_CAP bytes of its output; then kill and name whatever it
 * left behind. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "launch.h"
#include "pipelab.h"
#include "tree.h"

/* Limits a case never needs more of (50 actors and their FIFO peers, a few
 * MiB each), so that none of the cases notices them. */
enum {
	LIMIT_PROCS = 256,      /* the actors' unprivileged user (run as root) */
	LIMIT_AS_MIB = 1024,    /* per process */
	LIMIT_FSIZE_MIB = 64,   /* any file a case writes */
	LIMIT_NOFILE = 1024,
};

void launch_limit(struct launch *l, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (l->limits_n < LAUNCH_MAX_NOTES)
		vsnprintf(l->limits[l->limits_n++], sizeof l->limits[0], fmt, ap);
	va_end(ap);
}

void launch_warning(struct launch *l, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (l->warnings_n < LAUNCH_MAX_NOTES)
		vsnprintf(l->warnings[l->warnings_n++], sizeof l->warnings[0], fmt, ap);
	va_end(ap);
}

static void set_limit(int what, rlim_t soft, rlim_t hard)
{
	struct rlimit now, want = { soft, hard };
	if (getrlimit(what, &now) == 0 && now.rlim_max != RLIM_INFINITY) {
		want.rlim_max = want.rlim_max < now.rlim_max ? want.rlim_max : now.rlim_max;
		want.rlim_cur = want.rlim_cur < want.rlim_max ? want.rlim_cur : want.rlim_max;
	}
	setrlimit(what, &want);
}

/* In the case process, before exec: nothing but stdin, stdout and stderr.
 * Whatever ctest (or its caller) left open -- its LastTest.log, a job
 * server's pipe -- is not the case's to write, nor the code under test's.
 * The launcher passes the case nothing else (the evidence goes by path). */
static void close_inherited(void)
{
#ifdef SYS_close_range
	if (syscall(SYS_close_range, 3U, ~0U, 0U) == 0)
		return;
#endif
	/* No close_range (an old kernel, an emulator): one by one. */
	long max = sysconf(_SC_OPEN_MAX);
	enum { FD_SCAN_CAP = 65536 };
	for (int fd = 3; fd < (max > 0 && max < FD_SCAN_CAP ? max : FD_SCAN_CAP); fd++)
		close(fd);
}

/* In the case process, before exec. */
static void apply_limits(const struct launch *l)
{
	set_limit(RLIMIT_CORE, 0, 0);
	set_limit(RLIMIT_NOFILE, LIMIT_NOFILE, LIMIT_NOFILE);
	set_limit(RLIMIT_FSIZE, (rlim_t)LIMIT_FSIZE_MIB << 20, (rlim_t)LIMIT_FSIZE_MIB << 20);
	rlim_t cpu = (rlim_t)l->case_deadline + 1; /* counted per process: per variant */
	set_limit(RLIMIT_CPU, cpu, cpu + 2);
	/* valgrind and qemu-user reserve address space far beyond what they use. */
	if (!l->valgrind && l->nemu == 0)
		set_limit(RLIMIT_AS, (rlim_t)LIMIT_AS_MIB << 20, (rlim_t)LIMIT_AS_MIB << 20);
	/* Counted per user: root is exempt, the actors' unprivileged user is not.
	 * A non-root run shares its user's count with everything else the user
	 * runs, so there it stays as it was (see the README). */
	if (geteuid() == 0)
		set_limit(RLIMIT_NPROC, LIMIT_PROCS, LIMIT_PROCS);
}

/* What was kept of the output, for ctest's log. */
void launch_copy_out(const char *path)
{
	FILE *f = fopen(path, "re");
	char buf[8192];
	size_t n;
	while (f && (n = fread(buf, 1, sizeof buf, f)) > 0)
		fwrite(buf, 1, n, stdout);
	if (f)
		fclose(f);
	fflush(stdout);
}

static void on_chld(int sig) { (void)sig; /* wakes ppoll */ }

enum pump { PUMP_DATA, PUMP_AGAIN, PUMP_EOF };

/* Copy what is readable now into the log, within the cap. */
static enum pump pump(struct launch *l, int from, int log, long long *kept)
{
	char buf[65536];
	ssize_t n = read(from, buf, sizeof buf);
	if (n <= 0)
		return n < 0 && (errno == EAGAIN || errno == EINTR) ? PUMP_AGAIN : PUMP_EOF;
	long long room = LAUNCH_OUTPUT_CAP - *kept;
	long long keep = n < room ? n : room > 0 ? room : 0;
	if (keep > 0 && log >= 0 && write(log, buf, (size_t)keep) == keep)
		*kept += keep;
	l->output_dropped += n - keep;
	return PUMP_DATA;
}

static double elapsed(const struct timespec *t0)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Kill and reap every process that is still our descendant; name them. */
static void kill_descendants(struct launch *l)
{
	char named[300];
	int alive = 0;
	int killed = pl_kill_descendants(named, sizeof named, &alive);
	if (!killed)
		return;
	printf("pipelab-launch: killed %d leftover process(es) of %s\n", killed, l->id);
	if (alive)
		launch_warning(l, "%d process(es) outlived the case and were killed at its end: %s", alive, named);
	if (killed >= LAUNCH_LEFTOVERS_FORK_LIMIT && geteuid() == 0)
		launch_limit(l, "fork limit reached (%d processes were left)", killed);
}

void launch_run(struct launch *l)
{
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	signal(SIGPIPE, SIG_IGN);
	sigset_t chld, old;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, &old);
	struct sigaction sa = { .sa_handler = on_chld };
	sigaction(SIGCHLD, &sa, NULL);

	int out[2];
	if (pipe2(out, O_CLOEXEC) < 0)
		launch_die(LAUNCH_USAGE, "pipe for the case's output: %s", strerror(errno));
	int log = open(l->logpath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	fflush(NULL);
	pid_t child = fork();
	if (child < 0)
		launch_die(LAUNCH_USAGE, "fork: %s", strerror(errno));
	if (child == 0) {
		setpgid(0, 0);
		signal(SIGPIPE, SIG_DFL);
		sigaction(SIGCHLD, &(struct sigaction){ .sa_handler = SIG_DFL }, NULL);
		sigprocmask(SIG_SETMASK, &old, NULL);
		dup2(out[1], 1);
		dup2(out[1], 2);
		close_inherited();
		apply_limits(l);
		execvp(l->cmd[0], l->cmd);
		fprintf(stderr, "pipelab-launch: cannot run %s: %s\n", l->cmd[0], strerror(errno));
		_exit(127);
	}
	setpgid(child, child);
	close(out[1]);
	fcntl(out[0], F_SETFL, O_NONBLOCK);

	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	long long kept = 0;
	bool open_out = true;
	for (;;) {
		pid_t got = waitpid(child, &l->status, WNOHANG);
		if (got == child)
			break;
		double left = l->deadline - elapsed(&t0);
		if (left <= 0) {
			l->timed_out = true;
			kill(-child, SIGKILL);
			kill(child, SIGKILL);
			waitpid(child, &l->status, 0);
			break;
		}
		struct pollfd p = { out[0], POLLIN, 0 };
		struct timespec ts = { 0, left < 0.2 ? (long)(left * 1e9) : 200000000 };
		if (ppoll(&p, open_out ? 1 : 0, &ts, &old) > 0)
			open_out = pump(l, out[0], log, &kept) != PUMP_EOF;
	}
	kill_descendants(l);
	while (pump(l, out[0], log, &kept) == PUMP_DATA) /* every writer is gone now */
		;
	close(out[0]);
	if (log >= 0)
		close(log);
	if (l->output_dropped > 0)
		launch_limit(l, "output cut at 1 MiB (%lld bytes discarded)", l->output_dropped);
	if (WIFSIGNALED(l->status) && WTERMSIG(l->status) == SIGXCPU)
		launch_limit(l, "CPU time limit reached");
	if (WIFSIGNALED(l->status) && WTERMSIG(l->status) == SIGXFSZ)
		launch_limit(l, "file size limit reached");
	char sock[64];
	snprintf(sock, sizeof sock, "/tmp/criterion_%d.sock", child);
	unlink(sock);
	launch_copy_out(l->logpath);
}

/* The actors' user may own what is in it: nothing of theirs is followed. */
void launch_cleanup(struct launch *l) { pl_tree_remove(l->tmpdir); }
