/* Shared between the blocking-proof files (blocking.c, proc.c, probe.c,
 * lookup.c) and the few harness places that hook into them; not case API. */
#ifndef PIPELAB_PROOF_H
#define PIPELAB_PROOF_H

#include "internal.h"

/* ---- what /proc shows of an actor (proc.c) --------------------------- */

/* Where /proc/PID/syscall says the task is. */
enum proc_where {
	PROC_UNREADABLE, /* the file could not be opened or read */
	PROC_RUNNING,    /* "running": on a CPU, in no wait at all */
	PROC_USER,       /* "-1 ...": stopped outside any system call */
	PROC_IN_SYSCALL, /* "NR arg0 ...": waiting inside system call NR */
};

struct proc_view {
	char state; /* /proc/PID/stat's letter, '\0' when unknown */
	enum proc_where where;
	long nr;        /* the system call's number, when PROC_IN_SYSCALL */
	long arg0;      /* its first argument (the descriptor for read/write) */
	int read_errno; /* why /proc/PID/syscall could not be read */
	char wchan[64];
};

void pl_proc_read(pid_t pid, struct proc_view *v);
/* The same for one thread of a process (/proc/PID/task/TID). */
void pl_proc_read_task(pid_t pid, pid_t tid, struct proc_view *v);
/* Context switches of a process (tid 0) or one of its threads, voluntary and
 * not: unchanged between two looks, the task never ran in between.  -1 when
 * /proc cannot tell. */
long long pl_proc_switches(pid_t pid, pid_t tid);
/* "asleep (S) in read(fd 4)", "running", "/proc/PID/syscall unreadable (EACCES)". */
const char *pl_proc_describe(const struct proc_view *v, char *buf, size_t n);
/* The system call a number names, "(other)" when the table lacks it. */
const char *pl_syscall_nr_name(long nr);

/* ---- which file a blocked call sleeps on (proof_object.c) ------------ */

/* Judge: remember a pipe or FIFO the scenario made. */
void pl_sandbox_note_object(pl_sandbox *sb, const struct stat *st);
/* Whether fd of the actor is now a pipe a proof may accept (the scenario's,
 * or one another actor or the judge holds too); what says which, or why not. */
bool pl_proof_object(pl_sandbox *sb, int actor, long fd, char *what, size_t n);

/* ---- the interrupt probe (probe.c) ----------------------------------- */

/* Actor side, at start-up (pl_spawn): install the probe handler, unblocked. */
void pl_probe_arm(void);
/* Actor side: what a recorded call had seen of signals before one attempt. */
struct pl_probe_mark {
	int probe_hits, case_signals;
};
void pl_probe_mark(const struct pl_step *s, struct pl_probe_mark *m);
/* Actor side, after one attempt of a call: true when the attempt was cut
 * short (interrupted) by the probe alone, and so must be made again unseen;
 * marks the step probe_eintr and takes a new mark. */
bool pl_probe_again(struct pl_step *s, struct pl_probe_mark *m, bool interrupted);
/* Actor side, for a pl_begin call the case makes itself: mark the step when
 * the probe (and nothing of the case's) made it fail with EINTR. */
void pl_probe_note_eintr(struct pl_step *s, long ret, int err);
/* Whether the user asked for the probe for every proof (PIPELAB_BLOCK_PROOF=probe). */
bool pl_probe_wanted(void);

/* ---- one proof of blocking (blocking.c) ------------------------------ */

enum proof_method { METHOD_PROC, METHOD_PROBE }; /* /proc, or the weaker interrupt probe */
enum proof_state { PROOF_PENDING, PROOF_PROVEN, PROOF_MISSED };

struct proof {
	pl_sandbox *sb;
	int actor;
	struct pl_actor_rec *r;
	enum pl_op op;
	const char *call; /* the name the case recorded (pl_begin), or NULL */
	const char *why;  /* why the call should block, or NULL */
	const char *file;
	int line;
	int64_t window_end;
	bool judge; /* record checks (false: a self-test's expected miss) */
	enum proof_method method;
	char why_probe[96];
	struct proc_view last;
	bool entered, looked;
	int base_index, base_count; /* probe interruptions a proof found already there */
	int64_t entered_ns, probe_sent_ns;
	int polls, probes;
	int send_errno; /* why the last probe could not be sent */
	char name[32], callname[48];
	char object_miss[160]; /* asleep on the right fd number, but not on the scenario's pipe */
};

/* Run one proof to its end: true when proven; false when it failed (a FAIL
 * check when p->judge) or its window closed. */
bool pl_prove(struct proof *p);

/* ---- thread actors (threads.c) --------------------------------------- */

/* What /proc shows of an actor, process or thread (a thread's tid is checked
 * to be one of its process's tasks before it is read). */
void pl_actor_proc_read(pl_sandbox *sb, int actor, struct proc_view *v);
/* The same for the actor's context switches (pl_proc_switches). */
long long pl_actor_switches(pl_sandbox *sb, int actor);
/* A thread actor's end: its function returned or its process ended
 * (sandbox.c's pl_actor_reap hands thread slots here). */
bool pl_thread_reap(pl_sandbox *sb, int actor, bool until_deadline);
/* The process in slot parent has been reaped: its threads' records are
 * final (sanitized); a thread still running ended with its process. */
void pl_threads_end(pl_sandbox *sb, int parent);
/* The actor record of the calling thread: a thread actor's own, else the
 * process's (signal handlers count into it). */
struct pl_actor_rec *pl_current_rec(void);

/* ---- untrusted shared memory (lookup.c) ------------------------------ */

/* Actors write their records; the judge reads them with these bounds. */
int pl_rec_in_step(const struct pl_actor_rec *r);
/* Force every string of a finished record to end inside its buffer and
 * every count into range (the actor can no longer write it). */
void pl_rec_sanitize(struct pl_actor_rec *r);
/* A bounded copy of a string field that an actor may have left unterminated. */
const char *pl_bounded(const char *field, size_t size, char *out, size_t n);
/* The lookups without any verdict (for the harness's own polling). */
struct pl_step *pl_find_step(pl_sandbox *sb, int actor, enum pl_op op, const char *call, int from);
/* "was killed by SIGSEGV (11)", "exited (status 3)": for "reader ... before its read()". */
const char *pl_actor_end_phrase(const struct pl_actor_rec *r, char *buf, size_t n);
/* A recorded call as a reader names it: "write()", or a pl_begin call's own
 * name ("fill", "read into a bad buffer"). */
const char *pl_step_call(const struct pl_step *s, char *buf, size_t n);
/* "read/open/no-data@pipe": the case id with its pipe kind (record.c). */
void pl_case_full_id(const pl_case *c, char *buf, size_t n);
/* "cases/eintr.c:97" from __FILE__ and __LINE__. */
const char *pl_where(const char *file, int line, char *buf, size_t n);

#endif
