/* pipelab-report matrix: what each target says of each rule, and which
 * disagreements with the reference column an explanation covers. */
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "content.h"
#include "matrix.h"

/* A column's verdict for a rule: "PASS" when every kind agrees, else the
 * verdict of each kind; "NOT RUN" when the target has no record of it. */
void cell_of(const struct run *r, const char *rule, char *out, size_t n)
{
	char one[128], first[16] = "";
	bool same = true;
	int found = 0;
	out[0] = '\0';
	for (int i = 0; i < r->n; i++) {
		rule_of(r->recs[i].id, one, sizeof one);
		if (strcmp(one, rule))
			continue;
		if (!found++)
			snprintf(first, sizeof first, "%s", verdict_names[r->recs[i].v]);
		else if (strcmp(first, verdict_names[r->recs[i].v]))
			same = false;
	}
	if (!found) {
		snprintf(out, n, "NOT RUN");
		return;
	}
	if (same) {
		snprintf(out, n, "%s", first);
		return;
	}
	for (int i = 0; i < r->n; i++) {
		rule_of(r->recs[i].id, one, sizeof one);
		if (strcmp(one, rule))
			continue;
		size_t used = strlen(out);
		snprintf(out + used, n - used, "%s%s %s", used ? ", " : "", r->recs[i].kind, verdict_names[r->recs[i].v]);
	}
}

const struct expl *explain(const struct matrix *m, const char *target, const char *rule)
{
	for (int i = 0; i < m->nexpl; i++)
		if (!fnmatch(m->expl[i].target, target, 0) && !fnmatch(m->expl[i].rule, rule, 0))
			return &m->expl[i];
	return NULL;
}

int load_explanations(struct matrix *m, const char *path)
{
	FILE *f = fopen(path, "re");
	if (!f) {
		fprintf(stderr, "pipelab-report: cannot read explanations '%s'\n", path);
		return -1;
	}
	char line[1024];
	while (fgets(line, sizeof line, f) && m->nexpl < MAX_EXPL) {
		line[strcspn(line, "\n")] = '\0';
		struct expl *e = &m->expl[m->nexpl];
		int used = 0;
		if (line[0] == '#' || sscanf(line, "%63s %255s %n", e->target, e->rule, &used) != 2 || !line[used])
			continue;
		snprintf(e->reason, sizeof e->reason, "%s", line + used);
		m->nexpl++;
	}
	fclose(f);
	return 0;
}

static int by_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void collect_rules(struct matrix *m)
{
	int cap = 0;
	for (int c = 0; c < m->ncols; c++)
		cap += m->cols[c].run.n;
	m->rules = calloc((size_t)cap + 1, sizeof *m->rules);
	if (!m->rules)
		return;
	char rule[256];
	for (int c = 0; c < m->ncols; c++)
		for (int i = 0; i < m->cols[c].run.n; i++) {
			rule_of(m->cols[c].run.recs[i].id, rule, sizeof rule);
			bool have = false;
			for (int k = 0; k < m->nrules && !have; k++)
				have = m->rules[k] && !strcmp(m->rules[k], rule);
			char *copy = have ? NULL : strdup(rule);
			if (copy)
				m->rules[m->nrules++] = copy;
		}
	qsort(m->rules, (size_t)m->nrules, sizeof *m->rules, by_str);
}

/* The notes' table cells: read/... and write/... cases. */
bool table_case(const char *id)
{
	return !strncmp(id, "read/", 5) || !strncmp(id, "write/", 6);
}
