/* class.html's sections below the grid: what each student lost and why (the
 * grid only says ✘), and the weights in effect, line by line. */
#include <stdlib.h>
#include <string.h>

#include "class.h"
#include "content.h"

static void h(FILE *f, const char *s) { put_html(f, s); }

static void student_details(FILE *f, const struct student *st)
{
	int lost = 0;
	for (int i = 0; i < st->score.n; i++)
		lost += st->score.rules[i].weight > 0 && !rule_passed(&st->score.rules[i]);
	fprintf(f, "<details%s><summary><b>", st->reason ? " open" : "");
	h(f, st->name);
	fprintf(f, "</b>: %g / %g", st->score.got, st->score.max);
	if (st->reason) {
		fputs(" — <span class=\"reason\">not judged: ", f);
		h(f, st->reason);
		fputs("</span>", f);
	} else if (lost)
		fprintf(f, " — %d rule%s not passed", lost, lost == 1 ? "" : "s");
	else
		fputs(" — every rule passes", f);
	fputs("</summary>\n", f);
	if (st->library) {
		fputs("<p>Library graded: <code>", f);
		h(f, st->library);
		fputs("</code></p>\n", f);
	}
	if (!st->reason && lost) {
		fputs("<ul>\n", f);
		for (int i = 0; i < st->score.n; i++) {
			const struct rule_result *x = &st->score.rules[i];
			if (x->weight <= 0 || rule_passed(x))
				continue;
			char why[1600];
			rule_reason(x, why, sizeof why);
			fputs("<li><code>", f);
			h(f, x->id);
			fprintf(f, "</code> (weight %g): ", x->weight);
			h(f, why);
			fputs("</li>\n", f);
		}
		fputs("</ul>\n", f);
	}
	fputs("</details>\n", f);
}

void class_html_students(FILE *f, const struct class *c)
{
	fputs("<h2 id=\"students\">Each student's lost rules</h2><p>Rules of weight 0 left out; students not judged "
	      "are open. Click a name to open or close its list.</p>\n",
	      f);
	for (int i = 0; i < c->n; i++)
		student_details(f, &c->st[i]);
}

static void weights_row(FILE *f, const char *line, const char *pat, double w, int matched)
{
	fprintf(f, "<tr><td>%s</td><td class=\"name\"><code>", line);
	h(f, pat);
	fprintf(f, "</code></td><td>%g</td><td>%d</td></tr>\n", w, matched);
}

void class_html_weights(FILE *f, const struct class *c)
{
	int nr = c->nrules, counted = 0, claims = 0;
	char **ids = calloc((size_t)nr + 1, sizeof *ids);
	for (int k = 0; k < nr; k++) {
		ids[k] = (char *)c->rules->rules[k].id;
		counted += c->rules->rules[k].weight > 0;
		claims += !strncmp(ids[k], "claims/", 7);
	}
	fputs("<h2 id=\"weights\">Weights</h2><p>From <code>", f);
	h(f, c->w.source);
	fprintf(f, "</code>: a rule weighs what the last line matching it says; a rule no line matches weighs 1, "
		   "<code>claims/*</code> 0. %g points over %d rules of weight above 0 (of %d).</p>\n",
		nr ? c->rules->max : 0, counted, nr);
	fputs("<table><tr><th>line</th><th class=\"name\">pattern</th><th>weight</th><th>rules matched</th></tr>\n", f);
	weights_row(f, "default", "*", 1, nr - claims);
	weights_row(f, "default", "claims/*", 0, claims);
	for (int i = 0; i < c->w.n && ids; i++) {
		char line[32];
		snprintf(line, sizeof line, "%d", c->w.line[i]);
		weights_row(f, line, c->w.pat[i], c->w.w[i], weights_count(&c->w, i, ids, nr));
	}
	fputs("</table>\n", f);
	free(ids);
}
