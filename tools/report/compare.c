/* compare: several runs side by side, disagreements marked. */
#include <stdlib.h>
#include <string.h>

#include "content.h"

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* The union of case ids over all runs, sorted. */
static int all_ids(struct run *runs, int n, const char ***out)
{
	int cap = 0, k = 0;
	for (int i = 0; i < n; i++)
		cap += runs[i].n;
	const char **ids = calloc((size_t)cap + 1, sizeof *ids);
	for (int i = 0; i < n; i++)
		for (int j = 0; j < runs[i].n; j++)
			ids[k++] = runs[i].recs[j].id;
	qsort(ids, (size_t)k, sizeof *ids, cmp_str);
	int u = 0;
	for (int i = 0; i < k; i++)
		if (!u || strcmp(ids[u - 1], ids[i]))
			ids[u++] = ids[i];
	*out = ids;
	return u;
}

static bool disagree(struct run *runs, int n, const char *id)
{
	const char *first = NULL;
	for (int i = 0; i < n; i++) {
		const struct rec *x = run_find(&runs[i], id);
		const char *v = x ? x->verdict : "NOT RUN";
		if (!first)
			first = v;
		else if (strcmp(first, v))
			return true;
	}
	return false;
}

static const char *label(const struct run *r, char *buf, size_t n)
{
	snprintf(buf, n, "%s (%s %s, %s)", r->id, sys_str(r, "release"), sys_str(r, "arch"), sys_str(r, "target"));
	return buf;
}

int render_compare(struct run *runs, int n, const char *path_md, const char *path_html)
{
	const char **ids;
	int nid = all_ids(runs, n, &ids);
	int ndis = 0;
	for (int i = 0; i < nid; i++)
		ndis += disagree(runs, n, ids[i]);
	char buf[512];
	FILE *m = fopen(path_md, "we"), *h = fopen(path_html, "we");
	if (!m || !h) {
		if (m)
			fclose(m);
		if (h)
			fclose(h);
		free((void *)ids);
		return -1;
	}
	fprintf(m, "# pipelab comparison of %d runs\n\n%d of %d cases disagree (marked ⚠).\n\n| case |", n, ndis, nid);
	fprintf(h, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>pipelab comparison</title><style>"
		   "body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:.3em .6em}"
		   "tr.dis{background:#fff3cd}.PASS{color:#11772b}.FAIL{color:#b00020}.BROKEN{color:#9a5b00}.SKIP{color:#666}.TIMEOUT{color:#7b1fa2}"
		   "</style></head><body><h1>pipelab comparison of %d runs</h1><p id=\"disagreements\">%d of %d cases disagree (highlighted).</p>"
		   "<table><tr><th>case</th>", n, ndis, nid);
	for (int i = 0; i < n; i++) {
		fprintf(m, " %s |", label(&runs[i], buf, sizeof buf));
		fputs("<th>", h);
		put_html(h, label(&runs[i], buf, sizeof buf));
		fputs("</th>", h);
	}
	fputs("\n|---|", m);
	for (int i = 0; i < n; i++)
		fputs("---|", m);
	fputs("</tr>\n", h);
	fputc('\n', m);
	for (int k = 0; k < nid; k++) {
		bool dis = disagree(runs, n, ids[k]);
		fprintf(m, "| %s`%s` |", dis ? "⚠ " : "", ids[k]);
		fprintf(h, "<tr%s><td><code>", dis ? " class=\"dis\"" : "");
		put_html(h, ids[k]);
		fputs("</code></td>", h);
		for (int i = 0; i < n; i++) {
			const struct rec *x = run_find(&runs[i], ids[k]);
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
	fputs("</table></body></html>\n", h);
	free((void *)ids);
	int rc = fclose(m);
	return fclose(h) || rc ? -1 : ndis;
}
