/* class.html: students x rules, sortable by any column, with the totals per
 * rule, the rules most students fail, and a link to each student's report. */
#include <stdlib.h>
#include <string.h>

#include "class.h"
#include "content.h"

static const char CSS[] =
	"body{font:14px/1.4 system-ui,'DejaVu Sans',sans-serif;margin:1.5em;color:#222}"
	"table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:.25em .45em;text-align:center}"
	"th{background:#f3f3f3;cursor:pointer}td.name,th.name{text-align:left;white-space:nowrap}"
	".p{background:#e3f4e6;color:#11772b}.f{background:#fbe3e6;color:#b00020}.x{background:#f1f1f1;color:#666}"
	"th.r{writing-mode:vertical-rl;transform:rotate(180deg);font-weight:normal;font-size:12px;white-space:nowrap}"
	".wrap{overflow-x:auto}.reason{color:#9a5b00;text-align:left}tfoot td{font-weight:600;background:#fafafa}";

/* Clicking a header sorts the body by that column (numbers as numbers). */
static const char JS[] =
	"document.querySelectorAll('#grid th').forEach(function(th,i){th.onclick=function(){"
	"var b=document.querySelector('#grid tbody'),rows=Array.from(b.rows),d=th.dataset.d=th.dataset.d=='1'?'-1':'1';"
	"rows.sort(function(x,y){var a=x.cells[i].dataset.k||x.cells[i].textContent,c=y.cells[i].dataset.k||y.cells[i].textContent;"
	"var na=parseFloat(a),nc=parseFloat(c);return (isNaN(na)||isNaN(nc)?a.localeCompare(c):na-nc)*d;});"
	"rows.forEach(function(r){b.appendChild(r);});};});";

struct fails {
	int idx, failed;
};

static int by_failed(const void *a, const void *b)
{
	const struct fails *x = a, *y = b;
	return y->failed != x->failed ? y->failed - x->failed : x->idx - y->idx;
}

static void h(FILE *f, const char *s) { put_html(f, s); }

static void student_link(FILE *f, const struct student *st)
{
	if (st->has_report) {
		fputs("<a href=\"students/", f);
		h(f, st->name);
		fputs("/reports/latest/index.html\">", f);
		h(f, st->name);
		fputs("</a>", f);
	} else
		h(f, st->name);
}

int render_class_html(const struct class *c, const char *path)
{
	FILE *f = fopen(path, "we");
	if (!f)
		return -1;
	int nr = c->nrules, judged = 0;
	double sum = 0, max = nr ? c->rules->max : 0;
	struct fails *fl = calloc((size_t)nr + 1, sizeof *fl);
	for (int k = 0; k < nr; k++) {
		fl[k].idx = k;
		/* among the students judged, and only rules that count */
		for (int i = 0; i < c->n && c->rules->rules[k].weight > 0; i++)
			fl[k].failed += !c->st[i].reason && !student_passes(&c->st[i], c->rules->rules[k].id);
	}
	for (int i = 0; i < c->n; i++) {
		sum += c->st[i].score.got;
		judged += !c->st[i].reason;
	}
	fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>pipelab class report</title>"
		   "<style>%s</style></head><body>\n<h1>pipelab class report</h1>\n",
		CSS);
	fprintf(f, "<p>%d students (%d judged, %d not judged); mean score %.2f of %g.</p>\n", c->n, judged, c->n - judged,
		c->n ? sum / c->n : 0, max);
	fputs("<p><b>Scoring.</b> One score per rule, not per case: a rule is a case id without its pipe kind "
	      "(<code>@pipe</code>, <code>@fifo</code>, ...) and passes only if every kind passes. Weights: <code>",
	      f);
	h(f, c->w.source);
	fputs("</code>", f);
	if (c->w.n == 0)
		fputs(" (1 per rule; the claims about the notes weigh 0)", f);
	fputs(". A submission that could not be judged (missing, not a shared library, crashed while loading) scores 0 "
	      "with the reason. See docs/grading.md.</p>\n",
	      f);

	qsort(fl, (size_t)nr, sizeof *fl, by_failed);
	fputs("<h2 id=\"hardest\">The rules most students fail</h2><p>Among the students judged; rules of weight 0 left out.</p>\n<table><tr><th class=\"name\">rule</th><th>students failing</th>"
	      "<th>weight</th></tr>\n",
	      f);
	for (int k = 0; k < nr && k < 10 && fl[k].failed > 0; k++) {
		const struct rule_result *x = &c->rules->rules[fl[k].idx];
		fputs("<tr><td class=\"name\"><code>", f);
		h(f, x->id);
		fprintf(f, "</code></td><td>%d of %d</td><td>%g</td></tr>\n", fl[k].failed, judged, x->weight);
	}
	fputs("</table>\n<h2 id=\"grid-title\">Students × rules</h2><p>Click a header to sort. ✔ rule passes, ✘ fails; "
	      "grey columns weigh 0.</p>\n<div class=\"wrap\"><table id=\"grid\"><thead><tr><th class=\"name\">student</th>"
	      "<th>score</th>",
	      f);
	for (int k = 0; k < nr; k++) {
		fprintf(f, "<th class=\"r\" title=\"weight %g\">", c->rules->rules[k].weight);
		h(f, c->rules->rules[k].id);
		fputs("</th>", f);
	}
	fputs("</tr></thead>\n<tbody>\n", f);
	for (int i = 0; i < c->n; i++) {
		const struct student *st = &c->st[i];
		fputs("<tr><td class=\"name\">", f);
		student_link(f, st);
		fprintf(f, "</td><td data-k=\"%g\">%g / %g</td>", st->score.got, st->score.got, st->score.max);
		if (st->reason) {
			fprintf(f, "<td class=\"reason\" colspan=\"%d\">not judged: ", nr ? nr : 1);
			h(f, st->reason);
			fputs("</td>", f);
		}
		for (int k = 0; k < nr && !st->reason; k++) {
			const struct rule_result *x = student_rule(st, c->rules->rules[k].id);
			bool ok = student_passes(st, c->rules->rules[k].id);
			fprintf(f, "<td class=\"%s\" data-k=\"%d\"", x && x->weight <= 0 ? "x" : ok ? "p" : "f", ok);
			if (!ok && x && x->bad_id[0]) {
				fputs(" title=\"", f);
				h(f, x->bad_id);
				fputs("\"", f);
			}
			fprintf(f, ">%s</td>", ok ? "✔" : "✘");
		}
		fputs("</tr>\n", f);
	}
	fputs("</tbody><tfoot><tr><td class=\"name\">students passing</td><td></td>", f);
	for (int k = 0; k < nr; k++) {
		int passing = 0;
		for (int i = 0; i < c->n; i++)
			passing += student_passes(&c->st[i], c->rules->rules[k].id);
		fprintf(f, "<td>%d</td>", passing);
	}
	fprintf(f, "</tr></tfoot></table></div>\n<p>Also: <a href=\"class.csv\">class.csv</a>; one Gradescope "
		   "<code>results.json</code> per student in <code>students/NAME/</code>.</p>\n<script>%s</script>\n</body></html>\n",
		JS);
	free(fl);
	return fclose(f);
}
