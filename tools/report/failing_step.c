/* Which recorded call carries a case's failure: the one the step log marks
 * "✘ … ← the failing step" and the timeline outlines.  A wrong mark is worse
 * than none (a student looks for the bug in a call that was right), so a
 * step is marked only on evidence from its own scenario:
 *
 *  1. the recorder said so ("failed": true on the step);
 *  2. a failed check names the call (pl_note_failing_step: the actor's pid and
 *     the call's place in its log): then only named calls are marked;
 *  3. the scenario ran out of time: the calls that never returned;
 *  4. a failed check of that scenario names the actor: the call it died in
 *     (killed by a signal, or exited: "sleeper was killed by SIGPIPE (13)
 *     before its write()", when it died inside the fill before);
 *  5. a failed check of that scenario names the actor and the call in its
 *     words ("reader's read() blocks"), as whole words: "writer" does not
 *     name write(); then the actor's last such call.
 *
 * A check belongs to the scenario open when it was made ("scenario" in the
 * check, the index in "scenarios").  Older records have no such field: their
 * checks belong to their scenario when there is only one; with several, only
 * the explicit links of 1-3 decide. */
#include <ctype.h>
#include <string.h>

#include "content.h"

static bool word_char(char c) { return isalnum((unsigned char)c) || c == '_'; }

/* Does text hold w as a whole word or phrase, not inside a longer name? */
static bool has_word(const char *text, const char *w)
{
	size_t n = strlen(w);
	if (!n)
		return false;
	for (const char *p = strstr(text, w); p; p = strstr(p + 1, w)) {
		bool starts = p == text || !word_char(p[-1]) || !word_char(w[0]);
		bool ends = !word_char(p[n]) || !word_char(w[n - 1]);
		if (starts && ends)
			return true;
	}
	return false;
}

/* A call's name as checks write it: "write(" for a libc function, the
 * label itself for a step a case named in words ("sigpending: SIGPIPE"). */
static void call_words(const char *op, char *out, size_t n) { snprintf(out, n, is_function_name(op) ? "%s(" : "%s", op); }

static int index_in(cJSON *array, cJSON *item)
{
	int i = 0;
	cJSON *it;
	cJSON_ArrayForEach(it, array)
	{
		if (it == item)
			return i;
		i++;
	}
	return -1;
}

static bool pid_in(cJSON *scenario, double pid)
{
	cJSON *a;
	cJSON_ArrayForEach(a, cJSON_GetObjectItem(scenario, "actors"))
	{
		if (cJSON_GetNumberValue(cJSON_GetObjectItem(a, "pid")) == pid)
			return true;
	}
	return false;
}

/* Is the failed check k about this scenario (the si-th of ns)? */
static bool check_here(cJSON *k, cJSON *scenario, int si, int ns)
{
	cJSON *tag = cJSON_GetObjectItem(k, "scenario"), *at = cJSON_GetObjectItem(k, "step");
	if (cJSON_IsNumber(tag))
		return (int)tag->valuedouble == si;
	if (at) /* a named call: its actor's pid tells where it was */
		return pid_in(scenario, cJSON_GetNumberValue(cJSON_GetObjectItem(at, "pid")));
	return ns == 1;
}

/* Is step the actor's last call of that name (a check speaks of the call
 * that decided, not of the same call made earlier in the scenario)? */
static bool last_of_its_name(cJSON *actor, cJSON *step, const char *op)
{
	cJSON *later;
	bool past = false;
	cJSON_ArrayForEach(later, cJSON_GetObjectItem(actor, "steps"))
	{
		const char *o = cJSON_GetStringValue(cJSON_GetObjectItem(later, "op"));
		if (later == step)
			past = true;
		else if (past && o && !strcmp(o, op))
			return false;
	}
	return true;
}

/* Does the failed check k name the actor, and the call too unless call is NULL? */
static bool named_in_words(cJSON *k, const char *name, const char *call)
{
	const char *what = cJSON_GetStringValue(cJSON_GetObjectItem(k, "what"));
	const char *obs = cJSON_GetStringValue(cJSON_GetObjectItem(k, "observed"));
	char text[1200];
	snprintf(text, sizeof text, "%s %s", what ? what : "", obs ? obs : "");
	return has_word(text, name) && (!call || has_word(text, call));
}

bool step_failing(const struct rec *x, cJSON *scenario, cJSON *actor, cJSON *step)
{
	if (x->v == V_PASS)
		return false;
	if (cJSON_IsTrue(cJSON_GetObjectItem(step, "failed")))
		return true;
	cJSON *scenarios = cJSON_GetObjectItem(x->j, "scenarios"), *k;
	int si = index_in(scenarios, scenario), ns = cJSON_GetArraySize(scenarios);
	int index = index_in(cJSON_GetObjectItem(actor, "steps"), step);
	double pid = cJSON_GetNumberValue(cJSON_GetObjectItem(actor, "pid"));
	bool named = false;
	cJSON_ArrayForEach(k, cJSON_GetObjectItem(x->j, "checks"))
	{
		cJSON *at = cJSON_GetObjectItem(k, "step");
		if (cJSON_IsTrue(cJSON_GetObjectItem(k, "ok")) || !at || !check_here(k, scenario, si, ns))
			continue;
		named = true;
		if (cJSON_GetNumberValue(cJSON_GetObjectItem(at, "pid")) == pid &&
		    cJSON_GetNumberValue(cJSON_GetObjectItem(at, "index")) == index)
			return true;
	}
	if (named)
		return false;
	if (!cJSON_IsNumber(cJSON_GetObjectItem(step, "t_exit_ns")) && cJSON_IsTrue(cJSON_GetObjectItem(scenario, "timed_out")))
		return true;
	const char *name = cJSON_GetStringValue(cJSON_GetObjectItem(actor, "name"));
	const char *op = cJSON_GetStringValue(cJSON_GetObjectItem(step, "op"));
	if (!name || !op || !*op)
		return false;
	char how[96];
	bool died = actor_died_in(actor, step, how, sizeof how), last = last_of_its_name(actor, step, op);
	char call[128];
	call_words(op, call, sizeof call);
	cJSON_ArrayForEach(k, cJSON_GetObjectItem(x->j, "checks"))
	{
		if (cJSON_IsTrue(cJSON_GetObjectItem(k, "ok")) || !check_here(k, scenario, si, ns))
			continue;
		if ((died && named_in_words(k, name, NULL)) || (last && named_in_words(k, name, call)))
			return true;
	}
	return false;
}
