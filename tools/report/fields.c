/* The fields every report shows, computed once here so that report.md,
 * index.html, junit.xml and results.json cannot disagree: the claim verdicts,
 * the target and its library, the actors' lane names, the measured values
 * grouped (the rules' links and statements: rules.c). */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "content.h"

const char *claim_verdict(const struct rec *x)
{
	/* A claim is decided only by a case that passed; the case's own verdict
	 * says why it is not. */
	const char *v = claim_field(x, "verdict");
	return x->v == V_PASS && *v ? v : "undecided";
}

/* The rule of a case id: the id without "@kind". */
void rule_of(const char *id, char *out, size_t n) { snprintf(out, n, "%.*s", (int)strcspn(id, "@"), id); }

const char *target_name(const struct run *r) { return sys_str(r, "target"); }

const char *run_config(const struct run *r, char *buf, size_t n)
{
	const cJSON *c, *config = cJSON_GetObjectItem(r->meta, "config");
	const cJSON *entries = cJSON_IsObject(config) ? config : NULL;
	size_t used = 0;
	buf[0] = '\0';
	cJSON_ArrayForEach(c, entries)
		if (cJSON_IsString(c) && used < n)
			used += (size_t)snprintf(buf + used, n - used, "%s%s: %s", used ? "; " : "", c->string, c->valuestring);
	return buf;
}

const char *target_library(const struct run *r)
{
	const char *s = r->system ? cJSON_GetStringValue(cJSON_GetObjectItem(r->system, "preload")) : NULL;
	return s ? s : "";
}

const char *actor_label(cJSON *a, const char *lane, char *buf, size_t n)
{
	const char *end = cJSON_GetStringValue(cJSON_GetObjectItem(a, "end"));
	const char *name = cJSON_GetStringValue(cJSON_GetObjectItem(a, "name"));
	if (!end || !*end)
		snprintf(buf, n, "%s", lane);
	else if (name && !strcmp(lane, name) && !strncmp(end, "the ", 4) && !strncmp(end + 4, name, strlen(name)))
		snprintf(buf, n, "%s", end); /* "the judge (the case process)": the name once */
	else
		snprintf(buf, n, "%s (%s)", lane, end);
	return buf;
}

bool actor_died_in(cJSON *actor, cJSON *step, char *how, size_t n)
{
	const char *end = cJSON_GetStringValue(cJSON_GetObjectItem(actor, "end"));
	if (cJSON_IsNumber(cJSON_GetObjectItem(step, "t_exit_ns")) || !end)
		return false;
	if (!strncmp(end, "killed by ", strlen("killed by ")))
		snprintf(how, n, "%s", end);
	else if (!strncmp(end, "exit ", strlen("exit ")))
		snprintf(how, n, "exited (%s)", end);
	else
		return false; /* still running when stopped by the lab, or the judge */
	return true;
}

void lane_names(cJSON *actors, char (*lanes)[64], int n)
{
	int i = 0;
	cJSON *a, *b;
	cJSON_ArrayForEach(a, actors)
	{
		if (i >= n)
			break;
		const char *name = cJSON_GetStringValue(cJSON_GetObjectItem(a, "name"));
		int same = 0, nth = 0, j = 0;
		cJSON_ArrayForEach(b, actors)
		{
			const char *o = cJSON_GetStringValue(cJSON_GetObjectItem(b, "name"));
			bool eq = o && name && !strcmp(o, name);
			same += eq;
			if (eq && j < i)
				nth++;
			j++;
		}
		if (same > 1)
			snprintf(lanes[i], 64, "%s %d", name ? name : "actor", nth + 1);
		else
			snprintf(lanes[i], 64, "%s", name ? name : "actor");
		i++;
	}
}

static double num(cJSON *j, const char *k)
{
	cJSON *v = cJSON_GetObjectItem(j, k);
	return cJSON_IsNumber(v) ? v->valuedouble : -1;
}

void blocking_lanes(cJSON *actors, cJSON *blocking, int *lane_of)
{
	/* Proofs name the actor, not which of several same-named ones: give each
	 * proof to the first actor of that name, not yet given one for that step,
	 * whose step was in progress at the proof's instant. */
	int nb = 0, na = cJSON_GetArraySize(actors);
	char *used = calloc((size_t)na * 64 + 1, 1);
	cJSON *b;
	cJSON_ArrayForEach(b, blocking)
	{
		const char *who = cJSON_GetStringValue(cJSON_GetObjectItem(b, "actor"));
		int step = (int)num(b, "step"), ai = 0, found = -1;
		double t = num(b, "t_ns");
		cJSON *a;
		cJSON_ArrayForEach(a, actors)
		{
			const char *name = cJSON_GetStringValue(cJSON_GetObjectItem(a, "name"));
			cJSON *st = cJSON_GetArrayItem(cJSON_GetObjectItem(a, "steps"), step);
			int slot = ai * 64 + (step & 63);
			if (found < 0 && who && name && !strcmp(who, name) && st && !used[slot]) {
				double en = num(st, "t_enter_ns"), ex = num(st, "t_exit_ns");
				if (t < 0 || (en <= t && (ex < 0 || t <= ex))) {
					found = ai;
					used[slot] = 1;
				}
			}
			ai++;
		}
		lane_of[nb++] = found;
	}
	free(used);
}

/* Measured values, one row per (name, value, unit), with the cases that saw it. */
static void add_group(void *ctx, const char *name, double v, const char *unit, const char *id)
{
	struct measure_groups *g = ctx;
	for (int i = 0; i < g->n; i++) {
		struct measure_group *m = &g->g[i];
		if (!strcmp(m->name, name) && m->value == v && !strcmp(m->unit, unit)) {
			m->cases++;
			return;
		}
	}
	g->g = realloc(g->g, sizeof *g->g * (size_t)(g->n + 1));
	struct measure_group *m = &g->g[g->n++];
	m->name = name;
	m->unit = unit;
	m->value = v;
	m->first = id;
	m->cases = 1;
}

void measure_groups(const struct run *r, struct measure_groups *g)
{
	memset(g, 0, sizeof *g);
	each_measure(r, add_group, g);
}

void measure_groups_free(struct measure_groups *g)
{
	free(g->g);
	memset(g, 0, sizeof *g);
}

cJSON *blocking_of(cJSON *scenario) { return cJSON_GetObjectItem(scenario, "blocking"); }

/* Record fields this renderer does not know (added by newer harness code):
 * shown as "name: value" so nothing recorded is hidden. */
static const char *const KNOWN[] = { "schema", "case", "test", "rule", "class", "cell", "kind", "title", "expected", "verdict",
				     "observed", "reason", "checks", "measured", "notes", "scenarios", "system", "duration_ms",
				     "written_at", "output", "claim", "source", NULL };

void extra_fields(FILE *f, const struct rec *x, bool html)
{
	cJSON *it;
	cJSON_ArrayForEach(it, x->j)
	{
		bool known = false;
		for (int i = 0; KNOWN[i] && !known; i++)
			known = !strcmp(it->string, KNOWN[i]);
		if (known || cJSON_IsNull(it) || (cJSON_IsArray(it) && cJSON_GetArraySize(it) == 0))
			continue;
		char *v = cJSON_IsString(it) ? NULL : cJSON_PrintUnformatted(it);
		const char *text = v ? v : it->valuestring;
		if (html) {
			fputs("<div class=\"extra\"><b>", f);
			put_html(f, it->string);
			fputs(":</b> ", f);
			put_html(f, text);
			fputs("</div>", f);
		} else {
			fputs("- ", f);
			put_md(f, it->string);
			fputs(": ", f);
			put_md(f, text);
			fputc('\n', f);
		}
		cJSON_free(v);
	}
}
