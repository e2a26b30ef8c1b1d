/* pipelab-report matrix: one report over many targets (./pipelab matrix).
 *
 *   pipelab-report matrix --out DIR [--explained FILE] [--note FILE] NAME=RESULTS_DIR...
 *
 * The first column is the reference. Rows are rules (case ids without their
 * @kind); a cell that differs from the reference is a disagreement, explained
 * when a line of the explanations file (TARGET-GLOB CASE-GLOB REASON...)
 * matches it. Writes DIR/matrix.md and DIR/matrix.html; exit 0 when every
 * disagreement is explained, 1 when one is not, 2 on usage error. */
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "pipelab.h"
#include "run.h"

enum { MAX_COLS = 32, CELL_LEN = 160, MAX_EXPL = 256, VALUE_LEN = 512 };

struct col {
	char name[64];
	struct run run;
};

struct expl {
	char target[64], rule[256], reason[512];
};

struct matrix {
	struct col cols[MAX_COLS];
	int ncols;
	struct expl expl[MAX_EXPL];
	int nexpl;
	const char **rules; /* sorted, unique */
	int nrules;
	const char *note;   /* the driver's closing note (plain text), may be NULL */
};

/* The rule of a case id: the id without "@kind". */
static void rule_of(const char *id, char *out, size_t n)
{
	snprintf(out, n, "%.*s", (int)strcspn(id, "@"), id);
}

/* A column's verdict for a rule: "PASS" when every kind agrees, else the
 * verdict of each kind; "NOT RUN" when the target has no record of it. */
static void cell_of(const struct run *r, const char *rule, char *out, size_t n)
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

static const struct expl *explain(const struct matrix *m, const char *target, const char *rule)
{
	for (int i = 0; i < m->nexpl; i++)
		if (!fnmatch(m->expl[i].target, target, 0) && !fnmatch(m->expl[i].rule, rule, 0))
			return &m->expl[i];
	return NULL;
}

static int load_explanations(struct matrix *m, const char *path)
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

static void collect_rules(struct matrix *m)
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

/* Implementation-defined values: distinct values of a measured key, or of a
 * string field anywhere in the records (proof method, wchan). */
static void add_value(char *out, size_t n, const char *v)
{
	size_t len = strlen(v);
	for (const char *p = out; (p = strstr(p, v)); p += len)
		if ((p == out || p[-1] == ' ') && (p[len] == ',' || p[len] == '\0'))
			return;
	size_t used = strlen(out);
	snprintf(out + used, n - used, "%s%s", used ? ", " : "", v);
}

static void walk(const cJSON *j, const char *key, char *out, size_t n)
{
	for (const cJSON *c = j ? j->child : NULL; c; c = c->next) {
		if (c->string && !strcmp(c->string, key) && cJSON_IsString(c))
			add_value(out, n, c->valuestring);
		walk(c, key, out, n);
	}
}

static void measured(const struct run *r, const char *key, char *out, size_t n)
{
	out[0] = '\0';
	for (int i = 0; i < r->n; i++) {
		const cJSON *v = cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(r->recs[i].j, "measured"), key), "value");
		if (cJSON_IsNumber(v)) {
			char num[32];
			snprintf(num, sizeof num, "%.0f", v->valuedouble);
			add_value(out, n, num);
		}
	}
}

struct value_row {
	const char *label, *key;
	bool is_measured; /* else: a string field anywhere in the records */
};

static const struct value_row value_rows[] = {
	{ "capacity (bytes, by filling)", "capacity_by_filling", true },
	{ "default F_GETPIPE_SZ (bytes)", "default F_GETPIPE_SZ", true },
	{ "PIPE_BUF (bytes)", "PIPE_BUF", true },
	{ "page size (bytes)", "page size", true },
	{ "blocking proof method", "method", false },
	{ "wchan names", "wchan", false },
	{ "kernel", "release", false },
	{ "arch", "arch", false },
	{ "libc", "libc", false },
};

static void value_of(const struct run *r, const struct value_row *row, char *out, size_t n)
{
	out[0] = '\0';
	if (row->is_measured)
		measured(r, row->key, out, n);
	else
		for (int i = 0; i < r->n; i++)
			walk(r->recs[i].j, row->key, out, n);
	if (!out[0])
		snprintf(out, n, "-");
}

static bool table_case(const char *id)
{
	return !strncmp(id, "read/", 5) || !strncmp(id, "write/", 6);
}

static void head(FILE *h, FILE *md, const struct matrix *m, const char *first)
{
	fprintf(md, "| %s |", first);
	fprintf(h, "<table><tr><th>%s</th>", first);
	for (int c = 0; c < m->ncols; c++) {
		fputc(' ', md);
		put_md(md, m->cols[c].name);
		fputs(" |", md);
		fputs("<th>", h);
		put_html(h, m->cols[c].name);
		fputs("</th>", h);
	}
	fputs("\n|---|", md);
	for (int c = 0; c < m->ncols; c++)
		fputs("---|", md);
	fputs("</tr>\n", h);
	fputc('\n', md);
}

static int render(struct matrix *m, FILE *md, FILE *h)
{
	char cell[CELL_LEN], ref[CELL_LEN], value[VALUE_LEN];
	int unexplained = 0, explained = 0;
	fprintf(h, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>pipelab matrix</title><style>"
		   "body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:1.5em}"
		   "td,th{border:1px solid #bbb;padding:.3em .6em}td.dis{background:#fde2e1}td.expl{background:#fff3cd}"
		   "pre{white-space:pre-wrap}</style></head><body><h1>pipelab matrix: %d targets</h1>\n",
		m->ncols);
	fprintf(md, "# pipelab matrix: %d targets\n\nReference column: %s. A cell that differs from it is marked "
		    "**DIFFERS** (unexplained) or *explained [n]*.\n\n",
		m->ncols, m->cols[0].name);
	fputs("<p>Reference column: ", h);
	put_html(h, m->cols[0].name);
	fputs(". A cell that differs from it is marked <b>DIFFERS</b> (unexplained, red) or <i>explained [n]</i> (yellow).</p>\n", h);

	fputs("## The notes' table cells\n\n", md);
	fputs("<h2>The notes' table cells</h2>\n", h);
	head(h, md, m, "cell");
	for (int k = 0; k < m->cols[0].run.n; k++) {
		const struct rec *x = &m->cols[0].run.recs[k];
		if (!table_case(x->id))
			continue;
		fprintf(md, "| `%s` |", x->id);
		fputs("<tr><td>", h);
		put_html(h, x->id);
		fputs("</td>", h);
		for (int c = 0; c < m->ncols; c++) {
			const struct rec *y = run_find(&m->cols[c].run, x->id);
			const char *v = y ? verdict_names[y->v] : "NOT RUN";
			fprintf(md, " %s |", v);
			fprintf(h, "<td>%s</td>", v);
		}
		fputs("\n", md);
		fputs("</tr>\n", h);
	}
	fputs("</table>\n", h);

	fputs("\n## Rules\n\n", md);
	fputs("<h2>Rules</h2>\n", h);
	head(h, md, m, "rule");
	/* Explanations used, numbered in order of first use. */
	const struct expl *used[MAX_EXPL];
	int nused = 0;
	for (int r = 0; r < m->nrules; r++) {
		fprintf(md, "| `%s` |", m->rules[r]);
		fputs("<tr><td>", h);
		put_html(h, m->rules[r]);
		fputs("</td>", h);
		cell_of(&m->cols[0].run, m->rules[r], ref, sizeof ref);
		for (int c = 0; c < m->ncols; c++) {
			cell_of(&m->cols[c].run, m->rules[r], cell, sizeof cell);
			const struct expl *e = c && strcmp(cell, ref) ? explain(m, m->cols[c].name, m->rules[r]) : NULL;
			if (!c || !strcmp(cell, ref)) {
				fprintf(md, " %s |", cell);
				fputs("<td>", h);
				put_html(h, cell);
				fputs("</td>", h);
			} else if (e) {
				int n = 0;
				while (n < nused && used[n] != e)
					n++;
				if (n == nused)
					used[nused++] = e;
				explained++;
				fprintf(md, " %s *explained [%d]* |", cell, n + 1);
				fputs("<td class=\"expl\">", h);
				put_html(h, cell);
				fprintf(h, " <i>explained [%d]</i></td>", n + 1);
			} else {
				unexplained++;
				fprintf(md, " %s **DIFFERS** |", cell);
				fputs("<td class=\"dis\">", h);
				put_html(h, cell);
				fputs(" <b>DIFFERS</b></td>", h);
			}
		}
		fputs("\n", md);
		fputs("</tr>\n", h);
	}
	fputs("</table>\n", h);
	fprintf(md, "\n%d disagreement(s) with %s: %d explained, %d unexplained.\n", explained + unexplained,
		m->cols[0].name, explained, unexplained);
	fprintf(h, "<p id=\"disagreements\">%d disagreement(s) with ", explained + unexplained);
	put_html(h, m->cols[0].name);
	fprintf(h, ": %d explained, %d unexplained.</p>\n", explained, unexplained);
	if (nused) {
		fputs("\n## Explanations\n\n", md);
		fputs("<h2>Explanations</h2>\n<ol>", h);
		for (int i = 0; i < nused; i++) {
			fprintf(md, "%d. `%s` on `%s`: ", i + 1, used[i]->rule, used[i]->target);
			put_md(md, used[i]->reason);
			fputs("\n", md);
			fputs("<li><code>", h);
			put_html(h, used[i]->rule);
			fputs("</code> on <code>", h);
			put_html(h, used[i]->target);
			fputs("</code>: ", h);
			put_html(h, used[i]->reason);
			fputs("</li>", h);
		}
		fputs("</ol>\n", h);
	}

	fputs("\n## Implementation-defined values (measured)\n\n", md);
	fputs("<h2>Implementation-defined values (measured)</h2>\n", h);
	head(h, md, m, "value");
	for (size_t v = 0; v < sizeof value_rows / sizeof value_rows[0]; v++) {
		fprintf(md, "| %s |", value_rows[v].label);
		fputs("<tr><td>", h);
		put_html(h, value_rows[v].label);
		fputs("</td>", h);
		for (int c = 0; c < m->ncols; c++) {
			value_of(&m->cols[c].run, &value_rows[v], value, sizeof value);
			fputc(' ', md);
			put_md(md, value);
			fputs(" |", md);
			fputs("<td>", h);
			put_html(h, value);
			fputs("</td>", h);
		}
		fputs("\n", md);
		fputs("</tr>\n", h);
	}
	fputs("</table>\n", h);
	if (m->note) {
		fputs("\n## Closing note\n\n```\n", md);
		fputs(m->note, md);
		fputs("```\n", md);
		fputs("<h2>Closing note</h2>\n<pre>", h);
		put_html(h, m->note);
		fputs("</pre>\n", h);
	}
	fputs("</body></html>\n", h);
	printf("pipelab: matrix of %d targets, %d rules: %d disagreement(s), %d unexplained\n", m->ncols, m->nrules,
	       explained + unexplained, unexplained);
	return unexplained ? 1 : 0;
}

int cmd_matrix(int argc, char *argv[]);
int cmd_matrix(int argc, char *argv[])
{
	static struct matrix m;
	const char *out = NULL, *expl = NULL, *note = NULL;
	for (int i = 0; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		if (!strcmp(argv[i], "--out") && i + 1 < argc)
			out = argv[++i];
		else if (!strcmp(argv[i], "--explained") && i + 1 < argc)
			expl = argv[++i];
		else if (!strcmp(argv[i], "--note") && i + 1 < argc)
			note = argv[++i];
		else if (eq && eq != argv[i] && m.ncols < MAX_COLS && (size_t)(eq - argv[i]) < sizeof m.cols[0].name) {
			struct col *c = &m.cols[m.ncols];
			snprintf(c->name, sizeof c->name, "%.*s", (int)(eq - argv[i]), argv[i]);
			if (run_load(&c->run, eq + 1) < 0)
				return 2;
			m.ncols++;
		} else {
			fputs("usage: pipelab-report matrix --out DIR [--explained FILE] [--note FILE] NAME=RESULTS_DIR...\n",
			      stderr);
			return 2;
		}
	}
	if (!out || m.ncols < 1 || (expl && load_explanations(&m, expl) < 0)) {
		fputs("usage: pipelab-report matrix --out DIR [--explained FILE] [--note FILE] NAME=RESULTS_DIR...\n", stderr);
		return 2;
	}
	char *note_text = note ? read_file(note) : NULL;
	m.note = note_text;
	collect_rules(&m);
	char md_path[2100], html_path[2100];
	snprintf(md_path, sizeof md_path, "%s/matrix.md", out);
	snprintf(html_path, sizeof html_path, "%s/matrix.html", out);
	int rc = 2;
	FILE *md = pl_mkdir_p(out) == 0 ? fopen(md_path, "we") : NULL;
	FILE *h = md ? fopen(html_path, "we") : NULL;
	if (md && h)
		rc = render(&m, md, h);
	else
		fprintf(stderr, "pipelab-report: cannot write the matrix into '%s'\n", out);
	if (md && fclose(md) != 0)
		rc = 2;
	if (h && fclose(h) != 0)
		rc = 2;
	for (int r = 0; r < m.nrules; r++)
		free((void *)m.rules[r]);
	free((void *)m.rules);
	free(note_text);
	for (int c = 0; c < m.ncols; c++)
		run_free(&m.cols[c].run);
	return rc;
}
