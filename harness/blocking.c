/* Proof that an actor is blocked: it has entered the recorded call and the
 * kernel shows it asleep (state S) in that very syscall on that descriptor.
 * wchan is kept as evidence only; its name differs between kernel versions.
 * Where /proc cannot tell, an interrupt probe stands in: a signal without
 * SA_RESTART makes a sleeping call fail with EINTR (weaker evidence). */
#include "internal.h"

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

struct proc_view {
	char state;
	long nr;        /* -2: unreadable, -3: "running", -1: not in a syscall */
	long arg0;
	int read_errno; /* why /proc/PID/syscall could not be read */
	char wchan[64];
};

static void read_proc(pid_t pid, struct proc_view *v)
{
	char path[64], buf[512];
	memset(v, 0, sizeof *v);
	v->state = '?';
	v->nr = -2;
	/* stdio, not read(): an interposed read() must not disturb the harness. */
	snprintf(path, sizeof path, "/proc/%d/stat", pid);
	FILE *f = fopen(path, "re");
	if (f) {
		if (fgets(buf, sizeof buf, f)) {
			char *p = strrchr(buf, ')');
			if (p && p[1] == ' ')
				v->state = p[2];
		}
		fclose(f);
	}
	snprintf(path, sizeof path, "/proc/%d/syscall", pid);
	f = fopen(path, "re");
	if (!f) {
		v->read_errno = errno;
	} else {
		if (fgets(buf, sizeof buf, f)) {
			if (!strncmp(buf, "running", 7)) {
				v->nr = -3;
			} else {
				char *end;
				v->nr = strtol(buf, &end, 10);
				v->arg0 = strtol(end, NULL, 16);
			}
		} else {
			v->read_errno = errno ? errno : EIO;
		}
		fclose(f);
	}
	snprintf(path, sizeof path, "/proc/%d/wchan", pid);
	f = fopen(path, "re");
	if (f) {
		if (!fgets(v->wchan, sizeof v->wchan, f))
			v->wchan[0] = '\0';
		fclose(f);
	}
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

const char *pl_syscall_name(long nr)
{
	if (nr == -1)
		return "(not in a syscall)";
	if (nr == -3)
		return "(running)";
	if (nr == -2)
		return "(unreadable)";
	const char *table = getenv("PIPELAB_PROC_SYSCALLS");
	if (table && *table)
		return host_name(table, nr);
	for (size_t i = 0; i < NNAMES; i++)
		if (NAMES[i].nr == nr)
			return NAMES[i].name;
	return "(other)";
}

/* Whether /proc's syscall number nr is the call the actor is in. */
static bool syscall_matches(enum pl_op op, const char *call, long nr)
{
	const char *name = pl_syscall_name(nr);
	switch (op) {
	case PL_OP_CALL:
		if (!strcmp(call, "poll"))
			return !strcmp(name, "poll") || !strcmp(name, "ppoll");
		return (!strcmp(call, "vmsplice") || !strcmp(call, "splice")) && !strcmp(name, call);
	case PL_OP_READ: return !strcmp(name, "read") || !strcmp(name, "readv");
	case PL_OP_WRITE: return !strcmp(name, "write") || !strcmp(name, "writev");
	case PL_OP_OPEN: return !strcmp(name, "openat") || !strcmp(name, "open");
	default: return false;
	}
}

static bool want_probe(void)
{
	const char *m = getenv("PIPELAB_BLOCK_PROOF");
	return m && !strcmp(m, "probe");
}

/* Wait briefly and cheaply: a few yields, then a futex wait on the actor's
 * progress word, so the call returning ends the wait at once. */
static void back_off(struct pl_actor_rec *r, uint32_t seen, int round, int64_t left)
{
	if (round < 20) {
		sched_yield();
		return;
	}
	int64_t ns = 50000LL << (round - 20 < 6 ? round - 20 : 6); /* 50 us .. 3.2 ms */
	if (ns > left)
		ns = left;
	if (ns > 0)
		pl_futex_wait(&r->progress, seen, ns);
}

static bool prove(pl_sandbox *sb, int actor, enum pl_op op, const char *call, int64_t window_end, bool judge)
{
	struct pl_actor_rec *r = &sb->shm->actor[actor];
	bool probe = want_probe();
	const char *probe_reason = probe ? "PIPELAB_BLOCK_PROOF=probe" : NULL;
	struct proc_view last = { .state = '?', .nr = -2 };
	bool entered = false;
	int64_t entered_ns = 0, probe_sent_ns = 0;
	int round = 0, polls = 0, probes = 0;

	for (;; round++) {
		uint32_t seen = r->progress;
		int i = r->in_step;
		/* Calls before an earlier proof are history: a woken read that has not
		 * returned yet must not be mistaken for the next one. */
		struct pl_step *s = i >= sb->next_proof[actor] ? &r->steps[i] : NULL;
		if (s && s->op == (int)op && (!call || !strcmp(s->what, call)) && !s->done) {
			if (!entered) {
				entered = true;
				entered_ns = s->t_enter_ns;
			}
			if (!probe) {
				read_proc(r->pid, &last);
				polls++;
				if (last.nr == -2) {
					probe = true;
					probe_reason = "/proc/PID/syscall unreadable";
				} else if (last.state == 'S' && syscall_matches(op, call ? call : "", last.nr) &&
					   (op == PL_OP_OPEN || s->fd < 0 || last.arg0 == s->fd)) {
					cJSON *e = cJSON_CreateObject();
					cJSON_AddStringToObject(e, "actor", r->name);
					cJSON_AddStringToObject(e, "call", (call ? call : pl_op_name(op)));
					cJSON_AddNumberToObject(e, "step", i);
					cJSON_AddStringToObject(e, "method", "proc");
					cJSON_AddStringToObject(e, "state", "S");
					cJSON_AddNumberToObject(e, "syscall_nr", (double)last.nr);
					cJSON_AddStringToObject(e, "syscall", pl_syscall_name(last.nr));
					if (op != PL_OP_OPEN)
						cJSON_AddNumberToObject(e, "fd", (double)last.arg0);
					cJSON_AddStringToObject(e, "wchan", last.wchan);
					cJSON_AddNumberToObject(e, "latency_ms", (double)(pl_now_ns() - entered_ns) / 1e6);
					cJSON_AddNumberToObject(e, "polls", polls);
					cJSON_AddNumberToObject(e, "t_ns", (double)pl_now_ns());
					cJSON_AddItemToArray(sb->blocking, e);
					sb->next_proof[actor] = i + 1;
					if (judge)
						pl_check(sb->c, true, "call blocks", "blocked (asleep in the call)",
							 "%s asleep in %s(fd %ld): state S, /proc syscall %ld, wchan %s",
							 r->name, pl_syscall_name(last.nr), last.arg0, last.nr,
							 last.wchan[0] ? last.wchan : "?");
					return true;
				}
			}
			if (probe) {
				if (s->probe_eintr) {
					cJSON *e = cJSON_CreateObject();
					cJSON_AddStringToObject(e, "actor", r->name);
					cJSON_AddStringToObject(e, "call", (call ? call : pl_op_name(op)));
					cJSON_AddNumberToObject(e, "step", i);
					cJSON_AddStringToObject(e, "method", "interrupt-probe");
					cJSON_AddStringToObject(e, "evidence", "weaker: a SIGUSR2 without SA_RESTART interrupted the call (EINTR or short count); the call was then made again");
					cJSON_AddStringToObject(e, "why_probe", probe_reason);
					cJSON_AddNumberToObject(e, "latency_ms", (double)(pl_now_ns() - entered_ns) / 1e6);
					cJSON_AddNumberToObject(e, "signals_sent", probes);
					cJSON_AddNumberToObject(e, "t_ns", (double)pl_now_ns());
					cJSON_AddItemToArray(sb->blocking, e);
					sb->next_proof[actor] = i + 1;
					if (judge)
						pl_check(sb->c, true, "call blocks", "blocked (asleep in the call)",
							 "%s's %s() interrupted by the probe signal (weaker evidence: %s)",
							 r->name, (call ? call : pl_op_name(op)), probe_reason);
					return true;
				}
				/* A signal that lands before the call sleeps is absorbed; send
				 * again, spaced out so a slow target gets the time to sleep. */
				int64_t gap = 200000LL * (probes < 10 ? probes + 1 : 10);
				if (pl_now_ns() - probe_sent_ns > gap) {
					kill(r->pid, SIGUSR2);
					probe_sent_ns = pl_now_ns();
					probes++;
				}
			}
		} else {
			struct pl_step *d = call ? pl_step_named(sb, actor, call) : pl_last_step(sb, actor, op);
			if (d && d - r->steps < sb->next_proof[actor])
				d = NULL;
			if (entered && d && d->done) {
				char out[64];
				if (judge)
					pl_check(sb->c, false, "call blocks", "blocked (asleep in the call)",
						 "%s() by %s returned %s without blocking", (call ? call : pl_op_name(op)), r->name,
						 pl_step_outcome(d, out, sizeof out));
				return false;
			}
			if (pl_actor_reap(sb, actor, false)) {
				char end[96];
				if (judge)
					pl_check(sb->c, false, "call blocks", "blocked (asleep in the call)",
						 "%s ended (%s) %s", r->name, pl_actor_end_text(r, end, sizeof end),
						 entered ? "inside the call" : "before reaching the call");
				return false;
			}
		}
		int64_t left = window_end - pl_now_ns();
		if (left <= 0) {
			if (judge)
				pl_check(sb->c, false, "call blocks", "blocked (asleep in the call)",
					 "%s never proven asleep in %s(): %s; last seen state %c in syscall %ld %s, wchan '%s'",
					 r->name, (call ? call : pl_op_name(op)), entered ? "call entered" : "call never entered",
					 last.state, last.nr, pl_syscall_name(last.nr), last.wchan);
			return false;
		}
		back_off(r, seen, round, left);
	}
}

bool pl_await_blocked(pl_sandbox *sb, int actor, enum pl_op op)
{
	return prove(sb, actor, op, NULL, sb->deadline_ns, true);
}

bool pl_await_blocked_in(pl_sandbox *sb, int actor, const char *call)
{
	return prove(sb, actor, PL_OP_CALL, call, sb->deadline_ns, true);
}

bool pl_probe_blocked(pl_sandbox *sb, int actor, enum pl_op op, double window_s)
{
	return prove(sb, actor, op, NULL, pl_now_ns() + (int64_t)(window_s * 1e9), false);
}

bool pl_await_still_blocked(pl_sandbox *sb, int actor, enum pl_op op)
{
	if (sb->next_proof[actor] > 0)
		sb->next_proof[actor]--;
	return prove(sb, actor, op, NULL, sb->deadline_ns, true);
}
