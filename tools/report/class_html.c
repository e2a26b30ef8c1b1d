/* class.html: students x rules, sortable by any column, with the totals per
 * rule, the rules most students fail, and a link to each student's report. */
#include <stdlib.h>
#include <string.h>

#include "class.h"
#include "content.h"

static const char CSS[] =
	"body{font:14px/1.4 system-ui,'DejaVu Sans',sans-serif;margin:1.5em;color:#222}"
	"table{border-collapse:separate;border-spacing:0;margin:.5em 0 1.5em}"
	"td,th{border:1px solid #ccc;border-width:0 1px 1px 0;padding:.25em .45em;text-align:center}"
	"tr>:first-child{border-left-width:1px}thead tr:first-child>*{border-top-width:1px}"
	"th{background:#f3f3f3;cursor:pointer}td.name,th.name{text-align:left;white-space:nowrap}"
	".p{background:#e3f4e6;color:#11772b}.f{background:#fbe3e6;color:#b00020}.x{background:#f1f1f1;color:#666}"
	"th.r{writing-mode:vertical-rl;transform:rotate(180deg);font-weight:normal;font-size:12px;white-space:nowrap}"
	".wrap{overflow-x:auto}.reason{color:#9a5b00;text-align:left}tfoot td{font-weight:600;background:#fafafa}"
	/* the student and the score stay in view across 100+ rule columns */
	"#grid .name,#grid .sc{position:sticky;z-index:1;background:#fff;box-sizing:border-box}"
	"#grid th.name,#grid th.sc,#grid tfoot td{background:#f3f3f3}"
	"#grid .name{left:0;width:14em;min-width:14em;max-width:14em;overflow:hidden;text-overflow:ellipsis}"
	"#grid .sc{left:14em;width:6.5em;min-width:6.5em;white-space:nowrap}"
	"#grid td.name .reason{font-size:12px;white-space:normal}"
	"details{margin:.2em 0}details ul{margin:.2em 0 .6em}code{font-size:13px}";

/* Clicking a header sorts the body by that column (numbers as numbers).  A
 * row shorter than the header (none is written, but a page edited by hand
 * may have one) sorts last rather than stopping the sort. */
static const char JS[] =
	"document.querySelectorAll('#grid thead th').forEach(function(th,i){th.onclick=function(){"
	"var b=document.querySelector('#grid tbody'),rows=Array.from(b.rows),d=th.dataset.d=th.dataset.d=='1'?'-1':'1';"
	"function key(r){var c=r.cells[i];return c?(c.dataset.k||c.textContent):'';}"
	"rows.sort(function(x,y){var a=key(x),c=key(y);"
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

/* One cell per rule in every row, a student not judged too (their reason
 * under the name): the sort reads cell i of each row. */
static void grid_row(FILE *f, const struct class *c, const struct student *st)
{
	fputs("<tr><td class=\"name\"", f);
	if (st->reason) {
		fputs(" title=\"not judged: ", f);
		h(f, st->reason);
		fputs("\"", f);
	}
	fputs(">", f);
	student_link(f, st);
	if (st->reason) {
		fputs("<div class=\"reason\">not judged: ", f);
		h(f, st->reason);
		fputs("</div>", f);
	}
	fprintf(f, "</td><td class=\"sc\" data-k=\"%g\">%g / %g</td>", st->score.got, st->score.got, st->score.max);
	for (int k = 0; k < c->nrules; k++) {
		const struct rule_result *x = student_rule(st, c->rules->rules[k].id);
		bool ok = student_passes(st, c->rules->rules[k].id);
		if (st->reason) {
			fputs("<td class=\"x\" data-k=\"-1\">·</td>", f);
			continue;
		}
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
	fputs(" (<a href=\"#weights\">the weights in effect</a>). A submission that could not be judged (missing, not a "
	      "shared library, crashed while loading, its run cut short) scores 0 with the reason "
	      "(<a href=\"#students\">each student's lost rules and reasons</a>). See docs/grading.md.</p>\n",
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
	fputs("</table>\n<h2 id=\"grid-title\">Students × rules</h2><p>Click a header to sort. ✔ rule passes, ✘ fails, "
	      "· not judged; grey columns weigh 0.</p>\n<div class=\"wrap\"><table id=\"grid\"><thead><tr>"
	      "<th class=\"name\">student</th><th class=\"sc\">score</th>",
	      f);
	for (int k = 0; k < nr; k++) {
		fprintf(f, "<th class=\"r\" title=\"weight %g\">", c->rules->rules[k].weight);
		h(f, c->rules->rules[k].id);
		fputs("</th>", f);
	}
	fputs("</tr></thead>\n<tbody>\n", f);
	for (int i = 0; i < c->n; i++)
		grid_row(f, c, &c->st[i]);
	fputs("</tbody><tfoot><tr><td class=\"name\">students passing</td><td class=\"sc\"></td>", f);
	for (int k = 0; k < nr; k++) {
		int passing = 0;
		for (int i = 0; i < c->n; i++)
			passing += student_passes(&c->st[i], c->rules->rules[k].id);
		fprintf(f, "<td>%d</td>", passing);
	}
	fputs("</tr></tfoot></table></div>\n", f);
	class_html_students(f, c);
	class_html_weights(f, c);
	fprintf(f, "<p>Also: <a href=\"class.csv\">class.csv</a>; one Gradescope "
		   "<code>results.json</code> per student in <code>students/NAME/</code>.</p>\n<script>%s</script>\n</body></html>\n",
		JS);
	free(fl);
	return fclose(f);
}
