/* pipelab-report matrix: the rule rows.  A reader looks for what differs:
 * those rows come first, each linking to its row in the full table; a rule
 * not run on a target (a filtered or stopped run) is listed apart, as not
 * compared, never as a disagreement; then every rule. */
#include <string.h>

#include "matrix.h"

void matrix_tally(const struct matrix *m, struct tally *t)
{
	memset(t, 0, sizeof *t);
	for (int r = 0; r < m->nrules; r++)
		for (int c = 0; c < m->ncols; c++) {
			struct cell cell;
			cell_at(m, r, c, &cell);
			t->unexplained += cell.state == CELL_DIFFERS;
			t->not_run += cell.state == CELL_NOT_RUN;
			t->not_run_on[c] += cell.state == CELL_NOT_RUN && !cell.ref_lacks;
			t->ref_lacks[c] += cell.state == CELL_NOT_RUN && cell.ref_lacks;
			if (cell.state != CELL_EXPLAINED)
				continue;
			t->explained++;
			int n = 0;
			while (n < t->nused && t->used[n] != cell.expl)
				n++;
			if (n == t->nused)
				t->used[t->nused++] = cell.expl;
		}
}

static int expl_number(const struct tally *t, const struct expl *e)
{
	for (int n = 0; n < t->nused; n++)
		if (t->used[n] == e)
			return n + 1;
	return 0;
}

/* One rule's row; in the differences its name links to the full row. */
static void rule_row(const struct matrix *m, const struct tally *t, int r, bool link, FILE *md, FILE *h)
{
	/* (Markdown has no anchors on table rows: its links go to the table) */
	if (link) {
		fprintf(md, "| [`%s`](#rules) |", m->rules[r]);
		fprintf(h, "<tr><td><a href=\"#r-%d\">", r);
		put_html(h, m->rules[r]);
		fputs("</a></td>", h);
	} else {
		fprintf(md, "| `%s` |", m->rules[r]);
		fprintf(h, "<tr id=\"r-%d\"><td>", r);
		put_html(h, m->rules[r]);
		fputs("</td>", h);
	}
	for (int c = 0; c < m->ncols; c++) {
		struct cell cell;
		cell_at(m, r, c, &cell);
		static const char *const md_mark[] = { "", " *explained [%d]*", " **DIFFERS**", " *not compared*" };
		static const char *const h_class[] = { "", " class=\"expl\"", " class=\"dis\"", " class=\"nr\"" };
		static const char *const h_mark[] = { "", " <i>explained [%d]</i>", " <b>DIFFERS</b>", " <i>not compared</i>" };
		int n = expl_number(t, cell.expl);
		fprintf(md, " %s", cell.text);
		fprintf(md, md_mark[cell.state], n);
		fputs(" |", md);
		fprintf(h, "<td%s>", h_class[cell.state]);
		put_html(h, cell.text);
		fprintf(h, h_mark[cell.state], n);
		fputs("</td>", h);
	}
	fputs("\n", md);
	fputs("</tr>\n", h);
}

static bool row_has(const struct matrix *m, int r, enum cell_state a, enum cell_state b)
{
	for (int c = 0; c < m->ncols; c++) {
		struct cell cell;
		cell_at(m, r, c, &cell);
		if (cell.state == a || cell.state == b)
			return true;
	}
	return false;
}

void matrix_differences(const struct matrix *m, const struct tally *t, FILE *md, FILE *h)
{
	fputs("\n## Differences\n\n", md);
	fputs("<h2 id=\"differences\">Differences</h2>\n", h);
	if (!t->explained && !t->unexplained) {
		fprintf(md, "No rule differs from %s.\n", m->cols[m->ref].name);
		fputs("<p>No rule differs from ", h);
		put_html(h, m->cols[m->ref].name);
		fputs(".</p>\n", h);
		return;
	}
	fputs("Only the rules that differ; every rule is under [Rules](#rules).\n\n", md);
	fputs("<p>Only the rules that differ; each links to its row under <i>Rules</i>.</p>\n", h);
	matrix_head(h, md, m, "rule");
	for (int r = 0; r < m->nrules; r++)
		if (row_has(m, r, CELL_DIFFERS, CELL_EXPLAINED))
			rule_row(m, t, r, true, md, h);
	fputs("</table>\n", h);
}

/* "not run on vm-6.1: 3 rule(s): a, b, c" (side 0), or the rules only the
 * reference lacks (side 1). */
static void not_run_list(const struct matrix *m, int c, int side, int count, FILE *md, FILE *h)
{
	const char *ref = m->cols[m->ref].name, *name = m->cols[c].name;
	fputs("- not run on ", md);
	put_md(md, side ? ref : name);
	fputs("<li>not run on ", h);
	put_html(h, side ? ref : name);
	if (side) {
		fputs(", run on ", md);
		put_md(md, name);
		fputs(", run on ", h);
		put_html(h, name);
	}
	fprintf(md, ": %d rule(s):", count);
	fprintf(h, ": %d rule(s) <details><summary>which</summary>", count);
	int k = 0;
	for (int r = 0; r < m->nrules; r++) {
		struct cell cell;
		cell_at(m, r, c, &cell);
		if (cell.state != CELL_NOT_RUN || cell.ref_lacks != (side == 1))
			continue;
		fprintf(md, "%s `%s`", k ? "," : "", m->rules[r]);
		fprintf(h, "%s<a href=\"#r-%d\">", k++ ? ", " : "", r);
		put_html(h, m->rules[r]);
		fputs("</a>", h);
	}
	fputs("\n", md);
	fputs("</details></li>", h);
}

void matrix_not_run(const struct matrix *m, const struct tally *t, FILE *md, FILE *h)
{
	if (!t->not_run)
		return;
	fputs("\n## Not compared\n\nRules a target has no record of (a filtered run, or one that stopped): nothing was "
	      "compared there, so they are no disagreement, but the matrix is not complete (exit 1).\n\n", md);
	fputs("<h2 id=\"not-run\">Not compared</h2>\n<p>Rules a target has no record of (a filtered run, or one that "
	      "stopped): nothing was compared there, so they are no disagreement, but the matrix is not complete (exit "
	      "1).</p>\n<ul>", h);
	for (int c = 0; c < m->ncols; c++) {
		if (t->not_run_on[c])
			not_run_list(m, c, 0, t->not_run_on[c], md, h);
		if (t->ref_lacks[c])
			not_run_list(m, c, 1, t->ref_lacks[c], md, h);
	}
	fputs("</ul>\n", h);
}

void matrix_rules(const struct matrix *m, const struct tally *t, FILE *md, FILE *h)
{
	fputs("\n## Rules\n\n", md);
	fputs("<h2 id=\"rules\">Rules</h2>\n", h);
	matrix_head(h, md, m, "rule");
	for (int r = 0; r < m->nrules; r++)
		rule_row(m, t, r, false, md, h);
	fputs("</table>\n", h);
}
