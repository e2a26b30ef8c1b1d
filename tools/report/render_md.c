/* report.md: readable on any Git host. */
#include <stdlib.h>
#include <string.h>

#include "content.h"

/* Up to this many cases not passing, every rule's fold of them is open. */
enum { FAILS_SHOWN_OPEN = 10 };

/* An explicit anchor per case: what Git hosts derive from a heading with a
 * case id in it is brittle. */
static void anchor(FILE *f, const char *id)
{
	fputs("case-", f);
	for (const char *p = id; *p; p++)
		fputc(*p == '/' || *p == '@' ? '-' : *p, f);
}

static void table(FILE *f, const struct run *r, const struct pl_table *t)
{
	fprintf(f, "### %s · %s\n\n", t->title_zh, t->title_en);
	fprintf(f, "| %s · %s | %s · %s | %s · %s |\n|---|---|---|\n", t->corner_zh, t->corner_en, t->col_zh[0],
		t->col_en[0], t->col_zh[1], t->col_en[1]);
	for (int row = 0; row < 2; row++) {
		fprintf(f, "| **%s** · %s |", t->row_zh[row], t->row_en[row]);
		for (int col = 0; col < 2; col++) {
			const struct pl_cell *c = &t->cells[row * 2 + col];
			fprintf(f, " notes: %s (*%s*)", c->notes_zh, c->notes_en);
			for (int k = 0; k < 2; k++) {
				const struct rec *x = cell_rec(r, c->id, KINDS[k]);
				fprintf(f, "<br>%s **%s** %s: ", x ? mark(x->v) : "❔", KINDS[k], x ? x->verdict : "NOT RUN");
				if (x && x->v != V_PASS) {
					fputs("([details](#", f);
					anchor(f, x->id);
					fputs(")) ", f);
				}
				put_md(f, x ? (x->v == V_PASS ? x->observed : why_not_pass(x)) : "no record");
			}
			fputs(" |", f);
		}
		fputc('\n', f);
	}
	fputc('\n', f);
}

/* The step log as a list: an actor's calls on one line after its name. */
static const struct log_style LOG = {
	.text = put_md,
	.begin = "",
	.end = "",
	.actor = { "- `", "`:" },
	.step = { " ", ";" },
	.failing_step = { " **✘ ", " ← the failing step**;" },
	.note = { " *(", ")*" },
	.actor_end = "\n",
	.blocked = { "- blocked: ", "\n" },
};

static void case_detail(FILE *f, const struct rec *x)
{
	fputs("<a id=\"", f);
	anchor(f, x->id);
	fprintf(f, "\"></a>\n\n#### %s `%s` — %s\n\n", mark(x->v), x->id, x->verdict);
	if (x->title[0])
		fprintf(f, "- %s\n", x->title);
	fputs("- Rule: ", f);
	rule_links(f, x->rule, false);
	fprintf(f, " (%s)%s%s\n", x->klass[0] ? x->klass : "?", x->cell[0] ? " · fills " : "", x->cell);
	char says[512];
	if (*rule_statement(x->rule, says, sizeof says)) {
		fputs("  - ", f);
		put_md(f, says);
		fputc('\n', f);
	}
	fputs("- Expected: ", f);
	put_md(f, x->expected);
	fputc('\n', f);
	if (observed_is_news(x)) {
		fputs("- Observed: ", f);
		put_md(f, x->observed);
		fputc('\n', f);
	}
	if (x->v != V_PASS) {
		int total, bad = checks_failed(x, &total);
		fputs("- Why not a pass: ", f);
		if (x->reason[0] && !reason_is_a_check(x))
			put_md(f, x->reason);
		else if (bad)
			fputs(why_checks(bad, total), f);
		else
			put_md(f, why_not_pass(x));
		fputc('\n', f);
	}
	cJSON *checks = cJSON_GetObjectItem(x->j, "checks"), *k;
	cJSON_ArrayForEach(k, checks)
	{
		fprintf(f, "  - %s ", cJSON_IsTrue(cJSON_GetObjectItem(k, "ok")) ? "✔" : "✘");
		put_md(f, cJSON_GetStringValue(cJSON_GetObjectItem(k, "what")));
		fputs(": expected ", f);
		put_md(f, cJSON_GetStringValue(cJSON_GetObjectItem(k, "expected")));
		fputs(", observed ", f);
		put_md(f, cJSON_GetStringValue(cJSON_GetObjectItem(k, "observed")));
		fputc('\n', f);
	}
	extra_fields(f, x, false);
	const char *out = cJSON_GetStringValue(cJSON_GetObjectItem(x->j, "output"));
	cJSON *scen = cJSON_GetObjectItem(x->j, "scenarios"), *s;
	if (cJSON_GetArraySize(scen) > 0 || (out && *out)) {
		fprintf(f, "\n<details%s><summary>Step log and blocking evidence</summary>\n\n", x->v == V_PASS ? "" : " open");
		cJSON_ArrayForEach(s, scen)
		{
			fprintf(f, "*Scenario* %s — %.1f ms of a %.0f ms deadline%s\n\n",
				cJSON_GetStringValue(cJSON_GetObjectItem(s, "name")),
				cJSON_GetNumberValue(cJSON_GetObjectItem(s, "duration_ms")),
				cJSON_GetNumberValue(cJSON_GetObjectItem(s, "deadline_ms")),
				cJSON_IsTrue(cJSON_GetObjectItem(s, "timed_out")) ? " — **TIMED OUT**" : "");
			step_log(f, x, s, &LOG);
			fputc('\n', f);
		}
		if (out && *out) {
			fputs("Output:\n\n```\n", f);
			fputs(out, f);
			fputs("\n```\n", f);
		}
		fputs("</details>\n", f);
	}
	fputc('\n', f);
}

/* The cases in detail; the passing ones folded by topic. */
static const struct fold_style CASES = {
	.text = put_md,
	.detail = case_detail,
	.none = "None.\n\n",
	.open = "<details><summary>",
	.summary_end = "</summary>\n\n",
	.close = "</details>\n\n",
};

/* The cases that did not pass, a fold per rule (fail_groups.c), as
 * index.html has them; the summary is HTML (Git hosts render none of
 * Markdown's own inside it). */
static void failures(FILE *f, const struct run *r, int bad)
{
	fprintf(f, "<a id=\"failures\"></a>\n\n## What did not pass (%d)\n\n", bad);
	if (!bad) {
		fprintf(f, r->n == 1 ? "The one case passed.\n\n" : "Every one of the %d cases passed.\n\n", r->n);
		return;
	}
	struct fail_group *g;
	int ng = fail_groups(r, &g);
	bool open = bad <= FAILS_SHOWN_OPEN;
	fprintf(f, "By the first rule each case checks%s.\n\n", open ? "" : "; open a rule for its cases");
	for (int k = 0; k < ng; k++) {
		char counts[160];
		fprintf(f, "<details%s><summary><b>", open ? " open" : "");
		put_html(f, g[k].key);
		fputs("</b>", f);
		if (g[k].title) {
			fputs(" — ", f);
			put_html(f, g[k].title);
		}
		fprintf(f, " · <b>%s</b>", fail_group_counts(&g[k], counts, sizeof counts));
		if (g[k].common) {
			if (g[k].common_n == g[k].n)
				fputs("<br>all: ", f);
			else
				fprintf(f, "<br>%d of them: ", g[k].common_n);
			put_html(f, g[k].common);
		}
		fputs("</summary>\n\n| verdict | case | rules | why |\n|---|---|---|---|\n", f);
		for (int i = 0; i < g[k].n; i++) {
			const struct rec *x = &r->recs[g[k].cases[i]];
			fprintf(f, "| %s %s | [`%s`](#", mark(x->v), x->verdict, x->id);
			anchor(f, x->id);
			fputs(") | ", f);
			rule_links(f, x->rule, false);
			fputs(" | ", f);
			put_md(f, g[k].common && !strcmp(why_not_pass(x), g[k].common) ? "*the reason above*" : why_not_pass(x));
			fputs(" |\n", f);
		}
		fputs("\n</details>\n\n", f);
	}
	fail_groups_free(g, ng);
}

static void claims(FILE *f, const struct run *r)
{
	fputs("<a id=\"claims-audit\"></a>\n\n## Claims audit\n\n", f);
	int nclaims = 0;
	struct claim_row c;
	for (int i = 0; claim_row_next(r, &i, &c);) {
		if (!nclaims++)
			fputs("| claim | the notes say | verdict | measured facts |\n|---|---|---|---|\n", f);
		fprintf(f, "| %s | ", c.id);
		if (c.recorded)
			fprintf(f, "%s<br>*%s*", c.quote, c.english);
		else { /* the notes' words were never recorded: the claim as the case's title puts it */
			fputc('*', f);
			put_md(f, c.english);
			fputc('*', f);
		}
		fprintf(f, " | **%s**", c.verdict);
		if (*c.why) {
			fputs(": ", f);
			put_md(f, c.why);
		}
		if (c.x->v != V_PASS) {
			fprintf(f, " ([case %s %s](#", mark(c.x->v), c.x->verdict);
			anchor(f, c.x->id);
			fputs("))", f);
		}
		fputs(" | ", f);
		put_md(f, c.facts);
		fputs(" |\n", f);
	}
	if (!nclaims)
		fputs("No claim cases ran in this run.\n", f);
}

int render_md(const struct run *r, const char *path)
{
	FILE *f = fopen(path, "we");
	if (!f)
		return -1;
	char date[64];
	int bad = r->n - r->totals[V_PASS];
	fprintf(f, "# pipelab report — %s\n\n", target_name(r));
	fputs("| | |\n|---|---|\n", f);
	fprintf(f, "| Target | **%s** |\n", target_name(r));
	if (*target_library(r))
		fprintf(f, "| Library | `%s` |\n", target_library(r));
	bool emulated = strcmp(sys_str(r, "emulator"), "unknown") != 0;
	fprintf(f, "| System | %s %s, %s %s, %s%s%s%s |\n", sys_str(r, "kernel"), sys_str(r, "release"), sys_str(r, "libc"),
		sys_str(r, "libc_version"), sys_str(r, "arch"), emulated ? " — user space under " : "",
		emulated ? sys_str(r, "emulator") : "", emulated ? " on the host's kernel" : "");
	if (strcmp(sys_str(r, "settings"), "unknown"))
		fprintf(f, "| Settings | %s |\n", sys_str(r, "settings"));
	char config[600];
	if (*run_config(r, config, sizeof config)) {
		fputs("| Configuration | ", f);
		put_md(f, config);
		fputs(" |\n", f);
	}
	char proofs[160];
	fprintf(f, "| Proofs | %s |\n", proof_summary(r, proofs, sizeof proofs));
	fprintf(f, "| Run | %s, %s |\n\n", r->id, run_date(r, date, sizeof date));
	fprintf(f, "**%d %s**: ", r->n, cases_word(r->n));
	for (int v = 0; v < V_COUNT; v++)
		fprintf(f, v != V_PASS && r->totals[v] ? "%s[%d %s](#failures)" : "%s%d %s", v ? " · " : "", r->totals[v],
			verdict_names[v]);
	fputs("\n\nContents: [What did not pass](#failures) · [The notes' tables](#tables) · [Claims audit](#claims-audit) · "
	      "[Details](#details) · [Implementation-defined values](#measured) · [Passing cases](#passing)\n\n",
	      f);
	fprintf(f, "Verdicts, rules and how to read a failure: [verdicts](%s/verdicts.md) · [rule catalogue](%s/rules.md) · "
		   "[reading a failure](%s/reading-a-failure.md)\n\n",
		docs_url(), docs_url(), docs_url());
	failures(f, r, bad);
	fputs("<a id=\"tables\"></a>\n\n## The notes' tables, filled in by this machine\n\n", f);
	fputs("Each cell: what the notes say, then what this run observed on an anonymous pipe and on a FIFO.\n\n", f);
	table(f, r, &pl_read_table);
	table(f, r, &pl_write_table);
	claims(f, r);
	fputs("\n<a id=\"details\"></a>\n\n## Details of the cases that did not pass\n\n", f);
	failing_details(f, r, &CASES);
	fputs("<a id=\"measured\"></a>\n\n## Implementation-defined values (measured, reported, not asserted)\n\n", f);
	fputs("| value | measured | unit | seen by |\n|---|---|---|---|\n", f);
	struct measure_groups g;
	measure_groups(r, &g);
	for (int i = 0; i < g.n; i++) {
		fprintf(f, "| %s | %.0f | %s | `%s`", g.g[i].name, g.g[i].value, g.g[i].unit, g.g[i].first);
		if (g.g[i].cases > 1)
			fprintf(f, " and %d other case%s", g.g[i].cases - 1, g.g[i].cases > 2 ? "s" : "");
		fputs(" |\n", f);
	}
	measure_groups_free(&g);
	fputs("\n<a id=\"passing\"></a>\n\n## Passing cases\n\n", f);
	passing_folded(f, r, &CASES);
	return fclose(f);
}
