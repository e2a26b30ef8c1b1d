/* The sandbox: one scenario's actors, forked into their own process group
 * under one deadline.  Whatever happens, the group is killed and every child
 * reaped before the next scenario or the end of the case. */
#include "proof.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#define PL_DEFAULT_DEADLINE_S 2.0

struct pl_actor_rec *pl_self_rec;

/* A limit the launcher set (launch_limits.c), as the actor's end shows it. */
static void note_limit(pl_sandbox *sb, int actor, int sig)
{
	const char *what = sig == SIGXCPU ? "CPU time limit reached" : sig == SIGXFSZ ? "file size limit reached" : NULL;
	if (what)
		pl_observed(sb->c, "limit: %s (actor '%.31s')", what, sb->shm->actor[actor].name);
}

static void record_end(pl_sandbox *sb, int actor, int status)
{
	struct pl_actor_rec *r = &sb->shm->actor[actor];
	sb->reaped[actor] = true;
	sb->end_ns[actor] = pl_now_ns();
	pl_rec_sanitize(r); /* final now: the judge reads it within bounds */
	if (WIFEXITED(status)) {
		r->end_kind = PL_END_EXITED;
		r->end_code = WEXITSTATUS(status);
	} else if (WIFSIGNALED(status)) {
		/* The judge's own note that it ended the actor, never the record's. */
		r->end_kind = sb->killed[actor] ? PL_END_KILLED : PL_END_SIGNALLED;
		r->end_code = WTERMSIG(status);
		note_limit(sb, actor, WTERMSIG(status));
	}
	pl_box_verdict(sb, actor);
	pl_note_crash(sb, actor);
	pl_threads_end(sb, actor);
}

pl_sandbox *pl_sandbox_new(pl_case *c, const char *scenario)
{
	if (c->open_sb)
		pl_sandbox_end(c->open_sb);
	pl_sandbox *sb = calloc(1, sizeof *sb);
	if (!sb)
		abort();
	sb->c = c;
	snprintf(sb->name, sizeof sb->name, "%s", scenario);
	sb->shm = mmap(NULL, sizeof *sb->shm, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sb->shm == MAP_FAILED) {
		pl_broken(c, "mmap of the shared record failed: %s", strerror(errno));
		abort();
	}
	sb->blocking = cJSON_CreateArray();
	for (int i = 0; i < 16; i++)
		sb->held[i] = -1;
	c->open_sb = sb;

	/* SIGCHLD stays blocked in the judge so that sigtimedwait can wait for an
	 * actor's end with a deadline; actors get the original mask back. */
	sigset_t chld;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, &sb->saved_mask);
	struct sigaction sa;
	sigaction(SIGCHLD, NULL, &sa);
	if (sa.sa_handler == SIG_IGN) {
		sa.sa_handler = SIG_DFL;
		sigaction(SIGCHLD, &sa, NULL);
	}

	struct pl_actor_rec *j = &sb->shm->actor[0];
	j->pid = getpid();
	j->used = 1;
	j->in_step = -1;
	snprintf(j->name, sizeof j->name, "judge");
	sb->judge = (pl_actor){ sb, j, 0 };
	sb->nactors = 1;

	pl_box_guard_judge();
	sb->t0_ns = pl_now_ns();
	sb->deadline_ns = sb->t0_ns + (int64_t)(PL_DEFAULT_DEADLINE_S * pl_timeout_mult() * 1e9);
	return sb;
}

pl_actor *pl_judge(pl_sandbox *sb) { return &sb->judge; }

void pl_sandbox_deadline(pl_sandbox *sb, double seconds)
{
	sb->deadline_ns = pl_now_ns() + (int64_t)(seconds * pl_timeout_mult() * 1e9);
}

struct pl_actor_rec *pl_rec(pl_sandbox *sb, int actor) { return &sb->shm->actor[actor]; }

/* Whether slot i holds an actor: the case's from 1 up, creators from the top down. */
bool pl_slot_used(const pl_sandbox *sb, int i)
{
	return i > 0 && (i < sb->nactors || i >= PL_MAX_ACTORS - sb->ncreators);
}

static int spawn_at(pl_sandbox *sb, int idx, const char *name, pl_actor_fn fn, void *arg);

int pl_spawn(pl_sandbox *sb, const char *name, pl_actor_fn fn, void *arg)
{
	if (sb->nactors >= PL_MAX_ACTORS - sb->ncreators) {
		pl_broken(sb->c, "too many actors in scenario %s", sb->name);
		return 0;
	}
	return spawn_at(sb, sb->nactors++, name, fn, arg);
}

/* A creator (kinds.c) takes a slot from the top, so the case's own actors
 * keep the numbers they would have had with no creator. */
int pl_spawn_creator(pl_sandbox *sb, pl_actor_fn fn, void *arg)
{
	if (sb->nactors >= PL_MAX_ACTORS - sb->ncreators) {
		pl_broken(sb->c, "too many actors in scenario %s", sb->name);
		return 0;
	}
	return spawn_at(sb, PL_MAX_ACTORS - ++sb->ncreators, "creator", fn, arg);
}

static int spawn_at(pl_sandbox *sb, int idx, const char *name, pl_actor_fn fn, void *arg)
{
	struct pl_actor_rec *r = &sb->shm->actor[idx];
	r->used = 1;
	r->in_step = -1;
	snprintf(r->name, sizeof r->name, "%s", name);
	pid_t judge_pid = getpid();
	if (pl_box_impl())
		pl_box_share_dir(sb->c);
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		setpgid(0, sb->leader > 0 ? sb->leader : 0);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != judge_pid)
			_exit(127);
		r->pid = getpid();
		pl_self_rec = r;
		/* A clean signal state: the judge's blocked SIGCHLD and any harness
		 * SIG_IGN for SIGPIPE must not leak into the behaviour under test. */
		struct sigaction dfl = { .sa_handler = SIG_DFL };
		sigaction(SIGPIPE, &dfl, NULL);
		sigprocmask(SIG_SETMASK, &sb->saved_mask, NULL);
		sigset_t unblock;
		sigemptyset(&unblock);
		sigaddset(&unblock, SIGPIPE);
		sigprocmask(SIG_UNBLOCK, &unblock, NULL);
		pl_probe_arm();
		pl_box_enter(r, judge_pid, sb->own_user); /* last: the implementation runs from here on */
		pl_actor self = { sb, r, idx };
		fn(&self, arg);
		_exit(0);
	}
	if (pid < 0) {
		if (errno == EAGAIN)
			pl_observed(sb->c, "limit: fork limit reached (actor '%s' could not start)", name);
		pl_broken(sb->c, "fork of actor %s failed: %s", name, strerror(errno));
		r->end_kind = PL_END_EXITED;
		r->end_code = 127;
		sb->reaped[idx] = true;
		return idx;
	}
	r->pid = pid;
	sb->pid[idx] = pid;
	/* Both sides set the group, so it exists before either goes on.  The
	 * first actor leads it and stays unreaped until the scenario ends
	 * (pl_actor_reap), so its pid, the group's id, cannot be reused while
	 * the judge may still kill the group. */
	if (sb->leader > 0) {
		setpgid(pid, sb->leader);
	} else {
		setpgid(pid, pid);
		sb->leader = pid;
		sb->anchor = idx;
	}
	return idx;
}

/* The group's leader ended: its status, left a zombie (waitpid later). */
static pid_t wait_anchor(pid_t pid, int *status)
{
	siginfo_t si = { 0 };
	if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) < 0)
		return -1;
	if (si.si_pid != pid)
		return 0;
	*status = si.si_code == CLD_EXITED ? (si.si_status & 0xff) << 8 : si.si_status | (si.si_code == CLD_DUMPED ? 0x80 : 0);
	return pid;
}

bool pl_actor_reap(pl_sandbox *sb, int actor, bool until_deadline)
{
	if (actor > 0 && actor < PL_MAX_ACTORS && sb->thread_of[actor])
		return pl_thread_reap(sb, actor, until_deadline);
	struct pl_actor_rec *r = &sb->shm->actor[actor];
	pid_t pid = sb->pid[actor];
	if (!pl_slot_used(sb, actor) || sb->reaped[actor] || pid <= 0)
		return true;
	for (;;) {
		int st;
		pid_t got = actor == sb->anchor ? wait_anchor(pid, &st) : waitpid(pid, &st, WNOHANG);
		if (got == pid) {
			record_end(sb, actor, st);
			return true;
		}
		if (got < 0 && errno == ECHILD) {
			sb->reaped[actor] = true;
			r->end_kind = PL_END_EXITED;
			r->end_code = -1;
			return true;
		}
		if (!until_deadline)
			return false;
		int64_t left = pl_wait_left(sb);
		if (left <= 0)
			return false;
		if (left > 10000000)
			left = 10000000;
		sigset_t chld;
		sigemptyset(&chld);
		sigaddset(&chld, SIGCHLD);
		struct timespec ts = { 0, left };
		sigtimedwait(&chld, NULL, &ts);
	}
}


void pl_sandbox_end(pl_sandbox *sb)
{
	if (!sb || sb->ended)
		return;
	sb->ended = true;
	for (int i = 1; i < PL_MAX_ACTORS; i++)
		if (pl_slot_used(sb, i) && !sb->reaped[i])
			pl_actor_reap(sb, i, false);
	if (pl_box_impl())
		pl_note_fork_loop(sb);
	for (int i = 1; i < PL_MAX_ACTORS; i++)
		if (pl_slot_used(sb, i) && !sb->reaped[i])
			sb->killed[i] = true; /* still running: the harness ends it */
	if (sb->leader > 0)
		kill(-sb->leader, SIGKILL);
	for (int i = 1; i < PL_MAX_ACTORS; i++) {
		if (pl_slot_used(sb, i) && sb->pid[i] > 0 && !sb->reaped[i]) {
			kill(sb->pid[i], SIGKILL);
			int st;
			if (waitpid(sb->pid[i], &st, 0) == sb->pid[i])
				record_end(sb, i, st);
		}
	}
	if (sb->leader > 0)
		waitpid(sb->leader, NULL, 0); /* the group's leader, reaped last */
	for (int i = 0; i < 16; i++)
		if (sb->held[i] >= 0)
			close(sb->held[i]); /* a case that never sealed its pipe */

	cJSON *s = cJSON_CreateObject();
	cJSON_AddStringToObject(s, "name", sb->name);
	cJSON_AddNumberToObject(s, "duration_ms", (double)(pl_now_ns() - sb->t0_ns) / 1e6);
	cJSON_AddNumberToObject(s, "deadline_ms", (double)(sb->deadline_ns - sb->t0_ns) / 1e6);
	cJSON_AddNumberToObject(s, "t0_ns", (double)sb->t0_ns);
	cJSON_AddBoolToObject(s, "timed_out", sb->timed_out);
	if (sb->timed_out)
		cJSON_AddStringToObject(s, "timeout_while", sb->timeout_what);
	cJSON *actors = cJSON_AddArrayToObject(s, "actors");
	for (int i = PL_MAX_ACTORS - 1; i >= PL_MAX_ACTORS - sb->ncreators; i--)
		cJSON_AddItemToArray(actors, pl_actor_json(sb, i)); /* creators first: they made the pipe */
	for (int i = 0; i < sb->nactors; i++)
		cJSON_AddItemToArray(actors, pl_actor_json(sb, i));
	cJSON_AddItemToObject(s, "blocking", sb->blocking);
	sb->blocking = NULL;
	pl_case_add_scenario(sb->c, s);

	sigprocmask(SIG_SETMASK, &sb->saved_mask, NULL);
	munmap(sb->shm, sizeof *sb->shm);
	if (sb->c->open_sb == sb)
		sb->c->open_sb = NULL;
	free(sb);
}
