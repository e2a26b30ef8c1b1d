/* Thread actors: threads of one actor process, each an actor of its own
 * (its own record, marks and blocking proofs), for rules about several
 * threads on one descriptor.  The judge reserves their slots with the
 * process (pl_spawn_threaded); the process starts them (pl_thread_start).
 *
 * A thread is proven asleep from /proc/PID/task/TID/{stat,syscall}, the
 * same evidence as a process.  The interrupt probe, where /proc cannot
 * tell, is sent with tgkill() to that thread: its handler counts into the
 * thread's own record, and only a call of that thread is interrupted and
 * retried.  A thread ends when its function returns or with its process. */
#include "proof.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static _Thread_local struct pl_actor_rec *thread_rec;

struct pl_actor_rec *pl_current_rec(void) { return thread_rec ? thread_rec : pl_self_rec; }

/* ---- the actor process's side ----------------------------------------- */

static struct thread_start {
	pl_actor self;
	pl_actor_fn fn;
	void *arg;
	pthread_t handle;
	bool started;
} starts[PL_MAX_ACTORS];

static void step_edge(struct pl_actor_rec *r)
{
	r->progress++;
	pl_futex_wake(&r->progress);
}

static void *thread_main(void *p)
{
	struct thread_start *t = p;
	thread_rec = t->self.rec;
	t->self.rec->pid = (pid_t)syscall(SYS_gettid);
	step_edge(t->self.rec);
	t->fn(&t->self, t->arg);
	t->self.rec->end_code = 0;
	t->self.rec->end_kind = PL_END_EXITED;
	step_edge(t->self.rec);
	return NULL;
}

bool pl_thread_start(pl_actor *a, int i, pl_actor_fn fn, void *arg)
{
	int slot = a->index + 1 + i;
	if (i < 0 || slot >= PL_MAX_ACTORS || a->sb->thread_of[slot] != a->index + 1 || starts[slot].started) {
		pl_note(a, "no thread %d reserved for this actor", i + 1);
		return false;
	}
	struct thread_start *t = &starts[slot];
	*t = (struct thread_start){ .self = { a->sb, &a->sb->shm->actor[slot], slot }, .fn = fn, .arg = arg };
	if (pthread_create(&t->handle, NULL, thread_main, t) != 0) {
		pl_note(a, "pthread_create for thread %d failed", i + 1);
		return false;
	}
	t->started = true;
	return true;
}

void pl_thread_join_all(pl_actor *a)
{
	for (int slot = a->index + 1; slot < PL_MAX_ACTORS && a->sb->thread_of[slot] == a->index + 1; slot++)
		if (starts[slot].started)
			pthread_join(starts[slot].handle, NULL);
}

/* ---- the judge's side ------------------------------------------------- */

/* The threads take the slots right after their process, named before the
 * fork so the process finds them in its copy of the sandbox. */
int pl_spawn_threaded(pl_sandbox *sb, const char *name, pl_actor_fn fn, void *arg, int nthreads, int thread[])
{
	if (nthreads < 0 || sb->nactors + nthreads >= PL_MAX_ACTORS - sb->ncreators) {
		pl_broken(sb->c, "too many actors in scenario %s", sb->name);
		return 0;
	}
	int idx = sb->nactors;
	for (int i = 0; i < nthreads; i++) {
		int t = thread[i] = idx + 1 + i;
		struct pl_actor_rec *r = &sb->shm->actor[t];
		r->used = 1;
		r->in_step = -1;
		snprintf(r->name, sizeof r->name, "%.20s thread %d", name, i + 1);
		sb->thread_of[t] = idx + 1;
	}
	int p = pl_spawn(sb, name, fn, arg); /* takes slot idx */
	sb->nactors += nthreads;
	return p;
}

/* The thread's process and its tid, once the tid (written by the thread,
 * untrusted) is checked to be a task of that process. */
static bool task_of(pl_sandbox *sb, int actor, pid_t *pid, pid_t *tid)
{
	int parent = sb->thread_of[actor] - 1;
	*pid = pl_actor_pid(sb, parent);
	*tid = sb->shm->actor[actor].pid;
	char path[64];
	struct stat st;
	snprintf(path, sizeof path, "/proc/%d/task/%d", (int)*pid, (int)*tid);
	return *pid > 0 && *tid > 1 && stat(path, &st) == 0;
}

void pl_actor_proc_read(pl_sandbox *sb, int actor, struct proc_view *v)
{
	pid_t pid, tid;
	if (!sb->thread_of[actor])
		pl_proc_read(pl_actor_pid(sb, actor), v);
	else if (task_of(sb, actor, &pid, &tid))
		pl_proc_read_task(pid, tid, v);
	else
		pl_proc_read(0, v); /* no such task: unreadable, as for a process */
}

long long pl_actor_switches(pl_sandbox *sb, int actor)
{
	pid_t pid, tid;
	if (!sb->thread_of[actor]) {
		pid = pl_actor_pid(sb, actor);
		return pid > 0 ? pl_proc_switches(pid, 0) : -1;
	}
	return task_of(sb, actor, &pid, &tid) ? pl_proc_switches(pid, tid) : -1;
}

bool pl_actor_signal(pl_sandbox *sb, int actor, int sig)
{
	pid_t pid, tid;
	errno = ESRCH; /* no such actor (any more), unless kill says otherwise */
	if (!sb->thread_of[actor]) {
		pid = pl_actor_pid(sb, actor);
		return pid > 0 && kill(pid, sig) == 0;
	}
	return task_of(sb, actor, &pid, &tid) && syscall(SYS_tgkill, pid, tid, sig) == 0;
}

bool pl_thread_reap(pl_sandbox *sb, int actor, bool until_deadline)
{
	struct pl_actor_rec *r = &sb->shm->actor[actor];
	int parent = sb->thread_of[actor] - 1;
	for (;;) {
		uint32_t seen = r->progress;
		if (sb->reaped[actor] || r->end_kind == PL_END_EXITED) {
			if (!sb->end_ns[actor])
				sb->end_ns[actor] = pl_now_ns();
			return true;
		}
		if (pl_actor_reap(sb, parent, false))
			return true; /* pl_threads_end has recorded this thread's end */
		if (!until_deadline)
			return false;
		int64_t left = pl_wait_left(sb);
		if (left <= 0)
			return false;
		/* The thread's end wakes this at once; its process's end within 1 ms. */
		pl_futex_wait(&r->progress, seen, left < 1000000 ? left : 1000000);
	}
}

void pl_threads_end(pl_sandbox *sb, int parent)
{
	const struct pl_actor_rec *p = &sb->shm->actor[parent];
	for (int t = parent + 1; t < PL_MAX_ACTORS && sb->thread_of[t] == parent + 1; t++) {
		struct pl_actor_rec *r = &sb->shm->actor[t];
		pl_rec_sanitize(r);
		if (r->end_kind != PL_END_EXITED) { /* still running: it ended with its process */
			r->end_kind = p->end_kind;
			r->end_code = p->end_code;
		}
		sb->reaped[t] = true;
		sb->end_ns[t] = sb->end_ns[parent];
	}
}
