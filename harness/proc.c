/* What /proc shows of an actor: its state letter, the system call it waits
 * in (and on which descriptor), and its wchan (evidence only: the name
 * differs between kernel versions). */
#include "proof.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

/* Test-only: PIPELAB_TEST_PROC_SYSCALL=eacces (or enoent) makes every open
 * of /proc/PID/syscall fail as on a hardened kernel or one without /proc,
 * so the self-tests can show the probe taking over.  Not for users. */
static int simulated_proc_errno(void)
{
	const char *t = getenv("PIPELAB_TEST_PROC_SYSCALL");
	if (!t || !*t)
		return 0;
	if (!strcmp(t, "eacces"))
		return EACCES;
	if (!strcmp(t, "enoent"))
		return ENOENT;
	return 0;
}

static void read_syscall(const char *dir, struct proc_view *v)
{
	char path[96], buf[512];
	int simulated = simulated_proc_errno();
	if (simulated) {
		v->read_errno = simulated;
		return;
	}
	snprintf(path, sizeof path, "%s/syscall", dir);
	/* stdio, not read(): an interposed read() must not disturb the harness. */
	FILE *f = fopen(path, "re");
	if (!f) {
		v->read_errno = errno;
		return;
	}
	errno = 0;
	if (!fgets(buf, sizeof buf, f)) {
		v->read_errno = errno ? errno : EIO;
	} else if (!strncmp(buf, "running", 7)) {
		v->where = PROC_RUNNING;
	} else {
		char *end;
		v->nr = strtol(buf, &end, 10);
		v->arg0 = strtol(end, NULL, 16);
		v->where = v->nr < 0 ? PROC_USER : PROC_IN_SYSCALL;
	}
	fclose(f);
}

/* dir: /proc/PID for a process, /proc/PID/task/TID for one of its threads. */
static void read_dir(const char *dir, struct proc_view *v)
{
	char path[96], buf[512];
	memset(v, 0, sizeof *v);
	v->where = PROC_UNREADABLE;
	snprintf(path, sizeof path, "%s/stat", dir);
	FILE *f = fopen(path, "re");
	if (f) {
		if (fgets(buf, sizeof buf, f)) {
			char *p = strrchr(buf, ')');
			if (p && p[1] == ' ')
				v->state = p[2];
		}
		fclose(f);
	}
	read_syscall(dir, v);
	snprintf(path, sizeof path, "%s/wchan", dir);
	f = fopen(path, "re");
	if (f) {
		/* "0": the kernel could not name the wait (5.10's x86 ORC builds). */
		if (!fgets(v->wchan, sizeof v->wchan, f) || !strcmp(v->wchan, "0"))
			v->wchan[0] = '\0';
		fclose(f);
	}
}

void pl_proc_read(pid_t pid, struct proc_view *v)
{
	char dir[32];
	snprintf(dir, sizeof dir, "/proc/%d", (int)pid);
	read_dir(dir, v);
}

void pl_proc_read_task(pid_t pid, pid_t tid, struct proc_view *v)
{
	char dir[64];
	snprintf(dir, sizeof dir, "/proc/%d/task/%d", (int)pid, (int)tid);
	read_dir(dir, v);
}

long long pl_proc_switches(pid_t pid, pid_t tid)
{
	char path[96], line[128];
	if (tid > 0)
		snprintf(path, sizeof path, "/proc/%d/task/%d/status", (int)pid, (int)tid);
	else
		snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "re");
	if (!f)
		return -1;
	long long sum = 0;
	int found = 0;
	while (fgets(line, sizeof line, f)) {
		long long n;
		if (sscanf(line, "voluntary_ctxt_switches: %lld", &n) == 1 ||
		    sscanf(line, "nonvoluntary_ctxt_switches: %lld", &n) == 1) {
			sum += n;
			found++;
		}
	}
	fclose(f);
	return found == 2 ? sum : -1;
}

static const char *state_words(char state)
{
	switch (state) {
	case 'S': return "asleep";
	case 'D': return "in an uninterruptible wait";
	case 'R': return "running";
	case 'T': case 't': return "stopped";
	case 'Z': case 'X': return "ended";
	default: return "in an unknown state";
	}
}

const char *pl_proc_describe(const struct proc_view *v, char *buf, size_t n)
{
	switch (v->where) {
	case PROC_UNREADABLE:
		snprintf(buf, n, "%s; /proc/PID/syscall could not be read (%s)", state_words(v->state),
			 v->read_errno ? pl_errno_name(v->read_errno) : "not looked at");
		break;
	case PROC_RUNNING: snprintf(buf, n, "running on a CPU, in no system call"); break;
	case PROC_USER: snprintf(buf, n, "%s outside any system call", state_words(v->state)); break;
	case PROC_IN_SYSCALL: {
		/* The first argument only where it is a descriptor (not openat's
		 * AT_FDCWD, nor a futex's address). */
		const char *call = pl_syscall_nr_name(v->nr);
		static const char *const ON_FD[] = { "read", "write", "readv", "writev", "splice", "vmsplice" };
		char fd[32] = "";
		for (size_t i = 0; i < sizeof ON_FD / sizeof ON_FD[0]; i++)
			if (!strcmp(call, ON_FD[i]))
				snprintf(fd, sizeof fd, " on fd %ld", v->arg0);
		snprintf(buf, n, "%s in %s()%s%s%s", state_words(v->state), call, fd, v->wchan[0] ? ", waiting in " : "",
			 v->wchan);
		break;
	}
	}
	return buf;
}

/* The system calls a proof can name; the numbers are this build's. */
static const struct syscall_name {
	long nr;
	const char *name;
} NAMES[] = {
	{ SYS_read, "read" }, { SYS_write, "write" }, { SYS_openat, "openat" },
	{ SYS_close, "close" }, { SYS_readv, "readv" }, { SYS_writev, "writev" },
	{ SYS_clock_nanosleep, "clock_nanosleep" }, { SYS_futex, "futex" },
	{ SYS_wait4, "wait4" }, { SYS_rt_sigsuspend, "rt_sigsuspend" },
	{ SYS_ppoll, "ppoll" }, { SYS_pselect6, "pselect6" },
	{ SYS_splice, "splice" }, { SYS_vmsplice, "vmsplice" },
#ifdef SYS_epoll_wait
	{ SYS_epoll_wait, "epoll_wait" },
#endif
	{ SYS_epoll_pwait, "epoll_pwait" },
#ifdef SYS_epoll_pwait2
	{ SYS_epoll_pwait2, "epoll_pwait2" },
#endif
#ifdef SYS_nanosleep
	{ SYS_nanosleep, "nanosleep" },
#endif
#ifdef SYS_open
	{ SYS_open, "open" },
#endif
#ifdef SYS_poll
	{ SYS_poll, "poll" },
#endif
#ifdef SYS_pause
	{ SYS_pause, "pause" },
#endif
};
#define NNAMES (sizeof NAMES / sizeof NAMES[0])

char *pl_syscall_table(char *buf, size_t n)
{
	size_t k = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < NNAMES && k < n; i++)
		k += (size_t)snprintf(buf + k, n - k, "%s%ld=%s", i ? "," : "", NAMES[i].nr, NAMES[i].name);
	return buf;
}

/* Under an emulator, /proc/PID/syscall counts in the host's numbering,
 * which the launcher passes as PIPELAB_PROC_SYSCALLS ("0=read,1=write,..."). */
static const char *host_name(const char *table, long nr)
{
	static char name[32];
	for (const char *p = table; *p; p += strcspn(p, ","), p += *p == ',') {
		char *end;
		long k = strtol(p, &end, 10);
		size_t len = strcspn(end, ",");
		if (*end == '=' && k == nr && len - 1 < sizeof name) {
			snprintf(name, sizeof name, "%.*s", (int)(len - 1), end + 1);
			return name;
		}
	}
	return "(other)";
}

const char *pl_syscall_nr_name(long nr)
{
	const char *table = getenv("PIPELAB_PROC_SYSCALLS");
	if (table && *table)
		return host_name(table, nr);
	for (size_t i = 0; i < NNAMES; i++)
		if (NAMES[i].nr == nr)
			return NAMES[i].name;
	return "(other)";
}

const char *pl_syscall_name(long nr) { return nr < 0 ? "(not in a system call)" : pl_syscall_nr_name(nr); }
