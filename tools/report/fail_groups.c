/* "What did not pass", grouped by rule for every output: with 30 to 60
 * failures a flat list pushes the notes' tables off the first screen, and
 * most of the failures are a few bugs seen by many cases.  A case goes to the
 * catalogue entry of the first rule it cites ("K, S1, B" -> K; "E4" -> E, as
 * the catalogue says what E is, not E4); groups come in the catalogue's
 * order, and a group says the reason its cases share when most share one. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "content.h"

static void group_key(const struct rec *x, char *key, size_t n)
{
	char first[32];
	first_rule(x->rule, first, sizeof first);
	if (isalpha((unsigned char)first[0]))
		rule_group(first, key, n);
	else /* a record that names none ("?", "-": the lab's own, or none was written) */
		snprintf(key, n, "no rule");
}

static int by_catalogue(const void *a, const void *b)
{
	const struct fail_group *x = a, *y = b;
	int ox = rule_order(x->key), oy = rule_order(y->key);
	return ox != oy ? (ox > oy) - (ox < oy) : (x->first > y->first) - (x->first < y->first);
}

/* The reason shared by the most cases of the group, when two or more share it. */
static void common_reason(const struct run *r, struct fail_group *g)
{
	for (int i = 0; i < g->n; i++) {
		const char *why = why_not_pass(&r->recs[g->cases[i]]);
		int same = 0;
		for (int k = 0; k < g->n; k++)
			same += !strcmp(why, why_not_pass(&r->recs[g->cases[k]]));
		if (same > g->common_n) {
			g->common = why;
			g->common_n = same;
		}
	}
	if (g->common_n < 2) {
		g->common = NULL;
		g->common_n = 0;
	}
}

int fail_groups(const struct run *r, struct fail_group **out)
{
	struct fail_group *g = calloc((size_t)r->n + 1, sizeof *g);
	int ng = 0;
	for (int i = 0; i < r->n; i++) {
		const struct rec *x = &r->recs[i];
		if (x->v == V_PASS)
			continue;
		char key[sizeof g->key];
		group_key(x, key, sizeof key);
		int k = 0;
		while (k < ng && strcmp(g[k].key, key))
			k++;
		if (k == ng) {
			snprintf(g[ng].key, sizeof g[ng].key, "%s", key);
			g[ng].title = rule_title(key);
			g[ng].first = i;
			g[ng].cases = calloc((size_t)r->n, sizeof *g[ng].cases);
			ng++;
		}
		g[k].cases[g[k].n++] = i;
		g[k].verdicts[x->v]++;
	}
	for (int k = 0; k < ng; k++)
		common_reason(r, &g[k]);
	qsort(g, (size_t)ng, sizeof *g, by_catalogue);
	*out = g;
	return ng;
}

void fail_groups_free(struct fail_group *g, int n)
{
	for (int k = 0; k < n; k++)
		free(g[k].cases);
	free(g);
}

const char *fail_group_counts(const struct fail_group *g, char *buf, size_t n)
{
	int kinds = 0, only = V_FAIL;
	for (int v = 0; v < V_COUNT; v++)
		if (g->verdicts[v]) {
			kinds++;
			only = v;
		}
	size_t used = (size_t)snprintf(buf, n, "%d %s", g->n, cases_word(g->n));
	if (kinds == 1 && only == V_FAIL) /* "3 cases" */
		return buf;
	if (kinds == 1) { /* "1 case, TIMEOUT", "2 cases, all TIMEOUT" */
		snprintf(buf + used, n - used, ", %s%s", g->n > 1 ? "all " : "", verdict_names[only]);
		return buf;
	}
	for (int v = 0, shown = 0; v < V_COUNT && used < n; v++) /* "3 cases: 2 FAIL, 1 TIMEOUT" */
		if (g->verdicts[v])
			used += (size_t)snprintf(buf + used, n - used, "%s%d %s", shown++ ? ", " : ": ", g->verdicts[v], verdict_names[v]);
	return buf;
}
