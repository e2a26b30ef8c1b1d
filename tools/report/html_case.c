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

static void step_log(FILE *f, const struct rec *x, cJSON *s)
{
	static char lanes[256][64];
	char buf[1024];
	cJSON *actors = cJSON_GetObjectItem(s, "actors"), *a, *st, *b;
	int nb = cJSON_GetArraySize(blocking_of(s)), row = 0;
	lane_names(actors, lanes, 256);
	int *lane_of = calloc((size_t)nb + 1, sizeof *lane_of);
	blocking_lanes(actors, blocking_of(s), lane_of);
	fputs("<pre class=\"log\">", f);
	cJSON_ArrayForEach(a, actors)
	{
		h(f, actor_label(a, row < 256 ? lanes[row] : "actor", buf, sizeof buf));
		fputc('\n', f);
		cJSON_ArrayForEach(st, cJSON_GetObjectItem(a, "steps"))
		{
			bool bad = step_failing(x, a, st);
			fputs(bad ? "<mark class=\"failing\">  ✘ " : "    ", f);
			h(f, step_text(st, buf, sizeof buf));
			fputs(bad ? "   ← the failing step</mark>\n" : "\n", f);
		}
		row++;
	}
	int bi = 0;
	cJSON_ArrayForEach(b, blocking_of(s))
	{
		fputs("blocked: ", f);
		if (lane_of[bi] >= 0 && lane_of[bi] < 256) {
			h(f, lanes[lane_of[bi]]);
			fputs(": ", f);
		}
		h(f, blocking_text(b, buf, sizeof buf));
		fputc('\n', f);
		bi++;
	}
	fputs("</pre>", f);
	free(lane_of);
}

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
	fputs("<div>Expected: ", f);
	h(f, x->expected);
	fputs("</div><div>Observed: ", f);
	h(f, x->observed);
	fputs("</div>", f);
	if (x->v != V_PASS && x->reason[0]) {
		fputs("<div class=\"why\"><b>Why not a pass:</b> ", f);
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
	extra_fields_html(f, x);
	cJSON *s;
	cJSON_ArrayForEach(s, cJSON_GetObjectItem(x->j, "scenarios"))
	{
		fprintf(f, "<details%s><summary>Scenario: ", x->v == V_PASS ? "" : " open");
		h(f, cJSON_GetStringValue(cJSON_GetObjectItem(s, "name")));
		fprintf(f, " (%.2f ms of a %.0f ms deadline%s)</summary>\n", num(s, "duration_ms"), num(s, "deadline_ms"),
			cJSON_IsTrue(cJSON_GetObjectItem(s, "timed_out")) ? ", TIMED OUT" : "");
		timeline(f, x, s);
		step_log(f, x, s);
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

