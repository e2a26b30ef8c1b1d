/* The claims audit, one row a claim case, decided here once for report.md,
 * index.html, results.json and junit.xml: the claim, the notes' words, the
 * verdict (decided only by a case that passed) and, when it is undecided for
 * want of a verdict, why.  A case that stopped before it recorded its claim
 * (pl_claim) still gets its row, never an empty one: the claim is named from
 * the case id and title, and the row says what stopped the case. */
#include <string.h>

#include "content.h"

/* How every claim case's title begins (cases/claims*.c); the rest is the claim. */
static const char TITLE_PREFIX[] = "Audit the notes' claim that ";

/* A claims-topic case, or any case that recorded a claim. */
static bool is_claim_case(const struct rec *x)
{
	return !strcmp(x->topic, "claims") || cJSON_GetObjectItem(x->j, "claim");
}

/* "claims/g-many-readers-each-byte-once" -> "g": the letter the notes use. */
static void id_from_case(const char *case_id, char *out, size_t n)
{
	const char *p = strncmp(case_id, "claims/", 7) ? case_id : case_id + 7;
	snprintf(out, n, "%.*s", (int)strcspn(p, "-"), p);
}

/* What the case did instead of deciding, to follow "the case". */
static const char *instead(int v)
{
	static const char *const said[V_COUNT] = {
		[V_PASS] = "passed", [V_FAIL] = "failed", [V_BROKEN] = "broke (the lab's own setup)", [V_SKIP] = "was skipped",
		[V_TIMEOUT] = "timed out", [V_NOT_RUN] = "did not run",
	};
	return (unsigned)v < V_COUNT ? said[v] : "stopped";
}

bool claim_row_of(const struct rec *x, struct claim_row *row)
{
	if (!is_claim_case(x))
		return false;
	memset(row, 0, sizeof *row);
	row->x = x;
	row->recorded = cJSON_GetObjectItem(x->j, "claim") != NULL;
	row->verdict = claim_verdict(x);
	if (!row->recorded)
		snprintf(row->facts, sizeof row->facts, "—");
	else if (x->v == V_PASS)
		snprintf(row->facts, sizeof row->facts, "%s", x->observed);
	else
		failed_checks_text(x, row->facts, sizeof row->facts);
	if (row->recorded) {
		snprintf(row->id, sizeof row->id, "%s", claim_field(x, "id"));
		row->quote = claim_field(x, "quote");
		row->english = claim_field(x, "english");
		return true;
	}
	id_from_case(x->id, row->id, sizeof row->id);
	row->quote = "";
	row->english = strncmp(x->title, TITLE_PREFIX, sizeof TITLE_PREFIX - 1) ? x->title : x->title + sizeof TITLE_PREFIX - 1;
	if (x->v == V_PASS)
		snprintf(row->why, sizeof row->why, "the case passed without recording a verdict");
	else if (*why_not_pass(x))
		snprintf(row->why, sizeof row->why, "the case %s before deciding (%s: %s)", instead(x->v), x->verdict,
			 why_not_pass(x));
	else
		snprintf(row->why, sizeof row->why, "the case %s before deciding (%s)", instead(x->v), x->verdict);
	return true;
}

bool claim_row_next(const struct run *r, int *i, struct claim_row *row)
{
	while (*i < r->n)
		if (claim_row_of(&r->recs[(*i)++], row))
			return true;
	return false;
}
