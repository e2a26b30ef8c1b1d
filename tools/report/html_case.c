/* index.html: one case in detail (checks, timeline, step log). */
#include <stdlib.h>
#include <string.h>

#include "content.h"

static void h(FILE *f, const char *s) { put_html(f, s); }

void html_verdict(FILE *f, const struct rec *x)
{
	fprintf(f, "<span class=\"%s\">%s %s</span>", x->verdict, mark_html(x->v), x->verdict);
}

static double num(cJSON *j, const char *k) { return cJSON_GetNumberValue(cJSON_GetObjectItem(j, k)); }

void html_case_link(FILE *f, const struct rec *x, const char *text)
{
	fputs("<a href=\"#case-", f);
	h(f, x->id);
	fputs("\">", f);
	h(f, text);
	fputs("</a>", f);
}

/* The step log preformatted, a call a line, the failing call marked. */
static const struct log_style LOG = {
	.text = put_html,
	.begin = "<pre class=\"log\">",
	.end = "</pre>",
	.actor = { "", "\n" },
	.step = { "    ", "\n" },
	.failing_step = { "<mark class=\"failing\">  ✘ ", "   ← the failing step</mark>\n" },
	.note = { "    <i>(", ")</i>\n" },
	.actor_end = "",
	.blocked = { "blocked: ", "\n" },
};

void html_case_detail(FILE *f, const struct rec *x)
{
	fprintf(f, "<div class=\"case %s\" id=\"case-", x->v == V_PASS ? "pass" : "notpass");
	h(f, x->id);
	fputs("\"><h4>", f);
	html_verdict(f, x);
	fputs(" <code>", f);
	h(f, x->id);
	fputs("</code></h4>\n<div>", f);
	h(f, x->title);
	fputs("</div><div>Rule <b>", f);
	rule_links(f, x->rule, true);
	fprintf(f, "</b> (%s)%s%s</div>", x->klass, x->cell[0] ? " · fills " : "", x->cell);
	char says[512];
	if (*rule_statement(x->rule, says, sizeof says)) {
		fputs("<div class=\"rulesays\">", f);
		h(f, says);
		fputs("</div>", f);
	}
	fputs("<div>Expected: ", f);
	h(f, x->expected);
	fputs("</div>", f);
	if (observed_is_news(x)) {
		fputs("<div>Observed: ", f);
		h(f, x->observed);
		fputs("</div>", f);
	}
	if (x->v != V_PASS) {
		int total, bad = checks_failed(x, &total);
		fputs("<div class=\"why\"><b>Why not a pass:</b> ", f);
		if (x->reason[0] && !reason_is_a_check(x))
			h(f, x->reason);
		else if (bad)
			fputs(why_checks(bad, total), f);
		else
			h(f, why_not_pass(x));
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
	extra_fields_html(f, x);
	cJSON *s;
	cJSON_ArrayForEach(s, cJSON_GetObjectItem(x->j, "scenarios"))
	{
		fprintf(f, "<details%s><summary>Scenario: ", x->v == V_PASS ? "" : " open");
		h(f, cJSON_GetStringValue(cJSON_GetObjectItem(s, "name")));
		fprintf(f, " (%.2f ms of a %.0f ms deadline%s)</summary>\n", num(s, "duration_ms"), num(s, "deadline_ms"),
			cJSON_IsTrue(cJSON_GetObjectItem(s, "timed_out")) ? ", TIMED OUT" : "");
		timeline(f, x, s);
		step_log(f, x, s, &LOG);
		fputs("</details>\n", f);
	}
	const char *out = cJSON_GetStringValue(cJSON_GetObjectItem(x->j, "output"));
	if (out && *out) {
		fputs("<details><summary>Output of the case process</summary><pre>", f);
		h(f, out);
		fputs("</pre></details>", f);
	}
	fputs("</div>\n", f);
}

