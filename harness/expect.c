/* The judge's checks of one recorded call or one actor's end (pl_expect_*):
 * each is a pl_check with the expected outcome in words, and a failed check
 * of a call names that call, so a report marks exactly the failing step. */
#include "proof.h"

#include <stdio.h>
#include <string.h>

/* A failed check of one recorded call names that call (the actor's pid and
 * the step's place in its log), so a report marks exactly the failing step. */
void pl_note_failing_step(pl_case *c, const struct pl_step *s)
{
	pl_sandbox *sb = c->open_sb;
	cJSON *check = cJSON_GetArrayItem(c->checks, cJSON_GetArraySize(c->checks) - 1);
	if (!sb || !check)
		return;
	for (int a = 0; a < PL_MAX_ACTORS; a++) {
		const struct pl_step *first = &sb->shm->actor[a].steps[0];
		if (s < first || s >= first + PL_MAX_STEPS)
			continue;
		cJSON *at = cJSON_AddObjectToObject(check, "step");
		/* The pid the actor's record shows: a thread's is its tid. */
		cJSON_AddNumberToObject(at, "pid", a && !sb->thread_of[a] ? sb->pid[a] : sb->shm->actor[a].pid);
		cJSON_AddNumberToObject(at, "index", (double)(s - first));
		return;
	}
}

bool pl_expect_step_at(const char *file, int line, pl_case *c, const char *what, const struct pl_step *s, long ret,
		       int err)
{
	char exp[64], obs[64];
	if (ret < 0)
		snprintf(exp, sizeof exp, "-1 %s", pl_errno_name(err));
	else
		snprintf(exp, sizeof exp, "%ld", ret);
	pl_step_outcome(s, obs, sizeof obs);
	bool ok = s && !pl_step_missing(s) && s->done && s->ret == ret && (ret >= 0 || s->err == err);
	bool r = pl_check_at(file, line, c, ok, what, exp, "%s", obs);
	if (!ok && s)
		pl_note_failing_step(c, s);
	return r;
}

bool pl_expect_flags_at(const char *file, int line, pl_case *c, const char *what, const struct pl_step *s, long flags)
{
	char exp[128], obs[128];
	pl_open_flags_name(flags, exp, sizeof exp);
	bool ok = s && !pl_step_missing(s) && s->done && s->ret == flags;
	if (s && !pl_step_missing(s) && s->done && s->ret >= 0)
		pl_open_flags_name(s->ret, obs, sizeof obs);
	else
		pl_step_outcome(s, obs, sizeof obs);
	bool r = pl_check_at(file, line, c, ok, what, exp, "%s", obs);
	if (!ok && s)
		pl_note_failing_step(c, s);
	return r;
}

bool pl_expect_killed_by_at(const char *file, int line, pl_case *c, const char *what, const struct pl_actor_rec *r,
			    int sig)
{
	char exp[64], obs[96];
	snprintf(exp, sizeof exp, "killed by %s (%d)", pl_signal_name(sig), sig);
	if (!r)
		return pl_check_at(file, line, c, false, what, exp, "no such actor");
	return pl_check_at(file, line, c, r->end_kind == PL_END_SIGNALLED && r->end_code == sig, what, exp, "%s",
			   pl_actor_end_text(r, obs, sizeof obs));
}

bool pl_expect_exit0_at(const char *file, int line, pl_case *c, const char *what, const struct pl_actor_rec *r)
{
	char obs[96];
	if (!r)
		return pl_check_at(file, line, c, false, what, "exit 0", "no such actor");
	return pl_check_at(file, line, c, r->end_kind == PL_END_EXITED && r->end_code == 0, what, "exit 0", "%s",
			   pl_actor_end_text(r, obs, sizeof obs));
}

long pl_expect_filled_at(const char *file, int line, pl_case *c, pl_sandbox *sb, int actor)
{
	struct pl_step *f = pl_step_named_at(file, line, sb, actor, "fill");
	if (pl_step_missing(f))
		return -1; /* the lookup has said how the actor ended before it */
	char name[32], then[PL_PREVIEW], note[160];
	struct pl_actor_rec *r = pl_rec(sb, actor);
	pl_bounded(r->name, sizeof r->name, name, sizeof name);
	pl_bounded(f->preview, sizeof f->preview, then, sizeof then);
	pl_bounded(r->note, sizeof r->note, note, sizeof note);
	char what[96];
	snprintf(what, sizeof what, "%s fills the pipe with non-blocking writes", name);
	if (!f->done)
		return pl_check_at(file, line, c, false, what, "writes until EAGAIN", "the filling write did not return"),
		       -1;
	bool ok = f->ret > 0 && !strcmp(then, "then EAGAIN");
	pl_check_at(file, line, c, ok, what, "writes until EAGAIN", "%ld bytes written, %s%s%s", f->ret, then,
		    note[0] ? "; " : "", note);
	return ok ? f->ret : -1;
}

bool(pl_expect_step)(pl_case *c, const char *what, const struct pl_step *s, long ret, int err)
{
	return pl_expect_step_at("(unknown)", 0, c, what, s, ret, err);
}

bool(pl_expect_killed_by)(pl_case *c, const char *what, const struct pl_actor_rec *r, int sig)
{
	return pl_expect_killed_by_at("(unknown)", 0, c, what, r, sig);
}

bool(pl_expect_exit0)(pl_case *c, const char *what, const struct pl_actor_rec *r)
{
	return pl_expect_exit0_at("(unknown)", 0, c, what, r);
}
