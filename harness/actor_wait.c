/* The judge's waits on its actors: each until the scenario's deadline,
 * waking at once on the actor's progress futex. */
#include "proof.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

/* "; then writer was still inside its fill (asleep in write() on fd 5,
 * waiting in pipe_write)": the calls that never returned, as the kernel
 * showed them at the deadline, so a reason points at the call that hung. */
static void still_inside(pl_sandbox *sb, char *buf, size_t n)
{
	size_t k = 0;
	buf[0] = '\0';
	for (int a = 1; a < PL_MAX_ACTORS && k + 1 < n; a++) {
		const struct pl_actor_rec *r = &sb->shm->actor[a];
		int i = pl_rec_in_step(r);
		if (!pl_slot_used(sb, a) || sb->reaped[a] || i < 0)
			continue;
		char name[32], call[sizeof r->steps[0].what + 2], seen[200];
		struct proc_view v;
		pl_actor_proc_read(sb, a, &v);
		k += (size_t)snprintf(buf + k, n - k, "%s%s was still inside its %s (%s)", k ? "; " : "; then ",
				      pl_bounded(r->name, sizeof r->name, name, sizeof name),
				      pl_step_call(&r->steps[i], call, sizeof call), pl_proc_describe(&v, seen, sizeof seen));
	}
}

bool pl_sandbox_expired(pl_sandbox *sb, const char *what)
{
	/* A scenario a check stopped (nbwatch.c) has its verdict already. */
	if (!sb->timed_out && !sb->stopped) {
		sb->timed_out = true;
		snprintf(sb->timeout_what, sizeof sb->timeout_what, "%s", what);
		char inside[300];
		still_inside(sb, inside, sizeof inside);
		pl_case_set_verdict(sb->c, PL_TIMEOUT, "scenario '%s' passed its %.1f s deadline while %s%s", sb->name,
				    (double)(sb->deadline_ns - sb->t0_ns) / 1e9, what, inside);
		if (sb->leader > 0)
			kill(-sb->leader, SIGKILL);
	}
	return true;
}

void pl_sandbox_stop(pl_sandbox *sb)
{
	sb->stopped = true;
	if (sb->leader > 0)
		kill(-sb->leader, SIGKILL);
}

bool pl_await_end(pl_sandbox *sb, int actor)
{
	if (pl_actor_reap(sb, actor, true))
		return true;
	char what[96];
	snprintf(what, sizeof what, "waiting for actor '%.31s' to end", sb->shm->actor[actor].name);
	pl_sandbox_expired(sb, what);
	return false;
}

bool pl_run_actor(pl_sandbox *sb, const char *name, pl_actor_fn fn, void *arg, int *actor)
{
	int a = pl_spawn(sb, name, fn, arg);
	if (actor)
		*actor = a;
	return pl_await_end(sb, a);
}

/* Wait, until the deadline, for done() to hold for this actor; wakes at
 * once on each of its step edges and caught signals (the progress futex). */
static bool await_actor(pl_sandbox *sb, int actor, bool (*done)(pl_sandbox *, int, const void *), const void *arg,
			const char *what)
{
	struct pl_actor_rec *r = &sb->shm->actor[actor];
	for (;;) {
		uint32_t seen = r->progress;
		if (done(sb, actor, arg))
			return true;
		/* An actor that ended (SIGPIPE in the call, say) gets no further:
		 * not a timeout; the caller judges what it left. */
		if (pl_actor_reap(sb, actor, false))
			return true;
		int64_t left = pl_wait_left(sb);
		if (left <= 0) {
			char why[160];
			snprintf(why, sizeof why, "waiting for %.31s %s", r->name, what);
			pl_sandbox_expired(sb, why);
			return false;
		}
		pl_futex_wait(&r->progress, seen, left < 5000000 ? left : 5000000);
	}
}

static bool step_done(pl_sandbox *sb, int actor, const void *op)
{
	struct pl_step *s = pl_find_step(sb, actor, *(const enum pl_op *)op, NULL, 0);
	return s && s->done;
}

bool pl_await_step_done(pl_sandbox *sb, int actor, enum pl_op op)
{
	char what[64];
	snprintf(what, sizeof what, "to return from %s()", pl_op_name(op));
	return await_actor(sb, actor, step_done, &op, what);
}

struct caught {
	int sig, n;
};

static bool has_caught(pl_sandbox *sb, int actor, const void *arg)
{
	const struct caught *c = arg;
	return c->sig > 0 && c->sig < 65 && sb->shm->actor[actor].caught[c->sig] >= c->n;
}

bool pl_await_caught(pl_sandbox *sb, int actor, int sig, int n)
{
	char what[64];
	struct caught c = { sig, n };
	snprintf(what, sizeof what, "to catch %s", pl_signal_name(sig));
	if (!await_actor(sb, actor, has_caught, &c, what))
		return false;
	return has_caught(sb, actor, &c);
}

