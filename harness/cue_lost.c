/* A cue that can no longer come.  The judge waits for a cue that some actor
 * gives when it reaches a point of the scenario.  When every actor has ended
 * or is parked waiting for a cue nobody has given (which only the judge,
 * waiting here, could give), nothing can give it any more.  If one of them
 * ended abnormally (killed by a signal, or a non-zero exit) the
 * implementation stopped it short of that point: the case is FAIL at once,
 * saying how each actor ended, instead of a TIMEOUT at the deadline that the
 * report would draw as a call that hung. */
#include "proof.h"

#include <stdio.h>
#include <string.h>

/* One look at every actor: false when any could still act.  progress[]
 * gets each one's progress word; *abnormal is set when one ended so. */
static bool all_stuck(pl_sandbox *sb, uint32_t progress[PL_MAX_ACTORS], bool *abnormal)
{
	for (int a = 1; a < PL_MAX_ACTORS; a++) {
		if (!pl_slot_used(sb, a))
			continue;
		struct pl_actor_rec *r = &sb->shm->actor[a];
		if (pl_actor_reap(sb, a, false)) {
			if (r->end_kind == PL_END_SIGNALLED || (r->end_kind == PL_END_EXITED && r->end_code != 0))
				*abnormal = true;
			progress[a] = 0;
			continue;
		}
		int w = r->waiting_cue - 1;
		if (w < 0 || w >= PL_MAX_CUES || sb->shm->cue[w] != 0)
			return false;
		progress[a] = r->progress;
	}
	return true;
}

/* "writer was killed by SIGPIPE (13) inside its write(); reader waits for the judge" */
static void describe(pl_sandbox *sb, char *buf, size_t n, const struct pl_step **died_in)
{
	size_t k = 0;
	buf[0] = '\0';
	for (int a = 1; a < PL_MAX_ACTORS && k < n; a++) {
		if (!pl_slot_used(sb, a))
			continue;
		const struct pl_actor_rec *r = &sb->shm->actor[a];
		char name[32], end[96], call[sizeof r->steps[0].what + 16] = "";
		pl_bounded(r->name, sizeof r->name, name, sizeof name);
		int i = pl_rec_in_step(r);
		bool ended = r->end_kind != PL_END_RUNNING;
		if (ended && i >= 0) {
			const struct pl_step *s = &r->steps[i];
			char named[sizeof s->what + 2];
			snprintf(call, sizeof call, " inside its %s", pl_step_call(s, named, sizeof named));
			if (r->end_kind == PL_END_SIGNALLED || !*died_in)
				*died_in = s;
		}
		k += (size_t)snprintf(buf + k, n - k, "%s%s %s%s", k ? "; " : "", name,
				      ended ? pl_actor_end_phrase(r, end, sizeof end) : "waits for the judge", call);
	}
}

bool pl_cue_lost(pl_sandbox *sb, int cue)
{
	uint32_t first[PL_MAX_ACTORS] = { 0 }, again[PL_MAX_ACTORS] = { 0 };
	bool abnormal = false;
	/* Twice, with nothing moved in between: an actor seen parked may have
	 * been woken by one seen later, which then parked itself. */
	if (!all_stuck(sb, first, &abnormal) || !abnormal || !all_stuck(sb, again, &abnormal) ||
	    memcmp(first, again, sizeof first) || sb->shm->cue[cue] != 0)
		return false;
	char seen[400];
	const struct pl_step *died_in = NULL;
	describe(sb, seen, sizeof seen, &died_in);
	pl_check_at("(harness)", 0, sb->c, false, "the actors reach the point the judge waits for",
		    "an actor gets there", "none can any more: %s", seen);
	if (died_in)
		pl_note_failing_step(sb->c, died_in);
	pl_sandbox_stop(sb);
	return true;
}
