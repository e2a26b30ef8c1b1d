/* pipelab-report matrix: matrix.md and matrix.html, written side by side
 * (one walk over the cells, each line in both files). */
#include <string.h>

#include "matrix.h"

void matrix_head(FILE *h, FILE *md, const struct matrix *m, const char *first)
{
	fprintf(md, "| %s |", first);
	fprintf(h, "<table><tr><th>%s</th>", first);
	for (int c = 0; c < m->ncols; c++) {
		fputc(' ', md);
		put_md(md, m->cols[c].name);
		fputs(m->cols[c].broken[0] ? " (did not run) |" : " |", md);
		fputs("<th>", h);
		put_html(h, m->cols[c].name);
		fputs(m->cols[c].broken[0] ? " (did not run)</th>" : "</th>", h);
	}
	fputs("\n|---|", md);
	for (int c = 0; c < m->ncols; c++)
		fputs("---|", md);
	fputs("</tr>\n", h);
	fputc('\n', md);
}
/* Targets that did not run, or stopped early, each with why: a matrix
 * with a column missing says so, and exits 1. */
static void broken_section(const struct matrix *m, FILE *md, FILE *h)
{
	if (!broken_targets(m))
		return;
	fputs("\n## Targets that did not run\n\n", md);
	fputs("<h2 id=\"broken\">Targets that did not run</h2>\n<ul>", h);
	for (int c = 0; c < m->ncols; c++) {
		const struct col *x = &m->cols[c];
		char why[700];
		if (x->broken[0])
			snprintf(why, sizeof why, "%s", x->broken);
		else if (x->not_run) {
			const char *first = "";
			for (int i = 0; i < x->run.n && !*first; i++)
				if (x->run.recs[i].v == V_NOT_RUN)
					first = x->run.recs[i].reason;
			snprintf(why, sizeof why, "stopped early: %d of its %d cases NOT RUN (%s)", x->not_run, x->run.n, first);
		} else
			continue;
		fputs("- **", md);
		put_md(md, x->name);
		fputs("**: ", md);
		put_md(md, why);
		fputs("\n", md);
		fputs("<li><b>", h);
		put_html(h, x->name);
		fputs("</b>: ", h);
		put_html(h, why);
		fputs("</li>", h);
	}
	fputs("</ul>\n", h);
}

static void explanations(const struct tally *t, FILE *md, FILE *h)
{
	if (!t->nused)
		return;
	fputs("\n## Explanations\n\n", md);
	fputs("<h2>Explanations</h2>\n<ol>", h);
	for (int i = 0; i < t->nused; i++) {
		const struct expl *e = t->used[i];
		fprintf(md, "%d. `%s` on `%s` is %s", i + 1, e->rule, e->target, verdict_names[e->verdict]);
		if (e->text[0]) {
			fputs(" saying \"", md);
			put_md(md, e->text);
			fputc('"', md);
		}
		fputs(": ", md);
		put_md(md, e->reason);
		fputs("\n", md);
		fputs("<li><code>", h);
		put_html(h, e->rule);
		fputs("</code> on <code>", h);
		put_html(h, e->target);
		fprintf(h, "</code> is %s", verdict_names[e->verdict]);
		if (e->text[0]) {
			fputs(" saying &quot;", h);
			put_html(h, e->text);
			fputs("&quot;", h);
		}
		fputs(": ", h);
		put_html(h, e->reason);
		fputs("</li>", h);
	}
	fputs("</ol>\n", h);
}

static void table_cells(const struct matrix *m, FILE *md, FILE *h)
{
	fputs("\n## The notes' table cells\n\n", md);
	fputs("<h2>The notes' table cells</h2>\n", h);
	matrix_head(h, md, m, "cell");
	for (int k = 0; k < m->cols[m->ref].run.n; k++) {
		const struct rec *x = &m->cols[m->ref].run.recs[k];
		if (!table_case(x->id))
			continue;
		fprintf(md, "| `%s` |", x->id);
		fputs("<tr><td>", h);
		put_html(h, x->id);
		fputs("</td>", h);
		for (int c = 0; c < m->ncols; c++) {
			const struct rec *y = run_find(&m->cols[c].run, x->id);
			const char *v = m->cols[c].broken[0] ? "—" : y ? verdict_names[y->v] : "NOT RUN";
			fprintf(md, " %s |", v);
			fprintf(h, "<td>%s</td>", v);
		}
		fputs("\n", md);
		fputs("</tr>\n", h);
	}
	fputs("</table>\n", h);
}

int matrix_render(struct matrix *m, FILE *md, FILE *h)
{
	struct tally t;
	matrix_tally(m, &t);
	const char *ref = m->cols[m->ref].name;
	fprintf(h, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>pipelab matrix</title><style>"
		   "body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:1.5em}"
		   "td,th{border:1px solid #bbb;padding:.3em .6em}td.dis{background:#fde2e1}td.expl{background:#fff3cd}"
		   "td.nr{background:#eee;color:#555}pre{white-space:pre-wrap}</style></head><body>"
		   "<h1>pipelab matrix: %d targets</h1>\n",
		m->ncols);
	fprintf(md, "# pipelab matrix: %d targets\n\nReference column: %s. A cell that differs from it is marked "
		    "**DIFFERS** (unexplained) or *explained [n]*; one whose cases one side has no record of is *not "
		    "compared*.\n\n",
		m->ncols, ref);
	fputs("<p>Reference column: ", h);
	put_html(h, ref);
	fputs(". A cell that differs from it is marked <b>DIFFERS</b> (unexplained, red) or <i>explained [n]</i> "
	      "(yellow); one whose cases one side has no record of is <i>not compared</i> (grey).</p>\n", h);
	char sum[400];
	snprintf(sum, sizeof sum, "%d disagreement(s) with %s: %d explained, %d unexplained; %d cell(s) not compared.",
		 t.explained + t.unexplained, ref, t.explained, t.unexplained, t.not_run);
	fprintf(md, "**%s**\n", sum);
	fputs("<p id=\"disagreements\"><b>", h);
	put_html(h, sum);
	fputs("</b></p>\n", h);
	broken_section(m, md, h);
	matrix_differences(m, &t, md, h);
	matrix_not_run(m, &t, md, h);
	table_cells(m, md, h);
	matrix_rules(m, &t, md, h);
	explanations(&t, md, h);
	matrix_values(m, md, h);
	if (m->note) {
		fputs("\n## Closing note\n\n```\n", md);
		fputs(m->note, md);
		fputs("```\n", md);
		fputs("<h2>Closing note</h2>\n<pre>", h);
		put_html(h, m->note);
		fputs("</pre>\n", h);
	}
	fputs("</body></html>\n", h);
	int broken = broken_targets(m);
	printf("pipelab: matrix of %d targets, %d rules: %d disagreement(s), %d unexplained", m->ncols, m->nrules,
	       t.explained + t.unexplained, t.unexplained);
	if (t.not_run)
		printf("; %d cell(s) not compared (no record on one side)", t.not_run);
	printf(broken ? "; %d target(s) did not run or stopped early\n" : "\n", broken);
	return t.unexplained || t.not_run || broken ? 1 : 0;
}
