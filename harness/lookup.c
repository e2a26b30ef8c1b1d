/* The judge's reading of the shared log.  Actors (and the implementation
 * under test running inside them) can write anything into their records, so
 * every count is clamped, every string bounded, and a call that is not in
 * the log gives a verdict, never a NULL for a case to trip on. */
#include "proof.h"

#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int pl_rec_nsteps(const struct pl_actor_rec *r)
{
	int n = r->nsteps;
	return n < 0 ? 0 : n > PL_MAX_STEPS ? PL_MAX_STEPS : n;
}

int pl_rec_in_step(const struct pl_actor_rec *r)
{
	int i = r->in_step;
	return i >= 0 && i < PL_MAX_STEPS ? i : -1;
}

pid_t pl_actor_pid(const pl_sandbox *sb, int actor)
{
	/* The judge's own copy from fork(), never the record's (an actor can
	 * write any pid there, to have the judge signal or prove another
	 * process): a process actor of this scenario, not yet reaped. */
	if (actor <= 0 || actor >= PL_MAX_ACTORS || !pl_slot_used(sb, actor) || sb->thread_of[actor] || sb->reaped[actor])
		return 0;
	return sb->pid[actor] > 1 ? sb->pid[actor] : 0;
}

/* Ended inside its buffer, and printable ASCII only: the harness writes
 * nothing else there, and the implementation could write markup-breaking
 * or invalid UTF-8 bytes into every report that quotes the field. */
static void terminate(char *field, size_t size)
{
	field[size - 1] = '\0';
	for (char *p = field; *p; p++)
		if (*p < 0x20 || *p > 0x7e)
			*p = '?';
}

void pl_rec_sanitize(struct pl_actor_rec *r)
{
	terminate(r->name, sizeof r->name);
	terminate(r->note, sizeof r->note);
	r->nsteps = pl_rec_nsteps(r);
	r->in_step = pl_rec_in_step(r);
	for (int i = 0; i < PL_MAX_STEPS; i++) {
		terminate(r->steps[i].what, sizeof r->steps[i].what);
		terminate(r->steps[i].preview, sizeof r->steps[i].preview);
	}
	/* A count of caught signals becomes that many report entries: keep it
	 * to what a scenario can plausibly deliver. */
	for (int s = 0; s < 65; s++)
		if (r->caught[s] < 0 || r->caught[s] > PL_MAX_STEPS)
			r->caught[s] = r->caught[s] < 0 ? 0 : PL_MAX_STEPS;
	if (r->waiting_cue < 0 || r->waiting_cue > PL_MAX_CUES)
		r->waiting_cue = 0;
}

const char *pl_bounded(const char *field, size_t size, char *out, size_t n)
{
	size_t len = strnlen(field, size);
	snprintf(out, n, "%.*s", (int)len, field);
	for (char *p = out; *p; p++)
		if (*p < 0x20 || *p > 0x7e)
			*p = '?'; /* as pl_rec_sanitize does */
	return out;
}

const char *pl_where(const char *file, int line, char *buf, size_t n)
{
	/* The project-relative part: the last two components ("cases/eintr.c"). */
	const char *p = file ? file : "(unknown file)";
	const char *last = strrchr(p, '/');
	if (last) {
		const char *q = last;
		while (q > p && q[-1] != '/')
			q--;
		p = q;
	}
	snprintf(buf, n, "%s:%d", p, line);
	return buf;
}

static bool step_is(const struct pl_step *s, enum pl_op op, const char *call)
{
	if (call)
		return strncmp(s->what, call, sizeof s->what) == 0;
	return s->op == (int)op;
}

struct pl_step *pl_find_step(pl_sandbox *sb, int actor, enum pl_op op, const char *call, int from)
{
	if (actor < 0 || actor >= PL_MAX_ACTORS)
		return NULL;
	struct pl_actor_rec *r = &sb->shm->actor[actor];
	if (from < 0)
		from = 0;
	for (int i = pl_rec_nsteps(r) - 1; i >= from; i--)
		if (step_is(&r->steps[i], op, call))
			return &r->steps[i];
	return NULL;
}

/* The stand-in for a call that is not in the log: reads "no such call". */
static struct pl_step missing;

bool pl_step_missing(const struct pl_step *s) { return s == &missing; }

static struct pl_step *lookup(const char *file, int line, pl_sandbox *sb, int actor, enum pl_op op,
			      const char *call)
{
	struct pl_step *s = pl_find_step(sb, actor, op, call, 0);
	if (s)
		return s;
	memset(&missing, 0, sizeof missing);
	missing.op = call ? PL_OP_CALL : (int)op;
	missing.fd = -1;
	missing.ret = -1;
	snprintf(missing.what, sizeof missing.what, "%s", call ? call : pl_op_name(op));
	if (actor < 0 || actor >= PL_MAX_ACTORS || actor >= sb->nactors) {
		pl_check_at(file, line, sb->c, false, "the call is in the log", "a recorded call",
			    "no actor %d in this scenario", actor);
		return &missing;
	}
	struct pl_actor_rec *r = &sb->shm->actor[actor];
	/* Only an actor that has ended can no longer make the call: a running
	 * one may simply not have got there yet (the harness polls this way). */
	if (actor != 0 && r->end_kind != PL_END_RUNNING) {
		char name[32], end[96], what[128];
		pl_bounded(r->name, sizeof r->name, name, sizeof name);
		snprintf(what, sizeof what, "%s made its %s() call", name, missing.what);
		pl_check_at(file, line, sb->c, false, what, "the call made and recorded", "%s %s before its %s()", name,
			    pl_actor_end_phrase(r, end, sizeof end), missing.what);
	}
	return &missing;
}

struct pl_step *(pl_last_step_at)(const char *file, int line, pl_sandbox *sb, int actor, enum pl_op op)
{
	return lookup(file, line, sb, actor, op, NULL);
}

struct pl_step *(pl_step_named_at)(const char *file, int line, pl_sandbox *sb, int actor, const char *call)
{
	return lookup(file, line, sb, actor, PL_OP_CALL, call ? call : "(unnamed call)");
}

struct pl_step *(pl_last_step)(pl_sandbox *sb, int actor, enum pl_op op)
{
	return lookup("(harness)", 0, sb, actor, op, NULL);
}

struct pl_step *(pl_step_named)(pl_sandbox *sb, int actor, const char *call)
{
	return lookup("(harness)", 0, sb, actor, PL_OP_CALL, call ? call : "(unnamed call)");
}
