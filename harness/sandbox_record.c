/* What a scenario's actors leave for the record: their shared-memory logs,
 * read as untrusted data (terminated and clamped here first), and processes
 * they left below them. */
#include "proof.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

cJSON *pl_actor_json(pl_sandbox *sb, int idx)
{
	struct pl_actor_rec *r = &sb->shm->actor[idx];
	char buf[96];
	pl_rec_sanitize(r);
	if (!sb->thread_of[idx]) /* a thread keeps its tid, checked when used (threads.c) */
		r->pid = idx ? sb->pid[idx] : r->pid;
	cJSON *a = cJSON_CreateObject();
	cJSON_AddStringToObject(a, "name", r->name);
	cJSON_AddNumberToObject(a, "pid", r->pid);
	if (sb->thread_of[idx])
		cJSON_AddStringToObject(a, "thread_of", sb->shm->actor[sb->thread_of[idx] - 1].name);
	cJSON_AddStringToObject(a, "end", pl_actor_end_text(r, buf, sizeof buf));
	if (idx > 0 && sb->end_ns[idx] > 0)
		cJSON_AddNumberToObject(a, "t_end_ns", (double)sb->end_ns[idx]);
	if (r->note[0])
		cJSON_AddStringToObject(a, "note", r->note);
	cJSON *caught = cJSON_AddArrayToObject(a, "signals_caught");
	for (int s = 1; s < 65; s++)
		for (int k = 0; k < r->caught[s] && k < 64; k++)
			cJSON_AddItemToArray(caught, cJSON_CreateString(pl_signal_name(s)));
	cJSON *steps = cJSON_AddArrayToObject(a, "steps");
	for (int i = 0; i < pl_rec_nsteps(r); i++)
		cJSON_AddItemToArray(steps, pl_step_json(&r->steps[i]));
	if (idx > 0 && r->own_uid > 0) {
		snprintf(buf, sizeof buf, "a user of its own (uid %d, no capabilities)", r->own_uid);
		cJSON_AddStringToObject(a, "ran_as", buf);
	} else if (idx > 0 && r->box_state == PL_BOX_LOADED) {
		cJSON_AddStringToObject(a, "ran_as", pl_box_privilege(buf, sizeof buf));
	}
	return a;
}

/* An actor killed by a crash signal crashed in the code under test (the
 * harness's own code in an actor never does): FAIL, whatever the case
 * checks next, and the reason a student reads first, since every other
 * check of the case is then a consequence. */
void pl_note_crash(pl_sandbox *sb, int actor)
{
	static const int CRASHES[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGSYS, SIGTRAP };
	const struct pl_actor_rec *r = &sb->shm->actor[actor];
	bool crash = false;
	for (size_t i = 0; i < sizeof CRASHES / sizeof CRASHES[0]; i++)
		crash = crash || (r->end_kind == PL_END_SIGNALLED && r->end_code == CRASHES[i]);
	if (!crash)
		return;
	char name[32], call[sizeof r->steps[0].what + 2], inside[sizeof call + 16] = "";
	int i = pl_rec_in_step(r);
	if (i >= 0)
		snprintf(inside, sizeof inside, " inside its %s", pl_step_call(&r->steps[i], call, sizeof call));
	pl_check_at("(harness)", 0, sb->c, false, "no actor crashes", "every actor ends without a crash",
		    "%s was killed by %s (%d)%s", pl_bounded(r->name, sizeof r->name, name, sizeof name),
		    pl_signal_name(r->end_code), r->end_code, inside);
	if (i >= 0)
		pl_note_failing_step(sb->c, &r->steps[i]);
}

/* Processes below pid (its children's children...), up to max. */
static int count_below(pid_t pid, int max)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/task/%d/children", (int)pid, (int)pid);
	FILE *f = fopen(path, "re");
	int n = 0, child;
	while (f && n < max && fscanf(f, "%d", &child) == 1)
		n += 1 + count_below(child, max - n - 1);
	if (f)
		fclose(f);
	return n;
}

/* An implementation that forked until refused: say so (the limit is the
 * launcher's, per user; its processes die with the group below). */
void pl_note_fork_loop(pl_sandbox *sb)
{
	enum { FORK_LOOP = 100 };
	int n = 0;
	for (int i = 1; i < PL_MAX_ACTORS; i++)
		if (pl_slot_used(sb, i) && !sb->reaped[i] && sb->pid[i] > 0)
			n += count_below(sb->pid[i], 4 * FORK_LOOP);
	if (n >= FORK_LOOP)
		pl_observed(sb->c, "limit: fork limit reached (the actors had %d processes below them)", n);
}

