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
	"a{color:#1a5fb4}.tot a{text-decoration:none}.toc ol{margin:.2em 0;columns:2}.help{font-size:.9em;color:#555}"
	".fails td{font-size:.92em}mark.failing{background:#fde2e4;color:#7a0014;display:block}.why{color:#7a0014}"
	".sys th{width:7em}.rulesays{color:#555;font-size:.92em}.same{color:#888;font-style:italic}"
	"details.fgroup{margin:.3em 0}details.fgroup>summary{padding:.2em 0;color:#222}details.fgroup>summary .why{margin-left:1.2em}"
	"@media print{body{max-width:none;font-size:11px;margin:0}#details{break-before:page}.case{break-inside:auto}"
	"details.topic:not([open])>*:not(summary){display:none}svg{max-width:100%;height:auto}}";

/* Up to this many cases not passing, every rule's fold of them is open. */
enum { FAILS_SHOWN_OPEN = 10 };

static void h(FILE *f, const char *s) { put_html(f, s); }

static void verdict_span(FILE *f, const struct rec *x) { html_verdict(f, x); }
static void case_link(FILE *f, const struct rec *x, const char *text) { html_case_link(f, x, text); }

/* The cases in detail; the passing ones folded by topic (open in print). */
static const struct fold_style CASES = {
	.text = put_html,
	.detail = html_case_detail,
	.none = "<p>None.</p>\n",
	.open = "<details class=\"topic\"><summary>",
	.summary_end = "</summary>\n",
	.close = "</details>\n",
};

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
					fputs("<a href=\"#case-", f);
					h(f, x->id);
					fputs("\">", f);
					verdict_span(f, x);
					fputs("</a>: ", f);
					h(f, x->v == V_PASS ? x->observed : why_not_pass(x));
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

/* The cases that did not pass, a fold per rule (fail_groups.c): open when
 * they are few, else closed so the notes' tables stay near the top. */
static void failure_list(FILE *f, const struct run *r)
{
	int bad = r->n - r->totals[V_PASS];
	if (!bad) {
		fprintf(f, r->n == 1 ? "<p class=\"PASS\">The one case passed.</p>\n" : "<p class=\"PASS\">Every one of the %d cases passed.</p>\n", r->n);
		return;
	}
	struct fail_group *g;
	int ng = fail_groups(r, &g);
	bool open = bad <= FAILS_SHOWN_OPEN;
	fprintf(f, "<p class=\"help\">By the first rule each case checks%s.</p>\n", open ? "" : "; open a rule for its cases");
	for (int k = 0; k < ng; k++) {
		char counts[160];
		fprintf(f, "<details class=\"fgroup\"%s><summary><b>", open ? " open" : "");
		rule_links(f, g[k].key, true);
		fputs("</b>", f);
		if (g[k].title) {
			fputs(" — ", f);
			h(f, g[k].title);
		}
		fprintf(f, " · <b>%s</b>", fail_group_counts(&g[k], counts, sizeof counts));
		if (g[k].common) {
			if (g[k].common_n == g[k].n)
				fputs("<br><span class=\"why\">all: ", f);
			else
				fprintf(f, "<br><span class=\"why\">%d of them: ", g[k].common_n);
			h(f, g[k].common);
			fputs("</span>", f);
		}
		fputs("</summary>\n<table class=\"fails\"><tr><th>verdict</th><th>case</th><th>rules</th><th>why</th></tr>\n", f);
		for (int i = 0; i < g[k].n; i++) {
			const struct rec *x = &r->recs[g[k].cases[i]];
			fputs("<tr><td>", f);
			verdict_span(f, x);
			fputs("</td><td><code>", f);
			case_link(f, x, x->id);
			fputs("</code></td><td>", f);
			rule_links(f, x->rule, true);
			fputs("</td><td>", f);
			if (g[k].common && !strcmp(why_not_pass(x), g[k].common))
				fputs("<span class=\"same\">the reason above</span>", f);
			else
				h(f, why_not_pass(x));
			fputs("</td></tr>\n", f);
		}
		fputs("</table></details>\n", f);
	}
	fail_groups_free(g, ng);
}

static void claims_table(FILE *f, const struct run *r)
{
	int nclaims = 0;
	struct claim_row c;
	for (int i = 0; claim_row_next(r, &i, &c);) {
		if (!nclaims++)
			fputs("<table id=\"claims\"><tr><th>claim</th><th>the notes say</th><th>verdict</th><th>measured facts</th></tr>\n", f);
		fputs("<tr><td>", f);
		h(f, c.id);
		fputs("</td><td><span class=\"zh\">", f);
		h(f, c.quote);
		fputs(c.recorded ? "</span><br><span class=\"en\">" : "</span><span class=\"en\">", f);
		h(f, c.english);
		fprintf(f, "</span></td><td class=\"claim-%s\"><b>%s</b>", c.verdict, c.verdict);
		if (*c.why) {
			fputs(": ", f);
			h(f, c.why);
		}
		if (c.x->v != V_PASS) {
			fprintf(f, " <span class=\"%s\">(", c.x->verdict);
			char t[64];
			snprintf(t, sizeof t, "case %s %s", mark_html(c.x->v), c.x->verdict);
			case_link(f, c.x, t);
			fputs(")</span>", f);
		}
		fputs("</td><td>", f);
		h(f, c.facts);
		fputs("</td></tr>\n", f);
	}
	fputs(nclaims ? "</table>\n" : "<p>No claim cases ran in this run.</p>\n", f);
}

static void measures(FILE *f, const struct run *r)
{
	struct measure_groups g;
	measure_groups(r, &g);
	fputs("<table><tr><th>value</th><th>measured</th><th>unit</th><th>seen by</th></tr>\n", f);
	for (int i = 0; i < g.n; i++) {
		fputs("<tr><td>", f);
		h(f, g.g[i].name);
		fprintf(f, "</td><td>%.0f</td><td>", g.g[i].value);
		h(f, g.g[i].unit);
		fputs("</td><td><a href=\"#case-", f);
		h(f, g.g[i].first);
		fputs("\"><code>", f);
		h(f, g.g[i].first);
		fputs("</code></a>", f);
		if (g.g[i].cases > 1)
			fprintf(f, " and %d other case%s", g.g[i].cases - 1, g.g[i].cases > 2 ? "s" : "");
		fputs("</td></tr>\n", f);
	}
	fputs("</table>\n", f);
	measure_groups_free(&g);
}

int render_html(const struct run *r, const char *path)
{
	FILE *f = fopen(path, "we");
	if (!f)
		return -1;
	char date[64];
	int bad = r->n - r->totals[V_PASS];
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n", f);
	fputs("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\n<title>pipelab report — ", f);
	h(f, target_name(r));
	fputs(" — ", f);
	h(f, r->id);
	fprintf(f, "</title>\n<style>%s</style></head><body>\n<section id=\"summary\">\n<h1>pipelab report — ", CSS);
	h(f, target_name(r));
	fputs("</h1>\n<table class=\"sys\">", f);
	fputs("<tr><th>Target</th><td><b>", f);
	h(f, target_name(r));
	fputs("</b></td></tr>", f);
	if (*target_library(r)) {
		fputs("<tr><th>Library</th><td><code>", f);
		h(f, target_library(r));
		fputs("</code></td></tr>", f);
	}
	/* A VM guest wrote these: escaped like everything a target reports. */
	fputs("<tr><th>System</th><td>", f);
	static const char *const SYS[] = { "kernel", " ", "release", ", ", "libc", " ", "libc_version", ", ", "arch", "" };
	for (size_t i = 0; i < sizeof SYS / sizeof SYS[0]; i += 2) {
		h(f, sys_str(r, SYS[i]));
		fputs(SYS[i + 1], f);
	}
	if (strcmp(sys_str(r, "emulator"), "unknown")) { /* the kernel is the host's, the arch the emulator's */
		fputs(" — user space under ", f);
		h(f, sys_str(r, "emulator"));
		fputs(" on the host's kernel", f);
	}
	fputs("</td></tr>", f);
	if (strcmp(sys_str(r, "settings"), "unknown")) { /* records from before it was recorded have none */
		fputs("<tr><th>Settings</th><td>", f);
		h(f, sys_str(r, "settings"));
		fputs("</td></tr>", f);
	}
	char config[600];
	if (*run_config(r, config, sizeof config)) {
		fputs("<tr><th>Configuration</th><td>", f);
		h(f, config);
		fputs("</td></tr>", f);
	}
	char proofs[160];
	fprintf(f, "<tr><th>Proofs</th><td>%s</td></tr>", proof_summary(r, proofs, sizeof proofs));
	fputs("<tr><th>Run</th><td>", f);
	h(f, r->id);
	fprintf(f, ", %s</td></tr></table>\n", run_date(r, date, sizeof date));
	fprintf(f, "<p class=\"tot\" id=\"totals\"><span>%d %s</span>", r->n, cases_word(r->n));
	for (int v = 0; v < V_COUNT; v++) {
		if (v != V_PASS && r->totals[v])
			fprintf(f, "<a class=\"%s\" href=\"#failures\"><span>%d %s</span></a>", verdict_names[v], r->totals[v], verdict_names[v]);
		else
			fprintf(f, "<span class=\"%s\">%d %s</span>", verdict_names[v], r->totals[v], verdict_names[v]);
	}
	fputs("</p>\n<nav class=\"toc\"><b>Contents</b><ol><li><a href=\"#failures\">What did not pass</a></li>"
	      "<li><a href=\"#tables\">The notes' tables</a></li><li><a href=\"#claims-audit\">Claims audit</a></li>"
	      "<li><a href=\"#details\">Details of the cases that did not pass</a></li><li><a href=\"#measured\">Implementation-defined values</a></li>"
	      "<li><a href=\"#passing\">Passing cases (folded)</a></li></ol>",
	      f);
	fprintf(f, "<p class=\"help\">Verdicts, rules and how to read a failure: <a href=\"%s/verdicts.md\">verdicts</a>, "
		   "<a href=\"%s/rules.md\">rule catalogue</a>, <a href=\"%s/reading-a-failure.md\">reading a failure</a>.</p></nav>\n",
		docs_url(), docs_url(), docs_url());
	fprintf(f, "<h2 id=\"failures\">What did not pass (%d)</h2>\n", bad);
	failure_list(f, r);
	fputs("<h2 id=\"tables\">The notes' tables, filled in by this machine</h2>\n", f);
	fputs("<p>Each cell: what the notes say, then what this run observed on an anonymous pipe and on a FIFO.</p>\n", f);
	table(f, r, &pl_read_table);
	table(f, r, &pl_write_table);
	fputs("<h2 id=\"claims-audit\">Claims audit</h2>\n", f);
	claims_table(f, r);
	fputs("</section>\n<section id=\"details\"><h2>Details of the cases that did not pass</h2>\n", f);
	failing_details(f, r, &CASES);
	fputs("</section>\n<h2 id=\"measured\">Implementation-defined values</h2><p>Measured and reported, never asserted against a fixed number; one row per value.</p>\n", f);
	measures(f, r);
	fputs("<h2 id=\"passing\">Passing cases</h2>\n", f);
	passing_folded(f, r, &CASES);
	fputs("</body></html>\n", f);
	return fclose(f);
}
