#include "score.h"
#include "content.h"

#include <stdlib.h>
#include <string.h>

int cases_load(const char *path, char ***ids)
{
	*ids = NULL;
	FILE *f = path ? fopen(path, "re") : NULL;
	if (!f)
		return path ? -1 : 0;
	char line[512];
	int n = 0;
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		*ids = realloc(*ids, sizeof **ids * (size_t)(n + 1));
		(*ids)[n++] = strdup(line);
	}
	fclose(f);
	return n;
}

void cases_free(char **ids, int n)
{
	for (int i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
}

static struct rule_result *find_or_add(struct score *s, const char *rule, const struct weights *w)
{
	for (int i = 0; i < s->n; i++)
		if (!strcmp(s->rules[i].id, rule))
			return &s->rules[i];
	s->rules = realloc(s->rules, sizeof *s->rules * (size_t)(s->n + 1));
	struct rule_result *x = &s->rules[s->n++];
	memset(x, 0, sizeof *x);
	snprintf(x->id, sizeof x->id, "%s", rule);
	x->weight = weight_of(w, rule);
	x->worst = V_PASS;
	return x;
}

/* Severity for "worst": NOT RUN and BROKEN above FAIL only for the message;
 * any non-pass fails the rule. */
static int severity(int v) { return v == RULE_NOT_RUN ? 10 : v == V_PASS ? 0 : v + 1; }

static void add_case(struct score *s, const struct weights *w, const char *id, const struct rec *x)
{
	char rule[160];
	rule_of(id, rule, sizeof rule);
	struct rule_result *y = find_or_add(s, rule, w);
	int v = x ? x->v : RULE_NOT_RUN;
	y->kinds++;
	y->missing += !x;
	if (v == V_PASS) {
		y->passed++;
		return;
	}
	if (!y->bad_id[0]) {
		y->bad = x;
		snprintf(y->bad_id, sizeof y->bad_id, "%s", id);
	}
	if (severity(v) > severity(y->worst))
		y->worst = v;
}

static int by_rule(const void *a, const void *b)
{
	return strcmp(((const struct rule_result *)a)->id, ((const struct rule_result *)b)->id);
}

void score_run(const struct run *r, char **ids, int nids, const struct weights *w, struct score *s)
{
	memset(s, 0, sizeof *s);
	if (nids > 0) {
		for (int i = 0; i < nids; i++)
			add_case(s, w, ids[i], r ? run_find(r, ids[i]) : NULL);
	} else if (r) {
		for (int i = 0; i < r->n; i++)
			add_case(s, w, r->recs[i].id, &r->recs[i]);
	}
	qsort(s->rules, (size_t)s->n, sizeof *s->rules, by_rule);
	for (int i = 0; i < s->n; i++) {
		/* qsort moved the entries; "bad" points into the run, still valid */
		s->max += s->rules[i].weight;
		if (rule_passed(&s->rules[i]))
			s->got += s->rules[i].weight;
	}
}

bool rule_passed(const struct rule_result *x) { return x->kinds > 0 && x->passed == x->kinds; }

void score_free(struct score *s)
{
	free(s->rules);
	memset(s, 0, sizeof *s);
}

static const char *verdict_word(int v) { return v == RULE_NOT_RUN ? "NOT RUN" : verdict_names[v]; }

void rule_reason(const struct rule_result *x, char *buf, size_t n)
{
	snprintf(buf, n, "%s %s: %s (%d of %d case(s) of this rule passed)", verdict_word(x->worst), x->bad_id,
		 x->bad ? why_not_pass(x->bad) : "no record: the case did not run", x->passed, x->kinds);
}

/* Students read this on Gradescope, where no report of ours can be opened:
 * the summary names each rule lost with its reason (the tests say it again,
 * one by one). */
enum { SUMMARY_RULES = 40 };

int write_gradescope(const char *path, const char *student, const struct score *s, const char *reason)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "score", reason ? 0 : s->got);
	cJSON *tests = cJSON_AddArrayToObject(o, "tests");
	int passed = 0, scored = 0, lost = 0;
	char *lines = NULL;
	size_t len = 0;
	FILE *l = open_memstream(&lines, &len);
	for (int i = 0; i < s->n; i++) {
		const struct rule_result *x = &s->rules[i];
		if (x->weight <= 0)
			continue; /* not graded (claims by default) */
		scored++;
		bool ok = !reason && rule_passed(x);
		passed += ok;
		char out[1600];
		if (reason)
			snprintf(out, sizeof out, "not judged: %s", reason);
		else if (ok)
			snprintf(out, sizeof out, "PASS: all %d case(s) of this rule passed", x->kinds);
		else
			rule_reason(x, out, sizeof out);
		if (!ok && !reason && l && lost++ < SUMMARY_RULES)
			fprintf(l, "\n- %s (%g): %s", x->id, x->weight, out);
		cJSON *t = cJSON_CreateObject();
		cJSON_AddStringToObject(t, "name", x->id);
		cJSON_AddNumberToObject(t, "score", ok ? x->weight : 0);
		cJSON_AddNumberToObject(t, "max_score", x->weight);
		cJSON_AddStringToObject(t, "status", ok ? "passed" : "failed");
		cJSON_AddStringToObject(t, "output", out);
		cJSON_AddItemToArray(tests, t);
	}
	if (l && lost > SUMMARY_RULES)
		fprintf(l, "\n- ... and %d more (the tests below say why each failed)", lost - SUMMARY_RULES);
	if (l)
		fclose(l);
	char head[1600];
	if (reason)
		snprintf(head, sizeof head, "%s: score 0 of %g: not judged: %s", student, s->max, reason);
	else
		snprintf(head, sizeof head, "%s: %d of %d rules pass, score %g of %g.%s", student, passed, scored, s->got,
			 s->max, lost ? "\nRules that did not pass (points), and why:" : "");
	size_t hl = strlen(head);
	char *summary = malloc(hl + (lines ? len : 0) + 1);
	if (summary) {
		memcpy(summary, head, hl);
		memcpy(summary + hl, lines ? lines : "", (lines ? len : 0) + 1);
	}
	cJSON_AddStringToObject(o, "output", summary ? summary : head);
	free(summary);
	free(lines);
	int rc = write_json(o, path);
	cJSON_Delete(o);
	return rc;
}
