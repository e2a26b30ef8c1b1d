/* libpipelab: a sandbox that runs pipe/FIFO scenarios in forked actors and
 * records what the system under test did, so a judge can assert on evidence.
 *
 * Plain C11 + POSIX; no test-framework dependency.  The calls under test go
 * through libc (so an interposed library is what gets tested); the harness's
 * own coordination uses shared memory and futexes only, never pipes. */
#ifndef PIPELAB_H
#define PIPELAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define PL_MAX_ACTORS 64
#define PL_MAX_STEPS 40
#define PL_MAX_CUES 32
#define PL_PREVIEW 24
#define PL_MAX_MARKS 16

enum pl_verdict { PL_PASS, PL_FAIL, PL_BROKEN, PL_SKIP, PL_TIMEOUT };
const char *pl_verdict_name(enum pl_verdict v);

enum pl_op {
	PL_OP_NONE,
	PL_OP_PIPE,
	PL_OP_MKFIFO,
	PL_OP_OPEN,
	PL_OP_CLOSE,
	PL_OP_READ,
	PL_OP_WRITE,
	PL_OP_FCNTL,
	PL_OP_SIGNAL,
	PL_OP_SLEEP, /* a scenario step that deliberately sleeps (self-tests) */
	PL_OP_CALL,  /* any other libc call, named in the step (lseek, poll, ...) */
};
const char *pl_op_name(enum pl_op op);

/* The pipe kinds a rule is checked on. */
enum pl_kind {
	PL_PIPE,   /* pipe() */
	PL_FIFO,   /* mkfifo() in the case's directory, each end opened by path */
	PL_NOKIND, /* a case about no single pipe kind */
	PL_PIPE2,  /* pipe2(O_NONBLOCK), each actor's end normalised to blocking */
};
const char *pl_kind_name(enum pl_kind k);

/* One libc call an actor made, as it saw it. */
struct pl_step {
	int op;
	int fd;
	long arg;      /* size for read/write, flags for open/fcntl */
	long ret;
	int err;       /* errno when ret < 0 */
	int done;
	int probe_eintr; /* interrupted by the blocking probe (and retried) */
	int nonblocking; /* enum pl_nb_mark: made on a descriptor the actor had made non-blocking (nbwatch.c) */
	_Atomic int probe_hits;   /* probe signals that arrived during this call */
	_Atomic int case_signals; /* the case's own (pl_catch) signals during this call */
	int64_t t_enter_ns, t_exit_ns;
	char preview[PL_PREVIEW]; /* first bytes read or written */
	char what[96];            /* the call's name or detail: "fill", "F_GETPIPE_SZ", ... */
};

/* Per-actor record in shared memory. */
struct pl_actor_rec {
	pid_t pid;
	char name[32];
	int used;
	_Atomic int nsteps;
	_Atomic int in_step;       /* index of the call in progress, -1 if none */
	_Atomic uint32_t progress; /* futex word: bumped at every step edge */
	_Atomic int caught[65];    /* signals delivered to a pl_catch handler */
	_Atomic int probe_signals; /* blocking-probe signals received */
	int pending_sigpipe;       /* sigpending() showed SIGPIPE (blocked case) */
	int end_kind;              /* enum pl_end_kind */
	int end_code;
	char note[160];
	struct pl_step steps[PL_MAX_STEPS];
	_Atomic int waiting_cue;   /* cue + 1 while parked in pl_wait_cue, else 0 */
	int box_state;             /* the implementation in this actor: enum pl_box_state (internal.h) */
	/* Marked calls (pl_mark_next): step index + 1 per mark, 0 when the
	 * actor never began that call.  next_mark: the mark + 1 the next call
	 * takes.  Written by the actor, so the judge bounds-checks both. */
	int next_mark;
	int marked[PL_MAX_MARKS];
	int own_uid;               /* > 0: the user of its own the actor ran as (pl_sandbox_own_user) */
};

/* How an actor ended (pl_actor_rec.end_kind). */
enum pl_end_kind {
	PL_END_RUNNING = 0,
	PL_END_EXITED = 1,    /* end_code: exit status */
	PL_END_SIGNALLED = 2, /* end_code: the signal */
	PL_END_KILLED = 3,    /* still running at the scenario's end: the harness killed it */
};

#define PL_DATA (1 << 20)

struct pl_shared {
	_Atomic uint32_t cue[PL_MAX_CUES];
	_Atomic long data_used;
	unsigned char data[PL_DATA]; /* bytes actors hand to the judge (pl_share) */
	struct pl_actor_rec actor[PL_MAX_ACTORS]; /* [0] is the judge */
};

typedef struct pl_case pl_case;
typedef struct pl_sandbox pl_sandbox;

/* What an actor sees of itself. */
typedef struct pl_actor {
	pl_sandbox *sb;
	struct pl_actor_rec *rec;
	int index;
} pl_actor;

typedef void (*pl_actor_fn)(pl_actor *self, void *arg);

/* ---- cases: their verdicts and checks --------------------------------- */
#include "pipelab_checks.h"

/* ---- sandbox -------------------------------------------------------- */

/* A scenario: actors in one process group, one deadline.  Opening a new
 * sandbox in a case closes the previous one. */
pl_sandbox *pl_sandbox_new(pl_case *c, const char *scenario);
void pl_sandbox_end(pl_sandbox *sb); /* kill the group, reap, record */
/* Replace the default deadline (2 s x PIPELAB_TIMEOUT_MULT), from now. */
void pl_sandbox_deadline(pl_sandbox *sb, double seconds);
/* Actors spawned after this call run, as root, as a user of their own (uid
 * PL_OWN_UID_BASE + pid, no capabilities) for rules judged on per-user kernel
 * counts (pipe-user-pages-soft) no other process may feel; not as root they
 * stay the caller's (own_uid 0).  An implementation is loaded as the box's
 * user, then that user is let go (programs it execs may not read it). */
void pl_sandbox_own_user(pl_sandbox *sb);
#define PL_OWN_UID_BASE 0x70000000u /* above the container uid ranges, below 2^31 */
int pl_spawn(pl_sandbox *sb, const char *name, pl_actor_fn fn, void *arg);
pl_actor *pl_judge(pl_sandbox *sb);
struct pl_actor_rec *pl_rec(pl_sandbox *sb, int actor);
/* A live process actor's pid from the judge's own fork(), else 0 (never the
 * record's, which the actor can overwrite).  Signal an actor (a thread with
 * tgkill) only through pl_actor_signal: false when it has no such pid. */
pid_t pl_actor_pid(const pl_sandbox *sb, int actor);
bool pl_actor_signal(pl_sandbox *sb, int actor, int sig);
/* The last step of actor with this op.  Never NULL: a missing call gives a
 * placeholder step that reads "no such call" (done 0, ret -1), and, when the
 * actor has already ended, a FAIL check naming the call and how the actor
 * ended.  (The same holds for pl_step_named.) */
struct pl_step *pl_last_step(pl_sandbox *sb, int actor, enum pl_op op);
/* Whether s is that placeholder (the call was never recorded). */
bool pl_step_missing(const struct pl_step *s);
struct pl_step *pl_last_step_at(const char *file, int line, pl_sandbox *sb, int actor, enum pl_op op);
#define pl_last_step(sb, actor, op) pl_last_step_at(__FILE__, __LINE__, sb, actor, op)

/* Judge side; false means the case has been marked TIMEOUT/FAIL and should stop. */
void pl_cue(pl_sandbox *sb, int cue);
bool pl_await_cue(pl_sandbox *sb, int cue);
bool pl_await_end(pl_sandbox *sb, int actor);
bool pl_await_step_done(pl_sandbox *sb, int actor, enum pl_op op);
/* Prove the actor is asleep inside its current `op` call (see blocking.c).
 * A call that returns instead fails the case at once, in words. */
bool pl_await_blocked(pl_sandbox *sb, int actor, enum pl_op op);
/* The same, saying why the call should block, for the diagnosis ("the pipe
 * was empty and a writer still had it open"). */
bool pl_await_blocked_why(pl_sandbox *sb, int actor, enum pl_op op, const char *why);
/* Prove again that the call proven blocked before is (still or again) asleep. */
bool pl_await_still_blocked(pl_sandbox *sb, int actor, enum pl_op op);
/* Wait until the actor's pl_catch handler has run for sig n times. */
bool pl_await_caught(pl_sandbox *sb, int actor, int sig, int n);
/* The same for a call recorded with pl_begin ("poll", "vmsplice", "splice"). */
bool pl_await_blocked_in(pl_sandbox *sb, int actor, const char *call);
/* The proofs above, recording the case's place (file:line) in their check;
 * the macros keep the calls' syntax. */
bool pl_await_blocked_at(const char *file, int line, pl_sandbox *sb, int actor, enum pl_op op, const char *why);
bool pl_await_blocked_in_at(const char *file, int line, pl_sandbox *sb, int actor, const char *call);
bool pl_await_still_blocked_at(const char *file, int line, pl_sandbox *sb, int actor, enum pl_op op);
#define pl_await_blocked(sb, actor, op) pl_await_blocked_at(__FILE__, __LINE__, sb, actor, op, NULL)
#define pl_await_blocked_why(sb, actor, op, why) pl_await_blocked_at(__FILE__, __LINE__, sb, actor, op, why)
#define pl_await_blocked_in(sb, actor, call) pl_await_blocked_in_at(__FILE__, __LINE__, sb, actor, call)
#define pl_await_still_blocked(sb, actor, op) pl_await_still_blocked_at(__FILE__, __LINE__, sb, actor, op)
/* The same, for a proof that is expected to fail (self-tests): returns true
 * when the call was proven blocked, false otherwise; never marks the case. */
bool pl_probe_blocked(pl_sandbox *sb, int actor, enum pl_op op, double window_s);
/* Judge, for a call proven blocked before that may legitimately have been
 * woken since (EPOLLEXCLUSIVE wakes "one or more"): true when it is (still
 * or again) asleep in it, false when it returned, or when window_s (<= 0:
 * the scenario's deadline) closed first; never marks the case.  call: a
 * pl_begin name ("epoll_wait"), or NULL for op. */
bool pl_probe_still_blocked(pl_sandbox *sb, int actor, enum pl_op op, const char *call, double window_s);
/* "0=read,1=write,...": this build's numbers of the system calls a blocking
 * proof can name (the launcher hands its own to a case under an emulator). */
char *pl_syscall_table(char *buf, size_t n);
/* The signal the interrupt probe sends (a real-time signal no case uses). */
int pl_probe_signal(void);

/* Actor side: wait for / raise a cue. */
void pl_wait_cue(pl_actor *a, int cue);
void pl_post_cue(pl_actor *a, int cue);
void pl_note(pl_actor *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Hand bytes to the judge (appended atomically; false when full). */
bool pl_share(pl_actor *a, const void *p, size_t n);
const unsigned char *pl_shared_data(pl_sandbox *sb, size_t *len);

/* ---- recorded calls (libc, as the system under test provides them) --- */

int pl_pipe(pl_actor *a, int fds[2]);
int pl_pipe2(pl_actor *a, int fds[2], int flags); /* named by its flags in the log */
int pl_mkfifo(pl_actor *a, const char *path, unsigned mode);
int pl_open(pl_actor *a, const char *path, int flags);
int pl_close(pl_actor *a, int fd);
ssize_t pl_read(pl_actor *a, int fd, void *buf, size_t n);
ssize_t pl_write(pl_actor *a, int fd, const void *buf, size_t n);
/* writev() recorded as a write (op PL_OP_WRITE, named "writev"): a proof of
 * blocking finds it asleep in writev(), or in write() where a libc gathers
 * the buffers into one write (steps_vectored.c). */
struct iovec;
ssize_t pl_writev(pl_actor *a, int fd, const struct iovec *iov, int n);
/* Read until n bytes or EOF/error; returns the total (one step per call). */
ssize_t pl_read_full(pl_actor *a, int fd, void *buf, size_t n);
int pl_fcntl(pl_actor *a, int fd, int cmd, long arg, const char *what);
int pl_set_nonblock(pl_actor *a, int fd, bool on);
/* Any other call, recorded in two statements so the call itself is made by
 * the case, through libc:  s = pl_begin(a, "lseek", fd); pl_finish(a, s, lseek(...)); */
struct pl_step *pl_begin(pl_actor *a, const char *call, int fd);
long pl_finish(pl_actor *a, struct pl_step *s, long ret);
/* Actor: a pl_begin call that sleeps (poll, epoll_wait) is made again when
 * the interrupt probe alone cut it short, inside the same step, as the
 * recorded reads and writes are, so the case never sees the probe:
 *   struct pl_step *s = pl_begin(a, "epoll_wait", ep);
 *   do n = epoll_wait(ep, &e, 1, -1); while (pl_probe_retry(s, n < 0 && errno == EINTR));
 *   pl_finish(a, s, n);
 * True when the call should be made again (the step is marked interrupted). */
bool pl_probe_retry(struct pl_step *s, bool interrupted);
/* Judge: the last step of an actor recorded under this call name (never
 * NULL: see pl_last_step). */
struct pl_step *pl_step_named(pl_sandbox *sb, int actor, const char *call);
struct pl_step *pl_step_named_at(const char *file, int line, pl_sandbox *sb, int actor, const char *call);
#define pl_step_named(sb, actor, call) pl_step_named_at(__FILE__, __LINE__, sb, actor, call)
/* A judge finds an actor's call by a mark the actor gave it, never by index
 * or label: the actor names its next call (a case's own enum value, below
 * PL_MAX_MARKS) and the judge asks for that mark.  A mark is taken when the
 * call begins, so a call that never returns (blocked, killed) is found too.
 *   actor:  PL_MARKED(a, FIRST_READ, pl_read(a, fd, buf, n));
 *   judge:  const struct pl_step *rd = pl_marked(c, sb, r, FIRST_READ, "the first read");
 *           if (rd) ...  (NULL: the case is FAIL, naming the call and how the actor ended) */
void pl_mark_next(pl_actor *a, int mark);
#define PL_MARKED(a, mark, call) (pl_mark_next((a), (mark)), (call))
/* Mark a call already begun with pl_begin (its handle). */
void pl_mark_step(pl_actor *a, int mark, const struct pl_step *s);
/* Judge: the marked call, or NULL without any verdict (an optional call). */
struct pl_step *pl_find_marked(pl_sandbox *sb, int actor, int mark);
/* Judge: the marked call; when the actor never began it, the case is FAIL
 * ("the writer never made its call 'write': killed by SIGSEGV (11)") and NULL
 * is returned, so the judge skips the checks that need it. */
struct pl_step *pl_marked(pl_case *c, pl_sandbox *sb, int actor, int mark, const char *call);
#include "pipelab_threads.h"
/* Judge: spawn an actor and wait for it to end. */
bool pl_run_actor(pl_sandbox *sb, const char *name, pl_actor_fn fn, void *arg, int *actor);

/* Fill a pipe with page-sized non-blocking writes until EAGAIN, then restore
 * the descriptor's flags.  Returns bytes written, or -1 with a note on failure. */
long pl_fill(pl_actor *a, int fd);

/* Signal dispositions an actor sets for itself. */
void pl_catch(pl_actor *a, int sig);  /* counting handler, no SA_RESTART */
void pl_catch_restart(pl_actor *a, int sig); /* counting handler with SA_RESTART */
void pl_ignore(pl_actor *a, int sig);
void pl_block(pl_actor *a, int sig);
void pl_record_pending(pl_actor *a);  /* sigpending() -> rec->pending_sigpipe */

/* ---- pipe kinds ----------------------------------------------------- */

/* Either an anonymous pipe made by the judge before spawning (actors inherit
 * both ends and drop the one they do not use), or a FIFO in the case's
 * private directory that each actor opens for its role. */
typedef struct pl_chan {
	enum pl_kind kind;
	int fd[2];
	char path[512];
} pl_chan;

bool pl_pipe_make(pl_sandbox *sb, pl_chan *p, enum pl_kind kind);
/* Judge: drop its own copies once every actor holding the pipe is spawned. */
void pl_pipe_seal(pl_sandbox *sb, pl_chan *p);
enum { PL_READ_END = 0, PL_WRITE_END = 1 };
/* Actor: get its end (closing the other for a pipe, opening for a FIFO). */
int pl_end(pl_actor *a, pl_chan *p, int which);
void pl_end_none(pl_actor *a, pl_chan *p); /* an actor that uses neither end */

/* ---- environment ---------------------------------------------------- */
double pl_timeout_mult(void);
int pl_mkdir_p(const char *path); /* mkdir -p; 0 or -1 with errno */
/* /proc/sys/fs/NAME ("pipe-max-size") as a number, -1 when it cannot be read. */
long pl_fs_sysctl(const char *name);
int64_t pl_now_ns(void);
/* Kernel release, libc, arch, target, as a JSON object text (caller frees). */
char *pl_system_json(void);
#include "pipelab_runner.h"
#endif
