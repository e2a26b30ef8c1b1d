/* junit.xml (CI, autograders) and results.json (the machine-readable whole). */
#include <string.h>

#include "content.h"

int render_junit(const struct run *r, const char *path)
{
	FILE *f = fopen(path, "we");
	if (!f)
		return -1;
	double total_ms = 0;
	for (int i = 0; i < r->n; i++)
		total_ms += cJSON_GetNumberValue(cJSON_GetObjectItem(r->recs[i].j, "duration_ms")) > 0
				    ? cJSON_GetNumberValue(cJSON_GetObjectItem(r->recs[i].j, "duration_ms"))
				    : 0;
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", f);
	fputs("<testsuite name=\"pipelab: ", f);
	put_xml(f, target_name(r));
	fprintf(f, "\" tests=\"%d\" failures=\"%d\" errors=\"%d\" skipped=\"%d\" time=\"%.3f\">\n", r->n, r->totals[V_FAIL],
		r->totals[V_BROKEN] + r->totals[V_TIMEOUT], r->totals[V_SKIP], total_ms / 1000);
	fputs("  <properties>\n    <property name=\"target\" value=\"", f);
	put_xml(f, target_name(r));
	fputs("\"/>\n", f);
	if (*target_library(r)) {
		fputs("    <property name=\"library\" value=\"", f);
		put_xml(f, target_library(r));
		fputs("\"/>\n", f);
	}
	fputs("    <property name=\"run\" value=\"", f);
	put_xml(f, r->id);
	fputs("\"/>\n  </properties>\n", f);
	for (int i = 0; i < r->n; i++) {
		const struct rec *x = &r->recs[i];
		double ms = cJSON_GetNumberValue(cJSON_GetObjectItem(x->j, "duration_ms"));
		fputs("  <testcase classname=\"", f);
		put_xml(f, x->topic);
		fputs("\" name=\"", f);
		put_xml(f, x->id);
		fprintf(f, "\" time=\"%.3f\">\n", ms > 0 ? ms / 1000 : 0);
		const char *tag = x->v == V_FAIL ? "failure" : x->v == V_SKIP ? "skipped" : x->v == V_PASS ? NULL : "error";
		if (tag) {
			fprintf(f, "    <%s type=\"%s\" message=\"", tag, x->verdict);
			put_xml(f, why_not_pass(x));
			fprintf(f, "\"/>\n");
		}
		fputs("    <system-out>", f);
		char failed[4096];
		put_xml(f, x->v == V_PASS ? x->observed : failed_checks_text(x, failed, sizeof failed));
		struct claim_row row;
		if (claim_row_of(x, &row)) {
			fprintf(f, "\nclaim %s: %s", row.id, row.verdict);
			if (*row.why)
				fputs(": ", f);
			put_xml(f, row.why);
		}
		const char *out = cJSON_GetStringValue(cJSON_GetObjectItem(x->j, "output"));
		if (out) {
			fputs("\n", f);
			put_xml(f, out);
		}
		fputs("</system-out>\n  </testcase>\n", f);
	}
	fputs("</testsuite>\n", f);
	return fclose(f);
}

int render_json(const struct run *r, const char *path)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "run", r->id);
	char date[64];
	cJSON_AddStringToObject(o, "date", run_date(r, date, sizeof date));
	cJSON_AddStringToObject(o, "target", target_name(r));
	if (*target_library(r))
		cJSON_AddStringToObject(o, "library", target_library(r));
	if (r->system)
		cJSON_AddItemToObject(o, "system", cJSON_Duplicate(r->system, 1));
	const cJSON *config = cJSON_GetObjectItem(r->meta, "config");
	if (cJSON_IsObject(config))
		cJSON_AddItemToObject(o, "config", cJSON_Duplicate(config, 1));
	cJSON *t = cJSON_AddObjectToObject(o, "totals");
	cJSON_AddNumberToObject(t, "cases", r->n);
	for (int v = 0; v < V_COUNT; v++)
		cJSON_AddNumberToObject(t, verdict_names[v], r->totals[v]);
	cJSON *tables = cJSON_AddObjectToObject(o, "tables");
	const struct pl_table *tabs[2] = { &pl_read_table, &pl_write_table };
	for (int i = 0; i < 2; i++) {
		cJSON *cells = cJSON_AddObjectToObject(tables, tabs[i]->name);
		for (int c = 0; c < 4; c++) {
			cJSON *cell = cJSON_AddObjectToObject(cells, tabs[i]->cells[c].id);
			for (int k = 0; k < 2; k++) {
				const struct rec *x = cell_rec(r, tabs[i]->cells[c].id, KINDS[k]);
				cJSON_AddStringToObject(cell, KINDS[k], x ? x->verdict : "NOT RUN");
			}
		}
	}
	/* The claims audit's rows, as the other reports show them; a claim
	 * without a verdict says why. */
	cJSON *claims = cJSON_AddArrayToObject(o, "claims");
	struct claim_row row;
	for (int i = 0; claim_row_next(r, &i, &row);) {
		cJSON *c = cJSON_CreateObject();
		cJSON_AddStringToObject(c, "id", row.id);
		cJSON_AddStringToObject(c, "verdict", row.verdict);
		if (*row.why)
			cJSON_AddStringToObject(c, "why", row.why);
		cJSON_AddStringToObject(c, "case", row.x->id);
		cJSON_AddStringToObject(c, "case_verdict", row.x->verdict);
		cJSON_AddItemToArray(claims, c);
	}
	/* The case's own record keeps what the case computed, as
	 * "verdict_if_passed", under the verdict the reports decide. */
	cJSON *cases = cJSON_AddArrayToObject(o, "cases");
	for (int i = 0; i < r->n; i++) {
		const struct rec *x = &r->recs[i];
		cJSON *copy = cJSON_Duplicate(x->j, 1), *claim = cJSON_GetObjectItem(copy, "claim");
		if (claim && strcmp(claim_verdict(x), claim_field(x, "verdict"))) {
			cJSON_AddStringToObject(claim, "verdict_if_passed", claim_field(x, "verdict"));
			cJSON_ReplaceItemInObject(claim, "verdict", cJSON_CreateString(claim_verdict(x)));
		}
		cJSON_AddItemToArray(cases, copy);
	}
	int rc = write_json(o, path);
	cJSON_Delete(o);
	return rc;
}

int write_json(const cJSON *o, const char *path)
{
	char *text = cJSON_Print(o);
	FILE *f = text ? fopen(path, "we") : NULL;
	int rc = f && fputs(text, f) >= 0 ? 0 : -1;
	if (f && fclose(f))
		rc = -1;
	cJSON_free(text);
	return rc;
}
