/* report.md: readable on any Git host. */
#include <stdlib.h>
#include <string.h>

#include "content.h"

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
				put_md(f, x ? (x->v == V_PASS ? x->observed : (x->reason[0] ? x->reason : x->observed)) : "no record");
			}
			fputs(" |", f);
		}
		fputc('\n', f);
	}
	fputc('\n', f);
}

static void measure_row(void *ctx, const char *name, double v, const char *unit, const char *id)
{
	fprintf(ctx, "| %s | %.0f | %s | `%s` |\n", name, v, unit, id);
}

static void case_detail(FILE *f, const struct rec *x)
{
	char buf[1024];
	fprintf(f, "#### %s `%s` — %s\n\n", mark(x->v), x->id, x->verdict);
	if (x->title[0])
		fprintf(f, "- %s\n", x->title);
	fprintf(f, "- Rule: %s (%s)%s%s\n", x->rule[0] ? x->rule : "?", x->klass[0] ? x->klass : "?",
		x->cell[0] ? " · fills " : "", x->cell);
	fputs("- Expected: ", f);
	put_md(f, x->expected);
	fputs("\n- Observed: ", f);
	put_md(f, x->observed);
	fputc('\n', f);
	if (x->reason[0] && x->v != V_PASS) {
		fputs("- Why not a pass: ", f);
		put_md(f, x->reason);
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
	const char *out = cJSON_GetStringValue(cJSON_GetObjectItem(x->j, "output"));
	cJSON *scen = cJSON_GetObjectItem(x->j, "scenarios"), *s;
	if (cJSON_GetArraySize(scen) > 0 || (out && *out)) {
		fputs("\n<details><summary>Step log and blocking evidence</summary>\n\n", f);
		cJSON_ArrayForEach(s, scen)
		{
			fprintf(f, "*Scenario* %s — %.1f ms of a %.0f ms deadline%s\n\n",
				cJSON_GetStringValue(cJSON_GetObjectItem(s, "name")),
				cJSON_GetNumberValue(cJSON_GetObjectItem(s, "duration_ms")),
				cJSON_GetNumberValue(cJSON_GetObjectItem(s, "deadline_ms")),
				cJSON_IsTrue(cJSON_GetObjectItem(s, "timed_out")) ? " — **TIMED OUT**" : "");
			cJSON *a, *st, *b;
			cJSON_ArrayForEach(a, cJSON_GetObjectItem(s, "actors"))
			{
				fprintf(f, "- `%s` (%s):", cJSON_GetStringValue(cJSON_GetObjectItem(a, "name")),
					cJSON_GetStringValue(cJSON_GetObjectItem(a, "end")));
				cJSON_ArrayForEach(st, cJSON_GetObjectItem(a, "steps"))
				{
					fputs(" ", f);
					put_md(f, step_text(st, buf, sizeof buf));
					fputs(";", f);
				}
				fputc('\n', f);
			}
			cJSON_ArrayForEach(b, cJSON_GetObjectItem(s, "blocking"))
			{
				fputs("- blocked: ", f);
				put_md(f, blocking_text(b, buf, sizeof buf));
				fputc('\n', f);
			}
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

int render_md(const struct run *r, const char *path)
{
	FILE *f = fopen(path, "we");
	if (!f)
		return -1;
	char date[64];
	fprintf(f, "# pipelab report — %s\n\n", r->id);
	fputs("## System under test\n\n| | |\n|---|---|\n", f);
	fprintf(f, "| Kernel | %s %s |\n", sys_str(r, "kernel"), sys_str(r, "release"));
	fprintf(f, "| libc | %s %s |\n", sys_str(r, "libc"), sys_str(r, "libc_version"));
	fprintf(f, "| Architecture | %s |\n| Target | %s |\n| Date | %s |\n\n", sys_str(r, "arch"), sys_str(r, "target"),
		run_date(r, date, sizeof date));
	fprintf(f, "## Totals\n\n**%d cases**: ", r->n);
	for (int v = 0; v < V_COUNT; v++)
		fprintf(f, "%s%d %s", v ? " · " : "", r->totals[v], verdict_names[v]);
	fputs("\n\n", f);

	fputs("## The notes' tables, filled in by this machine\n\n", f);
	fputs("Each cell: what the notes say, then what this run observed on an anonymous pipe and on a FIFO.\n\n", f);
	table(f, r, &pl_read_table);
	table(f, r, &pl_write_table);

	fputs("## Claims audit\n\n", f);
	int nclaims = 0;
	for (int i = 0; i < r->n; i++) {
		const struct rec *x = &r->recs[i];
		if (strcmp(x->topic, "claims"))
			continue;
		if (!nclaims++)
			fputs("| claim | the notes say | verdict | measured facts |\n|---|---|---|---|\n", f);
		/* The claim's verdict; the case's own only when it did not pass. */
		fprintf(f, "| %s | %s<br>*%s* | **%s**", claim_field(x, "id"), claim_field(x, "quote"),
			claim_field(x, "english"), x->v == V_PASS ? claim_field(x, "verdict") : "undecided");
		if (x->v != V_PASS)
			fprintf(f, " (case %s %s)", mark(x->v), x->verdict);
		fputs(" | ", f);
		put_md(f, x->observed);
		fputs(" |\n", f);
	}
	if (!nclaims)
		fputs("No claim cases ran in this run.\n", f);
	fputs("\n## Implementation-defined values (measured, reported, not asserted)\n\n", f);
	fputs("| value | measured | unit | by case |\n|---|---|---|---|\n", f);
	each_measure(r, measure_row, f);

	fputs("\n## Cases by topic\n\n", f);
	const char **topics;
	int nt = topic_list(r, &topics);
	for (int t = 0; t < nt; t++) {
		fprintf(f, "### %s\n\n", topics[t]);
		for (int i = 0; i < r->n; i++)
			if (!strcmp(r->recs[i].topic, topics[t]))
				case_detail(f, &r->recs[i]);
	}
	free((void *)topics);
	return fclose(f);
}
