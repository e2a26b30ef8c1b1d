/* Why a case did not pass, said once.  A record keeps the same facts in
 * three places: its failed checks ("what", "expected", "observed"), its
 * reason (the first failed check as one sentence, or what stopped the case)
 * and its "observed" (the failed checks glued as "what: observed").  A case
 * in detail shows each fact once: the checks, ✘ where they failed; the
 * reason only when it is not already one of them; the glued "observed"
 * never, as it drops the expected value ("the handler runs once: 0"). */
#include <string.h>

#include "content.h"

/* One line that says why a case did not pass: the failed check's reason
 * when the case gave one, else what it observed. */
const char *why_not_pass(const struct rec *x) { return x->reason[0] ? x->reason : x->observed; }

static const char *field(cJSON *k, const char *key)
{
	const char *s = cJSON_GetStringValue(cJSON_GetObjectItem(k, key));
	return s ? s : "";
}

/* "what: expected E, observed O", as the harness words a failed check. */
static const char *check_sentence(cJSON *k, char *buf, size_t n)
{
	snprintf(buf, n, "%s: expected %s, observed %s", field(k, "what"), field(k, "expected"), field(k, "observed"));
	return buf;
}

const char *why_checks(int bad, int total)
{
	static char buf[96];
	if (total == 1)
		return "its one check failed (✘ below)";
	snprintf(buf, sizeof buf, "%d of its %d checks failed (✘ below)", bad, total);
	return buf;
}

int checks_failed(const struct rec *x, int *total)
{
	int bad = 0, all = 0;
	cJSON *k;
	cJSON_ArrayForEach(k, cJSON_GetObjectItem(x->j, "checks"))
	{
		all++;
		bad += !cJSON_IsTrue(cJSON_GetObjectItem(k, "ok"));
	}
	if (total)
		*total = all;
	return bad;
}

bool reason_is_a_check(const struct rec *x)
{
	char s[1600];
	cJSON *k;
	cJSON_ArrayForEach(k, cJSON_GetObjectItem(x->j, "checks"))
	{
		if (!cJSON_IsTrue(cJSON_GetObjectItem(k, "ok")) && !strcmp(check_sentence(k, s, sizeof s), x->reason))
			return true;
	}
	return false;
}

const char *failed_checks_text(const struct rec *x, char *buf, size_t n)
{
	size_t used = 0;
	char s[1600];
	cJSON *k;
	buf[0] = '\0';
	cJSON_ArrayForEach(k, cJSON_GetObjectItem(x->j, "checks"))
	{
		if (!cJSON_IsTrue(cJSON_GetObjectItem(k, "ok")) && used < n)
			used += (size_t)snprintf(buf + used, n - used, "%s%s", used ? "; " : "", check_sentence(k, s, sizeof s));
	}
	return used ? buf : why_not_pass(x);
}

bool observed_is_news(const struct rec *x)
{
	if (x->v == V_PASS)
		return *x->observed != '\0';
	if (!*x->observed || !strcmp(x->observed, x->reason))
		return false;
	/* The harness glues the failed checks (and cuts the result short). */
	char glued[2048];
	size_t used = 0;
	cJSON *k;
	cJSON_ArrayForEach(k, cJSON_GetObjectItem(x->j, "checks"))
	{
		if (!cJSON_IsTrue(cJSON_GetObjectItem(k, "ok")) && used < sizeof glued)
			used += (size_t)snprintf(glued + used, sizeof glued - used, "%s%s: %s", used ? "; " : "", field(k, "what"),
						 field(k, "observed"));
	}
	size_t len = strlen(x->observed);
	return len > used || strncmp(glued, x->observed, len) != 0;
}
