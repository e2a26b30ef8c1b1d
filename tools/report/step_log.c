/* A scenario's step log, walked once for every format: the actors in order
 * with their lane names, each call marked when it carries the failure, then
 * each blocking proof with the lane of the actor it proves asleep.  What the
 * log says is decided here; report.md and index.html only give the text that
 * goes around each part (struct log_style), so the two cannot drift apart. */
#include <stdlib.h>

#include "content.h"

enum { MAX_LANES = 256, TEXT_LEN = 1024 };

void step_log(FILE *f, const struct rec *x, cJSON *scenario, const struct log_style *st)
{
	static char lanes[MAX_LANES][64];
	char buf[TEXT_LEN];
	cJSON *actors = cJSON_GetObjectItem(scenario, "actors"), *a, *step, *b;
	int nb = cJSON_GetArraySize(blocking_of(scenario)), row = 0;
	lane_names(actors, lanes, MAX_LANES);
	int *lane_of = calloc((size_t)nb + 1, sizeof *lane_of);
	blocking_lanes(actors, blocking_of(scenario), lane_of);
	fputs(st->begin, f);
	cJSON_ArrayForEach(a, actors)
	{
		fputs(st->actor[0], f);
		st->text(f, actor_label(a, row < MAX_LANES ? lanes[row] : "actor", buf, sizeof buf));
		fputs(st->actor[1], f);
		cJSON_ArrayForEach(step, cJSON_GetObjectItem(a, "steps"))
		{
			const char *const *around = step_failing(x, scenario, a, step) ? st->failing_step : st->step;
			char how[96];
			fputs(around[0], f);
			st->text(f, step_text(step, buf, sizeof buf));
			if (actor_died_in(a, step, how, sizeof how)) { /* "did not return": the actor ended in it */
				st->text(f, ": its actor ended in it, ");
				st->text(f, how);
			}
			fputs(around[1], f);
		}
		/* What the harness noted about the actor (whose descriptor numbers
		 * are whose, an open that failed, a log cut short). */
		const char *note = cJSON_GetStringValue(cJSON_GetObjectItem(a, "note"));
		if (note && *note) {
			fputs(st->note[0], f);
			st->text(f, note);
			fputs(st->note[1], f);
		}
		fputs(st->actor_end, f);
		row++;
	}
	int bi = 0;
	cJSON_ArrayForEach(b, blocking_of(scenario))
	{
		fputs(st->blocked[0], f);
		/* Named by its lane ("reader 2"); a proof that no actor's call
		 * fits is still shown, under the name the proof gives. */
		bool laned = lane_of && lane_of[bi] >= 0 && lane_of[bi] < MAX_LANES;
		st->text(f, blocking_text(b, laned ? lanes[lane_of[bi]] : NULL, buf, sizeof buf));
		fputs(st->blocked[1], f);
		bi++;
	}
	fputs(st->end, f);
	free(lane_of);
}
