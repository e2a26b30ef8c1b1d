/* pipelab-check-impl, the second look: load the library as the actors load
 * it (harness/box.c: dlopen by path, RTLD_NOW, as PIPELAB_UNPRIVILEGED_USER,
 * default nobody, when we are root), in a throwaway child in its own process
 * group, under a deadline.  The library's constructors are the code under
 * test, so they never run privileged, never in this process, never with the
 * caller's output, and whatever they start is killed with the group. */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check_impl.h"
#include "private_ipc.h"
#include "unpriv_user.h"

/* Where the child's result goes: first byte LOADED, or the loader's message. */
static const char LOADED = 'Y';

static const char *signal_name(int sig)
{
	static const struct { int s; const char *n; } t[] = {
		{ SIGSEGV, "SIGSEGV" }, { SIGBUS, "SIGBUS" }, { SIGABRT, "SIGABRT" }, { SIGILL, "SIGILL" },
		{ SIGFPE, "SIGFPE" }, { SIGKILL, "SIGKILL" }, { SIGTERM, "SIGTERM" }, { SIGALRM, "SIGALRM" },
		{ SIGPIPE, "SIGPIPE" }, { SIGSYS, "SIGSYS" }, { SIGTRAP, "SIGTRAP" }, { SIGXCPU, "SIGXCPU" },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (t[i].s == sig)
			return t[i].n;
	static char buf[24];
	snprintf(buf, sizeof buf, "signal %d", sig);
	return buf;
}

void resolve_user(struct loader_user *u)
{
	memset(u, 0, sizeof *u);
	if (geteuid() != 0)
		return;
	const char *env = getenv("PIPELAB_UNPRIVILEGED_USER");
	snprintf(u->name, sizeof u->name, "%s", env && *env ? env : "nobody");
	const char *why = pl_unpriv_user(u->name, &u->uid, &u->gid);
	if (why) {
		snprintf(u->error, sizeof u->error, "cannot be checked: PIPELAB_UNPRIVILEGED_USER=%s: %s", u->name, why);
		return;
	}
	u->drop = true;
}

/* Kill every process of UID: a child that becomes UID and calls kill(-1),
 * which reaches exactly the processes UID may signal, all at once (so none
 * forks its way out).  Only for a uid no account has (./pipelab grade gives
 * each student one): other programs may run as an account's uid, nobody's. */
int sweep_uid(uid_t uid)
{
	if (uid == 0 || geteuid() != 0 || getpwuid(uid))
		return -1;
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (setgroups(0, NULL) < 0 || setresgid((gid_t)uid, (gid_t)uid, (gid_t)uid) < 0 ||
		    setresuid(uid, uid, uid) < 0)
			_exit(1);
		enum { SWEEPS = 100 };
		for (int i = 0; i < SWEEPS && kill(-1, SIGKILL) == 0; i++)
			; /* again until nothing is left to signal (ESRCH) */
		_exit(0);
	}
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

static void child_say(int out, const char *s)
{
	/* raw system call: the library may interpose write */
	syscall(SYS_write, out, s, strlen(s));
}

/* In the child, its own process group: nothing of ours to read or write, the
 * actors' user, then the load of PATH (absolute).  Never returns. */
static void load_in_child(const char *path, const struct loader_user *u, int out, pid_t parent)
{
	setpgid(0, 0);
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null >= 0) {
		dup2(null, STDIN_FILENO);
		dup2(null, STDOUT_FILENO);
		dup2(null, STDERR_FILENO);
	}
	if (chdir("/") != 0)
		_exit(1);
	pl_private_ipc(); /* what its constructors leave in IPC or /dev/shm goes with it */
	if (u->drop && (setgroups(0, NULL) < 0 || setresgid(u->gid, u->gid, u->gid) < 0 ||
			setresuid(u->uid, u->uid, u->uid) < 0)) {
		child_say(out, "!cannot switch to the unprivileged user");
		_exit(1);
	}
	prctl(PR_SET_PDEATHSIG, SIGKILL); /* after the credential change, which clears it */
	if (getppid() != parent)
		_exit(1);
	if (dlopen(path, RTLD_NOW | RTLD_LOCAL)) {
		syscall(SYS_write, out, &LOADED, 1);
		_exit(0);
	}
	const char *e = dlerror();
	size_t len = strlen(path);
	if (e && !strncmp(e, path, len) && !strncmp(e + len, ": ", 2))
		e += len + 2; /* the caller names the file */
	child_say(out, e && *e ? e : "dlopen failed without a message");
	_exit(1);
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Whether the child pid has ended (a zombie, not reaped) by end_ms. */
static bool ended_by(pid_t pid, long long end_ms)
{
	int pfd = (int)syscall(SYS_pidfd_open, pid, 0);
	for (;;) {
		siginfo_t si = { 0 };
		if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0 && si.si_pid == pid)
			break;
		long long left = end_ms - now_ms();
		if (left <= 0) {
			if (pfd >= 0)
				close(pfd);
			return false;
		}
		/* The pidfd turns readable when the child ends; without one (an old
		 * kernel), look again every millisecond. */
		struct pollfd w = { .fd = pfd, .events = POLLIN };
		poll(pfd >= 0 ? &w : NULL, pfd >= 0 ? 1 : 0, pfd >= 0 ? (int)left : 1);
	}
	if (pfd >= 0)
		close(pfd);
	return true;
}

/* We are the subreaper of the load's child: whatever its constructors left
 * behind outside its process group (setsid, a double fork) is reparented
 * here.  Kill it all, round after round, until no child is left. */
static void kill_orphans(void)
{
	enum { ROUNDS = 1000 };
	char path[64];
	snprintf(path, sizeof path, "/proc/self/task/%d/children", (int)getpid());
	for (int round = 0; round < ROUNDS; round++) {
		FILE *f = fopen(path, "re");
		int child, n = 0;
		while (f && fscanf(f, "%d", &child) == 1) {
			kill(child, SIGKILL);
			n++;
		}
		if (f)
			fclose(f);
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		if (n == 0)
			return;
		poll(NULL, 0, 1);
	}
}

enum load_outcome try_load(const char *path, const struct loader_user *u, int deadline_s, char *why, size_t n)
{
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	if (u->error[0]) {
		snprintf(why, n, "%s", u->error);
		return LOAD_UNCHECKED;
	}
	int p[2];
	if (pipe2(p, O_CLOEXEC) != 0) {
		snprintf(why, n, "cannot be checked: pipe: %s", strerror(errno));
		return LOAD_UNCHECKED;
	}
	fflush(NULL);
	pid_t parent = getpid(), pid = fork();
	if (pid == 0) {
		close(p[0]);
		load_in_child(path, u, p[1], parent);
	}
	close(p[1]);
	if (pid < 0) {
		close(p[0]);
		snprintf(why, n, "cannot be checked: fork: %s", strerror(errno));
		return LOAD_UNCHECKED;
	}
	setpgid(pid, pid); /* both sides: the group exists before either goes on */
	/* What the child says (one write, below PIPE_BUF), or the end of the pipe
	 * when it died, before the deadline. */
	char msg[WHY_MAX] = "";
	ssize_t got = 0;
	bool timed_out = false;
	long long end = now_ms() + (long long)deadline_s * 1000;
	for (;;) {
		long long left = end - now_ms();
		if (left <= 0) {
			timed_out = true;
			break;
		}
		struct pollfd pfd = { .fd = p[0], .events = POLLIN };
		if (poll(&pfd, 1, (int)left) <= 0)
			continue; /* EINTR, or the deadline: checked above */
		got = read(p[0], msg, sizeof msg - 1);
		break;
	}
	msg[got > 0 ? got : 0] = '\0';
	close(p[0]);
	/* Its word said, the child must still end within the same deadline (a
	 * constructor may say "loaded" and then never return). */
	if (!timed_out && !ended_by(pid, end))
		timed_out = true;
	if (timed_out)
		kill(-pid, SIGKILL);
	/* Whatever its constructors started goes with the group, killed while the
	 * child is a zombie (its pid, the group's id, cannot be reused yet). */
	siginfo_t si;
	while (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT) < 0 && errno == EINTR)
		;
	kill(-pid, SIGKILL);
	int status = 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	kill_orphans();
	bool exited = WIFEXITED(status);
	if (msg[0] == LOADED && exited && WEXITSTATUS(status) == 0)
		return LOAD_OK;
	if (timed_out) {
		snprintf(why, n, "hangs while being loaded (killed after %d s)", deadline_s);
		return LOAD_HANG;
	}
	if (WIFSIGNALED(status)) {
		snprintf(why, n, "crashes while being loaded (killed by %s)", signal_name(WTERMSIG(status)));
		return LOAD_CRASH;
	}
	if (msg[0] == '!') {
		snprintf(why, n, "cannot be checked: %s '%s'", msg + 1, u->name);
		return LOAD_UNCHECKED;
	}
	if (msg[0] && msg[0] != LOADED) {
		snprintf(why, n, "%s%s", msg,
			 u->drop && strstr(msg, "ermission") ? " (actors run unprivileged: the library and its directories must be readable by them)" : "");
		return LOAD_REFUSED;
	}
	snprintf(why, n, "ends the process while being loaded (exit status %d): its constructors must return",
		 exited ? WEXITSTATUS(status) : -1);
	return LOAD_EXIT;
}
