/* The two lists of cases in detail that report.md and index.html both show:
 * the cases that did not pass, then the passing ones folded by topic (so a
 * reader sees failures first and the rest stays one click away).  Which case
 * goes where is decided here; a format gives only its markup (fold_style). */
#include <stdlib.h>
#include <string.h>

#include "content.h"

void failing_details(FILE *f, const struct run *r, const struct fold_style *st)
{
	for (int i = 0; i < r->n; i++)
		if (r->recs[i].v != V_PASS)
			st->detail(f, &r->recs[i]);
	if (r->totals[V_PASS] == r->n)
		fputs(st->none, f);
}

static bool passing_in(const struct rec *x, const char *topic) { return x->v == V_PASS && !strcmp(x->topic, topic); }

void passing_folded(FILE *f, const struct run *r, const struct fold_style *st)
{
	const char **topics;
	int nt = topic_list(r, &topics);
	for (int t = 0; t < nt; t++) {
		int n = 0;
		for (int i = 0; i < r->n; i++)
			n += passing_in(&r->recs[i], topics[t]);
		if (!n)
			continue;
		fputs(st->open, f);
		st->text(f, topics[t]);
		fprintf(f, ": %d passing case%s%s", n, n > 1 ? "s" : "", st->summary_end);
		for (int i = 0; i < r->n; i++)
			if (passing_in(&r->recs[i], topics[t]))
				st->detail(f, &r->recs[i]);
		fputs(st->close, f);
	}
	free((void *)topics);
}
