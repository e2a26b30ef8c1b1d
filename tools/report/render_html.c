/* index.html: one self-contained, printable file (inline CSS and SVG, no
 * scripts, nothing fetched). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "content.h"

static const char CSS[] =
	"body{font:14px/1.45 system-ui,'DejaVu Sans','Noto Sans CJK SC','WenQuanYi Micro Hei',sans-serif;margin:2em auto;max-width:1100px;color:#222;padding:0 1em}"
	"h1{font-size:1.6em}h2{border-bottom:2px solid #ddd;padding-bottom:.2em;margin-top:2em}"
	"table{border-collapse:collapse;margin:.5em 0 1em}td,th{border:1px solid #bbb;padding:.35em .6em;vertical-align:top;text-align:left}"
	"th{background:#f3f3f3}.zh{font-weight:600}.en{color:#555;font-size:.9em}"
	".PASS{color:#11772b}.FAIL{color:#b00020}.BROKEN{color:#9a5b00}.SKIP{color:#666}.TIMEOUT{color:#7b1fa2}"
	".claim-refuted{color:#b00020}.claim-confirmed{color:#11772b}.claim-imprecise{color:#9a5b00}.claim-undecided{color:#7b1fa2}"
	".tot span{display:inline-block;margin-right:1em;font-weight:600}"
	".cell .k{display:block;margin-top:.3em}.notes{color:#444;font-style:italic}"
	".case{border:1px solid #ddd;border-radius:6px;padding:.5em .9em;margin:.7em 0;page-break-inside:avoid}"
	".case h4{margin:.2em 0}.checks li{list-style:none}.ok::before{content:'✔ ';color:#11772b}.bad::before{content:'✘ ';color:#b00020}"
	"code,pre{font:12px ui-monospace,monospace}pre{background:#f6f6f6;padding:.5em;overflow:auto;white-space:pre-wrap}"
	"svg{background:#fcfcfc;border:1px solid #eee;margin:.3em 0}"
	"details summary{cursor:pointer;color:#1a5fb4}"
	"@media print{details{display:block}details>summary{display:none}body{max-width:none}}";

static void h(FILE *f, const char *s) { put_html(f, s); }

static void verdict_span(FILE *f, const struct rec *x)
{
	fprintf(f, "<span class=\"%s\">%s %s</span>", x->verdict, mark_html(x->v), x->verdict);
}

static void table(FILE *f, const struct run *r, const struct pl_table *t)
{
	fprintf(f, "<h3><span class=\"zh\">%s</span> · %s</h3>\n<table class=\"notes-table\" id=\"table-%s\">\n", t->title_zh,
		t->title_en, t->name);
	fprintf(f, "<tr><th><span class=\"zh\">%s</span><br><span class=\"en\">%s</span></th>", t->corner_zh, t->corner_en);
	for (int col = 0; col < 2; col++)
		fprintf(f, "<th><span class=\"zh\">%s</span><br><span class=\"en\">%s</span></th>", t->col_zh[col], t->col_en[col]);
	fputs("</tr>\n", f);
	for (int row = 0; row < 2; row++) {
		fprintf(f, "<tr><th><span class=\"zh\">%s</span><br><span class=\"en\">%s</span></th>", t->row_zh[row], t->row_en[row]);
		for (int col = 0; col < 2; col++) {
			const struct pl_cell *c = &t->cells[row * 2 + col];
			fprintf(f, "<td class=\"cell\" id=\"cell-%s\"><div class=\"notes\">notes: %s (%s)</div>", c->id, c->notes_zh,
				c->notes_en);
			for (int k = 0; k < 2; k++) {
				const struct rec *x = cell_rec(r, c->id, KINDS[k]);
				fprintf(f, "<span class=\"k\"><b>%s</b> ", KINDS[k]);
				if (x) {
					verdict_span(f, x);
					fputs(": ", f);
					h(f, x->v == V_PASS ? x->observed : (x->reason[0] ? x->reason : x->observed));
				} else {
					fputs("? NOT RUN", f);
				}
				fputs("</span>", f);
			}
			fputs("</td>", f);
		}
		fputs("</tr>\n", f);
	}
	fputs("</table>\n", f);
}

static double num(cJSON *j, const char *k) { return cJSON_GetNumberValue(cJSON_GetObjectItem(j, k)); }

/* The call that woke a proven-blocked one: the last call another actor began
 * between the proof and the return.  NULL when none was recorded (a signal
 * sent by the judge, say); *who names its actor. */
static cJSON *waker(cJSON *actors, const char *self, double proof_ns, double exit_ns, const char **who)
{
	cJSON *a, *st, *best = NULL;
	double best_t = 0;
	cJSON_ArrayForEach(a, actors)
	{
		const char *name = cJSON_GetStringValue(cJSON_GetObjectItem(a, "name"));
		if (!name || !strcmp(name, self))
			continue;
		cJSON_ArrayForEach(st, cJSON_GetObjectItem(a, "steps"))
		{
			double en = num(st, "t_enter_ns");
			if (en >= proof_ns && en <= exit_ns && (!best || en > best_t)) {
				best = st;
				best_t = en;
				*who = name;
			}
		}
	}
	return best;
}

/* When the actor's step idx was proven blocked, the proof's time (else NaN). */
static double proof_time(cJSON *blocking, const char *actor, int idx)
{
	cJSON *b;
	cJSON_ArrayForEach(b, blocking)
	{
		if (!strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(b, "actor")), actor) && (int)num(b, "step") == idx)
			return num(b, "t_ns");
	}
	return NAN;
}

/* Each actor's calls as bars over the scenario's time; proven-blocked calls
 * in orange with the proof instant marked, the waking event as a dashed line
 * named after the call that caused it. */
static void timeline(FILE *f, cJSON *s)
{
	cJSON *actors = cJSON_GetObjectItem(s, "actors"), *a, *st;
	double t0 = num(s, "t0_ns"), dur = num(s, "duration_ms") * 1e6;
	if (!(dur > 0) || t0 != t0)
		return;
	int rows = cJSON_GetArraySize(actors);
	const int W = 900, L = 190, RH = 24, top = 18;
	double scale = (W - L - 10) / dur;
	fprintf(f, "<svg width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"timeline\" font-size=\"11\">\n",
		W, top + rows * RH + 36, W, top + rows * RH + 36);
	fprintf(f, "<text x=\"%d\" y=\"12\" fill=\"#666\">0 ms</text><text x=\"%d\" y=\"12\" fill=\"#666\" text-anchor=\"end\">%.2f ms</text>\n",
		L, W - 10, dur / 1e6);
	cJSON *blocking = cJSON_GetObjectItem(s, "blocking"), *b;
	int row = 0;
	cJSON_ArrayForEach(a, actors)
	{
		int y = top + row * RH;
		fprintf(f, "<text x=\"4\" y=\"%d\">", y + 15);
		h(f, cJSON_GetStringValue(cJSON_GetObjectItem(a, "name")));
		fputs("</text>\n", f);
		fprintf(f, "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"#eee\"/>\n", L, W - 10, y + 11, y + 11);
		int idx = 0;
		cJSON_ArrayForEach(st, cJSON_GetObjectItem(a, "steps"))
		{
			double en = num(st, "t_enter_ns") - t0;
			cJSON *ex = cJSON_GetObjectItem(st, "t_exit_ns");
			bool done = cJSON_IsNumber(ex);
			double xn = done ? ex->valuedouble - t0 : dur;
			const char *self = cJSON_GetStringValue(cJSON_GetObjectItem(a, "name"));
			double proven = proof_time(blocking, self, idx);
			bool blocked = proven == proven;
			double x1 = L + en * scale, w = (xn - en) * scale;
			if (w < 2)
				w = 2;
			const char *fill = !done ? "#d32f2f" : blocked ? "#f39c12" : "#5b8def";
			char label[512];
			fprintf(f, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"14\" fill=\"%s\"%s><title>", x1, y + 4, w, fill,
				!done ? " fill-opacity=\"0.6\"" : "");
			h(f, step_text(st, label, sizeof label));
			fprintf(f, "%s</title></rect>\n", blocked ? " — proven blocked" : !done ? " — never returned" : "");
			if (blocked && done) {
				const char *who = NULL, *result = cJSON_GetStringValue(cJSON_GetObjectItem(st, "result"));
				cJSON *w = waker(actors, self, proven, xn + t0, &who);
				char wl[512];
				double x = L + xn * scale;
				bool right = x > W * 0.6; /* keep the label inside the picture */
				fprintf(f, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"#2e7d32\" stroke-dasharray=\"3,2\"/>"
					   "<text x=\"%.1f\" y=\"%d\" fill=\"#2e7d32\"%s>woken",
					x, x, top - 4, top + rows * RH, right ? x - 2 : x + 2, top + rows * RH + 12,
					right ? " text-anchor=\"end\"" : "");
				if (w) {
					fputs(" by ", f);
					h(f, who);
					fputc(' ', f);
					h(f, cJSON_GetStringValue(cJSON_GetObjectItem(w, "op")));
					fputs("()<title>", f);
					h(f, who);
					fputs(": ", f);
					h(f, step_text(w, wl, sizeof wl));
					fputs("</title>", f);
				} else if (result && strstr(result, "EINTR")) {
					fputs(" by a signal", f);
				}
				fputs("</text>\n", f);
			}
			idx++;
		}
		row++;
	}
	cJSON_ArrayForEach(b, blocking)
	{
		double t = num(b, "t_ns") - t0;
		int r2 = 0, found = -1;
		cJSON_ArrayForEach(a, actors)
		{
			if (!strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(a, "name")), cJSON_GetStringValue(cJSON_GetObjectItem(b, "actor"))))
				found = r2;
			r2++;
		}
		if (found >= 0 && t == t)
			fprintf(f, "<circle cx=\"%.1f\" cy=\"%d\" r=\"4\" fill=\"#000\"><title>blocking proven here</title></circle>\n",
				L + t * scale, top + found * RH + 11);
	}
	fprintf(f, "<text x=\"%d\" y=\"%d\" fill=\"#666\">blue: call · orange: proven blocked (● proof) · red: never returned · green: woken by</text>\n",
		L, top + rows * RH + 28); /* its own line, below the "woken by" labels */
	fputs("</svg>\n", f);
}

static void case_detail(FILE *f, const struct rec *x)
{
	char buf[1024];
	fprintf(f, "<div class=\"case\" id=\"case-");
	h(f, x->id);
	fputs("\"><h4>", f);
	verdict_span(f, x);
	fputs(" <code>", f);
	h(f, x->id);
	fputs("</code></h4>\n<div>", f);
	h(f, x->title);
	fprintf(f, "</div><div>Rule <b>%s</b> (%s)%s%s</div>", x->rule, x->klass, x->cell[0] ? " · fills " : "", x->cell);
	fputs("<div>Expected: ", f);
	h(f, x->expected);
	fputs("</div><div>Observed: ", f);
	h(f, x->observed);
	fputs("</div>", f);
	if (x->v != V_PASS && x->reason[0]) {
		fputs("<div><b>Why not a pass:</b> ", f);
		h(f, x->reason);
		fputs("</div>", f);
	}
	fputs("<ul class=\"checks\">", f);
	cJSON *k;
	cJSON_ArrayForEach(k, cJSON_GetObjectItem(x->j, "checks"))
	{
		fprintf(f, "<li class=\"%s\">", cJSON_IsTrue(cJSON_GetObjectItem(k, "ok")) ? "ok" : "bad");
		h(f, cJSON_GetStringValue(cJSON_GetObjectItem(k, "what")));
		fputs(": expected ", f);
		h(f, cJSON_GetStringValue(cJSON_GetObjectItem(k, "expected")));
		fputs(", observed ", f);
		h(f, cJSON_GetStringValue(cJSON_GetObjectItem(k, "observed")));
		fputs("</li>", f);
	}
	fputs("</ul>\n", f);
	cJSON *s;
	cJSON_ArrayForEach(s, cJSON_GetObjectItem(x->j, "scenarios"))
	{
		fputs("<details open><summary>Scenario: ", f);
		h(f, cJSON_GetStringValue(cJSON_GetObjectItem(s, "name")));
		fprintf(f, " (%.2f ms of a %.0f ms deadline%s)</summary>\n", num(s, "duration_ms"), num(s, "deadline_ms"),
			cJSON_IsTrue(cJSON_GetObjectItem(s, "timed_out")) ? ", TIMED OUT" : "");
		timeline(f, s);
		cJSON *a, *st, *b;
		fputs("<pre>", f);
		cJSON_ArrayForEach(a, cJSON_GetObjectItem(s, "actors"))
		{
			h(f, cJSON_GetStringValue(cJSON_GetObjectItem(a, "name")));
			fputs(" (", f);
			h(f, cJSON_GetStringValue(cJSON_GetObjectItem(a, "end")));
			fputs(")\n", f);
			cJSON_ArrayForEach(st, cJSON_GetObjectItem(a, "steps"))
			{
				fputs("    ", f);
				h(f, step_text(st, buf, sizeof buf));
				fputc('\n', f);
			}
		}
		cJSON_ArrayForEach(b, cJSON_GetObjectItem(s, "blocking"))
		{
			fputs("blocked: ", f);
			h(f, blocking_text(b, buf, sizeof buf));
			fputc('\n', f);
		}
		fputs("</pre></details>\n", f);
	}
	const char *out = cJSON_GetStringValue(cJSON_GetObjectItem(x->j, "output"));
	if (out && *out) {
		fputs("<details open><summary>Output of the case process</summary><pre>", f);
		h(f, out);
		fputs("</pre></details>", f);
	}
	fputs("</div>\n", f);
}

static void measure_row(void *ctx, const char *name, double v, const char *unit, const char *id)
{
	FILE *f = ctx;
	fprintf(f, "<tr><td>%s</td><td>%.0f</td><td>%s</td><td><code>", name, v, unit);
	put_html(f, id);
	fputs("</code></td></tr>\n", f);
}

int render_html(const struct run *r, const char *path)
{
	FILE *f = fopen(path, "we");
	if (!f)
		return -1;
	char date[64];
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n", f);
	fputs("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\n<title>pipelab report — ", f);
	h(f, r->id);
	fprintf(f, "</title>\n<style>%s</style></head><body>\n<h1>pipelab report — ", CSS);
	h(f, r->id);
	fputs("</h1>\n<h2>System under test</h2>\n<table>", f);
	fprintf(f, "<tr><th>Kernel</th><td>%s %s</td></tr>", sys_str(r, "kernel"), sys_str(r, "release"));
	fprintf(f, "<tr><th>libc</th><td>%s %s</td></tr>", sys_str(r, "libc"), sys_str(r, "libc_version"));
	fprintf(f, "<tr><th>Architecture</th><td>%s</td></tr><tr><th>Target</th><td>", sys_str(r, "arch"));
	h(f, sys_str(r, "target"));
	fprintf(f, "</td></tr><tr><th>Date</th><td>%s</td></tr></table>\n", run_date(r, date, sizeof date));
	fprintf(f, "<h2>Totals</h2><p class=\"tot\" id=\"totals\"><span>%d cases</span>", r->n);
	for (int v = 0; v < V_COUNT; v++)
		fprintf(f, "<span class=\"%s\">%d %s</span>", verdict_names[v], r->totals[v], verdict_names[v]);
	fputs("</p>\n<h2>The notes' tables, filled in by this machine</h2>\n", f);
	fputs("<p>Each cell: what the notes say, then what this run observed on an anonymous pipe and on a FIFO.</p>\n", f);
	table(f, r, &pl_read_table);
	table(f, r, &pl_write_table);

	fputs("<h2>Claims audit</h2>\n", f);
	int nclaims = 0;
	for (int i = 0; i < r->n; i++) {
		const struct rec *x = &r->recs[i];
		if (strcmp(x->topic, "claims"))
			continue;
		if (!nclaims++)
			fputs("<table id=\"claims\"><tr><th>claim</th><th>the notes say</th><th>verdict</th><th>measured facts</th></tr>\n", f);
		fprintf(f, "<tr><td>%s</td><td><span class=\"zh\">", claim_field(x, "id"));
		h(f, claim_field(x, "quote"));
		fputs("</span><br><span class=\"en\">", f);
		h(f, claim_field(x, "english"));
		fprintf(f, "</span></td><td class=\"claim-%s\"><b>%s</b>", x->v == V_PASS ? claim_field(x, "verdict") : "undecided",
			x->v == V_PASS ? claim_field(x, "verdict") : "undecided");
		if (x->v != V_PASS)
			fprintf(f, " <span class=\"%s\">(case %s %s)</span>", x->verdict, mark_html(x->v), x->verdict);
		fputs("</td><td>", f);
		h(f, x->observed);
		fputs("</td></tr>\n", f);
	}
	fputs(nclaims ? "</table>\n" : "<p>No claim cases ran in this run.</p>\n", f);
	fputs("<h2>Implementation-defined values</h2><p>Measured and reported, never asserted against a fixed number.</p>\n", f);
	fputs("<table><tr><th>value</th><th>measured</th><th>unit</th><th>by case</th></tr>\n", f);
	each_measure(r, measure_row, f);
	fputs("</table>\n<h2>Cases by topic</h2>\n", f);
	const char **topics;
	int nt = topic_list(r, &topics);
	for (int t = 0; t < nt; t++) {
		fputs("<h3>", f);
		h(f, topics[t]);
		fputs("</h3>\n", f);
		for (int i = 0; i < r->n; i++)
			if (!strcmp(r->recs[i].topic, topics[t]))
				case_detail(f, &r->recs[i]);
	}
	free((void *)topics);
	fputs("</body></html>\n", f);
	return fclose(f);
}
