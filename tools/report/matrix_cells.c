/* pipelab-report matrix: what each target says of each rule, and which
 * disagreements with the reference column an explanation covers.  Cells are
 * compared case by case (each @kind of the rule), so a kind one column lacks
 * is NOT RUN there, never hidden behind the kinds it has. */
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "content.h"
#include "matrix.h"

static int verdict_of(const struct col *c, const char *id, const struct rec **x)
{
	*x = run_find(&c->run, id);
	return *x ? (*x)->v : V_NOT_RUN;
}

/* An explanation covers a case only with the verdict it names and, when it
 * quotes a text, only when the record says it: "SKIP (EINVAL)" must not
 * excuse a FAIL, nor a SKIP for another reason. */
static bool covers(const struct expl *e, int v, const struct rec *x)
{
	if (v != e->verdict)
		return false;
	if (!e->text[0])
		return true;
	return x && (strstr(x->reason, e->text) || strstr(x->observed, e->text));
}

static const struct expl *explain(const struct matrix *m, int rule, int col)
{
	const char *target = m->cols[col].name, *name = m->rules[rule];
	char one[256];
	for (int i = 0; i < m->nexpl; i++) {
		const struct expl *e = &m->expl[i];
		if (fnmatch(e->target, target, 0) || fnmatch(e->rule, name, 0))
			continue;
		bool all = true;
		for (int k = 0; k < m->nids && all; k++) {
			rule_of(m->ids[k], one, sizeof one);
			const struct rec *x, *ref;
			int v = verdict_of(&m->cols[col], m->ids[k], &x);
			if (!strcmp(one, name) && v != verdict_of(&m->cols[m->ref], m->ids[k], &ref))
				all = covers(e, v, x);
		}
		if (all)
			return e;
	}
	return NULL;
}

/* Every case of the rule that differs is NOT RUN on one side only, the
 * same side for all: nothing was compared, nothing disagreed. */
static bool one_side_not_run(const struct matrix *m, int rule, int col, bool *ref_lacks)
{
	char one[256];
	bool here = true, there = true;
	for (int k = 0; k < m->nids; k++) {
		rule_of(m->ids[k], one, sizeof one);
		const struct rec *x;
		int v = verdict_of(&m->cols[col], m->ids[k], &x), r = verdict_of(&m->cols[m->ref], m->ids[k], &x);
		if (strcmp(one, m->rules[rule]) || v == r)
			continue;
		here = here && v == V_NOT_RUN;
		there = there && r == V_NOT_RUN;
	}
	*ref_lacks = !here;
	return here || there;
}

/* A column's cell for a rule: one verdict when every kind agrees, else each
 * kind's ("pipe PASS, fifo SKIP"). */
void cell_at(const struct matrix *m, int rule, int col, struct cell *out)
{
	const char *name = m->rules[rule];
	char one[256];
	int first = -1;
	if (m->cols[col].broken[0]) { /* said once, under the table */
		snprintf(out->text, sizeof out->text, "—");
		out->state = CELL_SAME;
		out->expl = NULL;
		return;
	}
	bool same = true, differs = false;
	for (int k = 0; k < m->nids; k++) {
		rule_of(m->ids[k], one, sizeof one);
		if (strcmp(one, name))
			continue;
		const struct rec *x, *ref;
		int v = verdict_of(&m->cols[col], m->ids[k], &x);
		if (first < 0)
			first = v;
		same = same && v == first;
		differs = differs || v != verdict_of(&m->cols[m->ref], m->ids[k], &ref);
	}
	out->text[0] = '\0';
	for (int k = 0; k < m->nids && !same; k++) {
		rule_of(m->ids[k], one, sizeof one);
		if (strcmp(one, name))
			continue;
		const struct rec *x;
		const char *at = strchr(m->ids[k], '@');
		size_t used = strlen(out->text);
		snprintf(out->text + used, sizeof out->text - used, "%s%s %s", used ? ", " : "", at ? at + 1 : "",
			 verdict_names[verdict_of(&m->cols[col], m->ids[k], &x)]);
	}
	if (same)
		snprintf(out->text, sizeof out->text, "%s", verdict_names[first < 0 ? V_NOT_RUN : first]);
	out->expl = differs ? explain(m, rule, col) : NULL;
	out->state = !differs ? CELL_SAME : out->expl ? CELL_EXPLAINED : CELL_DIFFERS;
	out->ref_lacks = false;
	if (out->state == CELL_DIFFERS && one_side_not_run(m, rule, col, &out->ref_lacks))
		out->state = CELL_NOT_RUN;
}

int broken_targets(const struct matrix *m)
{
	int n = 0;
	for (int c = 0; c < m->ncols; c++)
		n += m->cols[c].broken[0] || m->cols[c].not_run;
	return n;
}

/* "SKIP", "NOT-RUN" (the file's words have no spaces) -> a verdict index. */
static int verdict_word(const char *w)
{
	if (!strcmp(w, "NOT-RUN") || !strcmp(w, "NOT_RUN"))
		return V_NOT_RUN;
	for (int v = 0; v < V_COUNT; v++)
		if (!strcmp(w, verdict_names[v]))
			return v;
	return -1;
}

/* TARGET-GLOB RULE-GLOB VERDICT ["TEXT"] REASON; a line that is none of
 * that is refused (an explanation that silently matches nothing, or
 * anything, is worse than none). */
static int parse_line(char *line, struct expl *e, const char *path, int no)
{
	char verdict[32];
	int used = 0;
	if (sscanf(line, "%63s %255s %31s %n", e->target, e->rule, verdict, &used) != 3) {
		fprintf(stderr, "pipelab-report: %s:%d: expected TARGET-GLOB RULE-GLOB VERDICT [\"TEXT\"] REASON\n", path, no);
		return -1;
	}
	if ((e->verdict = verdict_word(verdict)) < 0) {
		fprintf(stderr, "pipelab-report: %s:%d: '%s' is not a verdict (PASS FAIL BROKEN SKIP TIMEOUT NOT-RUN)\n", path, no,
			verdict);
		return -1;
	}
	char *rest = line + used;
	e->text[0] = '\0';
	if (*rest == '"') {
		char *end = strchr(rest + 1, '"');
		if (!end || end == rest + 1 || (size_t)(end - rest - 1) >= sizeof e->text) {
			fprintf(stderr, "pipelab-report: %s:%d: the quoted text is empty, unterminated or too long\n", path, no);
			return -1;
		}
		snprintf(e->text, sizeof e->text, "%.*s", (int)(end - rest - 1), rest + 1);
		rest = end + 1 + strspn(end + 1, " \t");
	}
	if (!*rest) {
		fprintf(stderr, "pipelab-report: %s:%d: no reason given\n", path, no);
		return -1;
	}
	snprintf(e->reason, sizeof e->reason, "%s", rest);
	e->line = no;
	return 0;
}

int load_explanations(struct matrix *m, const char *path)
{
	FILE *f = fopen(path, "re");
	if (!f) {
		fprintf(stderr, "pipelab-report: cannot read explanations '%s'\n", path);
		return -1;
	}
	char line[1024];
	int no = 0, rc = 0;
	while (rc == 0 && fgets(line, sizeof line, f)) {
		no++;
		line[strcspn(line, "\n")] = '\0';
		if (line[strspn(line, " \t")] == '#' || !line[strspn(line, " \t")])
			continue;
		if (m->nexpl == MAX_EXPL) {
			fprintf(stderr, "pipelab-report: %s:%d: more than %d explanations\n", path, no, MAX_EXPL);
			rc = -1;
		} else if ((rc = parse_line(line, &m->expl[m->nexpl], path, no)) == 0)
			m->nexpl++;
	}
	fclose(f);
	return rc;
}

static int by_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sorted and unique, in place; returns the count. */
static int uniq(const char **v, int n)
{
	qsort(v, (size_t)n, sizeof *v, by_str);
	int u = 0;
	for (int i = 0; i < n; i++)
		if (!u || strcmp(v[u - 1], v[i]))
			v[u++] = v[i];
	return u;
}

void collect_rules(struct matrix *m)
{
	int cap = 0;
	for (int c = 0; c < m->ncols; c++)
		cap += m->cols[c].run.n;
	m->rules = calloc((size_t)cap + 1, sizeof *m->rules);
	m->ids = calloc((size_t)cap + 1, sizeof *m->ids);
	if (!m->rules || !m->ids)
		return;
	char rule[256];
	for (int c = 0; c < m->ncols; c++)
		for (int i = 0; i < m->cols[c].run.n; i++) {
			m->ids[m->nids++] = m->cols[c].run.recs[i].id;
			rule_of(m->cols[c].run.recs[i].id, rule, sizeof rule);
			bool have = false;
			for (int k = 0; k < m->nrules && !have; k++)
				have = m->rules[k] && !strcmp(m->rules[k], rule);
			char *copy = have ? NULL : strdup(rule);
			if (copy)
				m->rules[m->nrules++] = copy;
		}
	m->nids = uniq(m->ids, m->nids);
	qsort(m->rules, (size_t)m->nrules, sizeof *m->rules, by_str);
}

/* The notes' table cells: read/... and write/... cases. */
bool table_case(const char *id)
{
	return !strncmp(id, "read/", 5) || !strncmp(id, "write/", 6);
}
