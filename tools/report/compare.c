/* compare: several runs side by side.  The cases whose verdicts differ come
 * first, each linking to its full row; a case one run has no record of
 * (a filtered or stopped run) is listed as "not run on" that run, not as a
 * disagreement; then the measured values that differ, then every case. */
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "content.h"

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* The union of case ids over all runs, sorted. */
static int all_ids(struct run *runs, int n, const char ***out)
{
	int cap = 0, k = 0;
	for (int i = 0; i < n; i++)
		cap += runs[i].n;
	const char **ids = calloc((size_t)cap + 1, sizeof *ids);
	for (int i = 0; i < n && ids; i++)
		for (int j = 0; j < runs[i].n; j++)
			ids[k++] = runs[i].recs[j].id;
	if (ids)
		qsort(ids, (size_t)k, sizeof *ids, cmp_str);
	int u = 0;
	for (int i = 0; i < k; i++)
		if (!u || strcmp(ids[u - 1], ids[i]))
			ids[u++] = ids[i];
	*out = ids;
	return u;
}

/* Verdicts differ among the runs that have a record of the case. */
static bool disagree(struct run *runs, int n, const char *id)
{
	const char *first = NULL;
	for (int i = 0; i < n; i++) {
		const struct rec *x = run_find(&runs[i], id);
		if (!x)
			continue;
		if (!first)
			first = x->verdict;
		else if (strcmp(first, x->verdict))
			return true;
	}
	return false;
}

const char *compare_label(const struct run *r, char *buf, size_t n)
{
	char config[400];
	snprintf(buf, n, "%s (%s %s, %s%s%s)", r->id, sys_str(r, "release"), sys_str(r, "arch"), sys_str(r, "target"),
		 *run_config(r, config, sizeof config) ? "; " : "", config);
	return buf;
}

static void head(struct run *runs, int n, FILE *m, FILE *h)
{
	char buf[512];
	fputs("| case |", m);
	fputs("<table><tr><th>case</th>", h);
	for (int i = 0; i < n; i++) {
		fprintf(m, " %s |", compare_label(&runs[i], buf, sizeof buf));
		fputs("<th>", h);
		put_html(h, compare_label(&runs[i], buf, sizeof buf));
		fputs("</th>", h);
	}
	fputs("\n|---|", m);
	for (int i = 0; i < n; i++)
		fputs("---|", m);
	fputs("</tr>\n", h);
	fputc('\n', m);
}

/* One case's row; in the differences its id links to the full row. */
static void row(struct run *runs, int n, const char *id, int k, bool link, FILE *m, FILE *h)
{
	bool dis = disagree(runs, n, id);
	if (link) {
		fprintf(m, "| [`%s`](#every-case) |", id);
		fprintf(h, "<tr class=\"dis\"><td><a href=\"#c-%d\"><code>", k);
		put_html(h, id);
		fputs("</code></a></td>", h);
	} else {
		fprintf(m, "| %s`%s` |", dis ? "⚠ " : "", id);
		fprintf(h, "<tr id=\"c-%d\"%s><td><code>", k, dis ? " class=\"dis\"" : "");
		put_html(h, id);
		fputs("</code></td>", h);
	}
	for (int i = 0; i < n; i++) {
		const struct rec *x = run_find(&runs[i], id);
		if (!x) {
			fputs(" NOT RUN |", m);
			fputs("<td>NOT RUN</td>", h);
			continue;
		}
		fprintf(m, " %s %s", mark(x->v), x->verdict);
		fprintf(h, "<td class=\"%s\" title=\"", x->verdict);
		put_html(h, x->observed);
		fprintf(h, "\">%s %s", mark_html(x->v), x->verdict);
		if (dis) {
			fputs(": ", m);
			put_md(m, x->v == V_PASS ? x->observed : x->reason);
			fputs("<br><small>", h);
			put_html(h, x->v == V_PASS ? x->observed : x->reason);
			fputs("</small>", h);
		}
		fputs(" |", m);
		fputs("</td>", h);
	}
	fputc('\n', m);
	fputs("</tr>\n", h);
}

/* Per run: the cases other runs have and it has none of. */
static int not_run(struct run *runs, int n, const char **ids, int nid, FILE *m, FILE *h)
{
	int total = 0;
	char buf[512];
	for (int i = 0; i < n; i++) {
		int count = 0;
		for (int k = 0; k < nid; k++)
			count += !run_find(&runs[i], ids[k]);
		if (!count)
			continue;
		if (!total++) {
			fputs("\n## Not run\n\nCases a run has no record of (filtered out, or the run stopped): not compared "
			      "there, so no disagreement, but not a pass either (exit 1).\n\n", m);
			fputs("<h2 id=\"not-run\">Not run</h2><p>Cases a run has no record of (filtered out, or the run stopped): "
			      "not compared there, so no disagreement, but not a pass either (exit 1).</p><ul>", h);
		}
		fprintf(m, "- not run on %s: %d case(s):", compare_label(&runs[i], buf, sizeof buf), count);
		fputs("<li>not run on ", h);
		put_html(h, buf);
		fprintf(h, ": %d case(s) <details><summary>which</summary>", count);
		for (int k = 0, c = 0; k < nid; k++) {
			if (run_find(&runs[i], ids[k]))
				continue;
			fprintf(m, "%s `%s`", c ? "," : "", ids[k]);
			fprintf(h, "%s<a href=\"#c-%d\">", c++ ? ", " : "", k);
			put_html(h, ids[k]);
			fputs("</a>", h);
		}
		fputs("\n", m);
		fputs("</details></li>", h);
	}
	if (total)
		fputs("</ul>\n", h);
	return total;
}

int render_compare(struct run *runs, int n, const char *path_md, const char *path_html, struct compare_counts *c)
{
	const char **ids;
	int nid = all_ids(runs, n, &ids);
	int ndis = 0, missing = 0;
	for (int i = 0; i < nid; i++) {
		ndis += disagree(runs, n, ids[i]);
		for (int r = 0; r < n; r++)
			if (!run_find(&runs[r], ids[i])) {
				missing++;
				break;
			}
	}
	FILE *m = fopen(path_md, "we"), *h = fopen(path_html, "we");
	if (!m || !h || !ids) {
		if (m)
			fclose(m);
		if (h)
			fclose(h);
		free((void *)ids);
		return -1;
	}
	fprintf(m, "# pipelab comparison of %d runs\n\n**%d of %d cases disagree (marked ⚠); %d not run on some run.**\n",
		n, ndis, nid, missing);
	fprintf(h, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>pipelab comparison</title><style>"
		   "body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:1.5em}td,th{border:1px solid #bbb;padding:.3em .6em}"
		   "tr.dis{background:#fff3cd}.PASS{color:#11772b}.FAIL{color:#b00020}.BROKEN{color:#9a5b00}.SKIP{color:#666}.TIMEOUT{color:#7b1fa2}"
		   "</style></head><body><h1>pipelab comparison of %d runs</h1><p id=\"disagreements\"><b>%d of %d cases disagree "
		   "(highlighted); %d not run on some run.</b></p>\n", n, ndis, nid, missing);
	compare_systems(runs, n, m, h);
	fputs("\n## Differences\n\n", m);
	fputs("<h2 id=\"differences\">Differences</h2>\n", h);
	if (ndis) {
		fputs("Only the cases whose verdicts differ; every case is under [Every case](#every-case).\n\n", m);
		head(runs, n, m, h);
		for (int k = 0; k < nid; k++)
			if (disagree(runs, n, ids[k]))
				row(runs, n, ids[k], k, true, m, h);
		fputs("</table>\n", h);
	} else {
		fputs("No case's verdict differs between the runs that have it.\n", m);
		fputs("<p>No case's verdict differs between the runs that have it.</p>\n", h);
	}
	c->disagree = ndis;
	c->not_run = not_run(runs, n, ids, nid, m, h);
	c->values = compare_values(runs, n, ids, nid, m, h);
	fputs("\n## Every case\n\n", m);
	fputs("<h2 id=\"every-case\">Every case</h2>\n", h);
	head(runs, n, m, h);
	for (int k = 0; k < nid; k++)
		row(runs, n, ids[k], k, false, m, h);
	fputs("</table></body></html>\n", h);
	free((void *)ids);
	int rc = fclose(m);
	return fclose(h) || rc ? -1 : 0;
}
