/* Shared between the harness's own files; not part of the case API. */
#ifndef PIPELAB_INTERNAL_H
#define PIPELAB_INTERNAL_H

#include "pipelab.h"
#include <cjson/cJSON.h>
#include <signal.h>
#include <sys/stat.h>

/* A file the scenario made (its pipe or FIFO), by identity (proof_object.c). */
struct pl_object {
	dev_t dev;
	ino_t ino;
};
#define PL_MAX_OBJECTS 8

struct pl_sandbox {
	pl_case *c;
	char name[96];
	struct pl_shared *shm;
	pl_actor judge;
	pid_t leader; /* the actors' process group: its first actor, reaped only at the end */
	int anchor;   /* that actor's slot */
	int nactors;  /* including the judge at index 0 */
	int ncreators; /* creator actors, in the top slots (kinds.c) */
	int64_t t0_ns, deadline_ns;
	sigset_t saved_mask;
	bool ended;
	bool timed_out;
	cJSON *blocking; /* array of blocking-proof records */
	int held[16]; /* pipe ends the judge still holds (closed at the end) */
	pid_t pid[PL_MAX_ACTORS]; /* the judge's own copy: never trust the pid in shared memory */
	bool reaped[PL_MAX_ACTORS];
	bool killed[PL_MAX_ACTORS];    /* still running at the end: the harness killed it */
	int64_t end_ns[PL_MAX_ACTORS]; /* when the judge saw the actor end (its timeline bar ends there) */
	int next_proof[PL_MAX_ACTORS]; /* a proof looks only at steps from here on */
	int thread_of[PL_MAX_ACTORS];  /* a thread actor: its process's slot + 1; 0 for a process */
	char timeout_what[160];
	bool own_user; /* pl_sandbox_own_user: actors get a user of their own */
	bool stopped;  /* a check ended the scenario before its deadline (nbwatch.c) */
	struct pl_object objects[PL_MAX_OBJECTS]; /* the pipes and FIFOs pl_pipe_make made */
	int nobjects;
	struct pl_nb_sample {
		int step;          /* the step sampled asleep, -1 none */
		int64_t t_enter_ns; /* its start, so a later call in the same slot is not mistaken for it */
		int64_t first_ns;  /* when it was first seen asleep */
		long long switches; /* the task's context switches then */
	} nb[PL_MAX_ACTORS];
};

struct pl_case {
	struct pl_case_spec spec;
	enum pl_kind kind;
	char test_name[160];
	enum pl_verdict verdict;
	int nchecks;
	char reason[512];
	char summary[768];
	char tmpdir[512];
	struct stat tmpdir_made; /* the directory mkdtemp made, so a swapped one is never chowned */
	int64_t t0_ns;
	pl_sandbox *open_sb;
	cJSON *checks, *scenarios, *measured, *observed, *claim;
};

/* The implementation under test in an actor (pl_actor_rec.box_state). */
enum pl_box_state { PL_BOX_NONE, PL_BOX_LOADED, PL_BOX_FAILED };
/* An actor's exit status when its box could not be set up. */
enum { PL_EXIT_BOX = 126 };

/* box.c: the implementation's box, set up in each actor (see there). */
const char *pl_box_impl(void);  /* PIPELAB_IMPL, or NULL */
const char *pl_box_error(void); /* a configuration the box refuses, or NULL */
const char *pl_box_privilege(char *buf, size_t n);
void pl_box_share_dir(pl_case *c);
void pl_box_guard_judge(void);
void pl_box_private_ipc(void);
void pl_box_enter(struct pl_actor_rec *r, pid_t judge, bool own_user);
/* Judge: false (and the case BROKEN) when the actor could not load it. */
bool pl_box_verdict(pl_sandbox *sb, int actor);
/* Spawn the actor that creates a pipe through the implementation. */
int pl_spawn_creator(pl_sandbox *sb, pl_actor_fn fn, void *arg);
/* Whether actor slot i is in use (the case's from 1 up, creators from the top). */
bool pl_slot_used(const pl_sandbox *sb, int i);
cJSON *pl_actor_json(pl_sandbox *sb, int idx);
/* A crash of the actor (SIGSEGV, SIGBUS, ...) is a failed check (sandbox_record.c). */
void pl_note_crash(pl_sandbox *sb, int actor);
void pl_note_fork_loop(pl_sandbox *sb);
/* The last check failed on this recorded call: name it in the check (evidence.c). */
void pl_note_failing_step(pl_case *c, const struct pl_step *s);
/* An actor-written step count, clamped to the array (lookup.c). */
int pl_rec_nsteps(const struct pl_actor_rec *r);

/* The actor record of the process we are in (set in each actor after fork). */
extern struct pl_actor_rec *pl_self_rec;

/* Raw futex helpers for the harness's own coordination. */
void pl_futex_wait(_Atomic uint32_t *w, uint32_t val, int64_t timeout_ns);
void pl_futex_wake(_Atomic uint32_t *w);

void pl_case_set_verdict(pl_case *c, enum pl_verdict v, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void pl_case_add_scenario(pl_case *c, cJSON *scenario);
bool pl_sandbox_expired(pl_sandbox *sb, const char *what);
/* A check has the verdict already: every wait ends now, the actors are killed. */
void pl_sandbox_stop(pl_sandbox *sb);
/* The judge's waits: time left before the deadline, 0 once the scenario was
 * stopped.  Each call also watches the actors' non-blocking calls, and stops
 * the scenario with a FAIL when one is proven asleep (nbwatch.c). */
int64_t pl_wait_left(pl_sandbox *sb);
/* What must not sleep in a call made on a non-blocking descriptor (nbwatch.c). */
enum pl_nb_mark {
	PL_NB_NONE,
	PL_NB_IO,   /* a case's own call (pl_begin): its read or write on that descriptor */
	PL_NB_STEP, /* a recorded read or write, or the fill: the whole call */
};

/* Judge, waiting for cue: true when no actor can give it any more and one
 * of them ended abnormally; the case is then FAIL and the scenario stopped
 * (cue_lost.c). */
bool pl_cue_lost(pl_sandbox *sb, int cue);
/* Actor: the descriptor's O_NONBLOCK as the actor set it through the
 * implementation (open, F_SETFL), and the mark it gives a read or write. */
void pl_nb_intent(int fd, bool on);
void pl_nb_mark(struct pl_step *s);
/* Has the actor ended?  Reaps it and records its end. */
bool pl_actor_reap(pl_sandbox *sb, int actor, bool block_until_deadline);
void pl_write_evidence(pl_case *c);
/* Open and close a step by hand (for self-tests that fake a call). */
struct pl_step *pl_step_begin(pl_actor *a, enum pl_op op, int fd, long arg, const char *what);
long pl_step_end(pl_actor *a, struct pl_step *s, long ret, int err);
/* End a write made again after the probe interrupted it part way: the bytes
 * of the earlier rounds count, and with an error in the last round the
 * result is what was done before it (errno is read here, first). */
long pl_step_end_resumed(pl_actor *a, struct pl_step *s, long ret, size_t done);
cJSON *pl_step_json(const struct pl_step *s);
const char *pl_syscall_name(long nr);

#endif
