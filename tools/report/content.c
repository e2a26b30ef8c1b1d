#include "content.h"

#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <stdbool.h>
#include <time.h>

const char *const KINDS[2] = { "pipe", "fifo" };

const char *mark_html(int v)
{
	/* Plain symbols that common fonts have (DejaVu), unlike emoji. */
	static const char *m[V_COUNT] = { "✔", "✘", "⚠", "–", "◷", "○" };
	return (unsigned)v < V_COUNT ? m[v] : "?";
}

const char *mark(int v)
{
	static const char *m[V_COUNT] = { "✅", "❌", "⚠️", "➖", "⏱️", "⏹️" };
	return (unsigned)v < V_COUNT ? m[v] : "?";
}

const struct rec *cell_rec(const struct run *r, const char *cell_id, const char *kind)
{
	char id[256];
	snprintf(id, sizeof id, "%s@%s", cell_id, kind);
	return run_find(r, id);
}

int topic_list(const struct run *r, const char ***topics)
{
	const char **t = calloc((size_t)r->n + 1, sizeof *t);
	int n = 0;
	for (int i = 0; i < r->n; i++) {
		bool seen = false;
		for (int k = 0; k < n; k++)
			seen = seen || !strcmp(t[k], r->recs[i].topic);
		if (!seen)
			t[n++] = r->recs[i].topic;
	}
	*topics = t;
	return n;
}

const char *claim_field(const struct rec *x, const char *key)
{
	cJSON *c = cJSON_GetObjectItem(x->j, "claim");
	const char *s = c ? cJSON_GetStringValue(cJSON_GetObjectItem(c, key)) : NULL;
	return s ? s : "";
}

void each_measure(const struct run *r, void (*fn)(void *, const char *, double, const char *, const char *), void *ctx)
{
	for (int i = 0; i < r->n; i++) {
		cJSON *m = cJSON_GetObjectItem(r->recs[i].j, "measured");
		cJSON *it;
		cJSON_ArrayForEach(it, m)
		{
			cJSON *v = cJSON_GetObjectItem(it, "value");
			const char *u = cJSON_GetStringValue(cJSON_GetObjectItem(it, "unit"));
			if (cJSON_IsNumber(v))
				fn(ctx, it->string, v->valuedouble, u ? u : "", r->recs[i].id);
		}
	}
}

const char *cases_word(int n) { return n == 1 ? "case" : "cases"; }

const char *run_date(const struct run *r, char *buf, size_t n)
{
	if (r->started[0]) {
		snprintf(buf, n, "%s", r->started);
		return buf;
	}
	double latest = 0;
	for (int i = 0; i < r->n; i++) {
		cJSON *w = cJSON_GetObjectItem(r->recs[i].j, "written_at");
		if (cJSON_IsNumber(w) && w->valuedouble > latest)
			latest = w->valuedouble;
	}
	time_t t = (time_t)latest;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, n, "%Y-%m-%d %H:%M:%S UTC", &tm);
	return buf;
}

static const char *js(cJSON *j, const char *k)
{
	const char *s = cJSON_GetStringValue(cJSON_GetObjectItem(j, k));
	return s ? s : "";
}

static double jn(cJSON *j, const char *k, double dflt)
{
	cJSON *v = cJSON_GetObjectItem(j, k);
	return cJSON_IsNumber(v) ? v->valuedouble : dflt;
}

bool is_function_name(const char *op)
{
	if (!*op)
		return false;
	for (const char *p = op; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '_')
			return false;
	return true;
}

const char *call_name(const char *op, char *buf, size_t n)
{
	snprintf(buf, n, is_function_name(op) ? "%s()" : "%s", op);
	return buf;
}

/* Appends to buf (n bytes, k used so far); never past its end. */
static size_t add(char *buf, size_t n, size_t k, const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static size_t add(char *buf, size_t n, size_t k, const char *fmt, ...)
{
	if (k >= n)
		return k;
	va_list ap;
	va_start(ap, fmt);
	int w = vsnprintf(buf + k, n - k, fmt, ap);
	va_end(ap);
	return w < 0 ? k : k + (size_t)w;
}

const char *step_text(cJSON *s, char *buf, size_t n)
{
	const char *op = js(s, "op");
	double fd = jn(s, "fd", -1), size = jn(s, "size", -1);
	size_t k = 0;
	buf[0] = '\0';
	if (is_function_name(op)) { /* read(fd 9, 64) */
		k = add(buf, n, k, "%s(", op);
		if (fd >= 0)
			k = add(buf, n, k, "fd %.0f", fd);
		if (size >= 0)
			k = add(buf, n, k, ", %.0f", size);
		k = add(buf, n, k, ")");
	} else { /* a step a case named in words ("sigpending: SIGPIPE"): no function to call */
		k = add(buf, n, k, "%s", op);
		if (fd >= 0)
			k = add(buf, n, k, " [fd %.0f]", fd);
	}
	k = add(buf, n, k, " = %s", js(s, "result"));
	if (*js(s, "data"))
		k = add(buf, n, k, " \"%s\"", js(s, "data"));
	if (*js(s, "detail"))
		k = add(buf, n, k, " [%s]", js(s, "detail"));
	if (cJSON_IsTrue(cJSON_GetObjectItem(s, "interrupted_by_probe")))
		add(buf, n, k, " (interrupted by the blocking probe)");
	return buf;
}

const char *blocking_text(cJSON *b, const char *who, char *buf, size_t n)
{
	if (!who)
		who = js(b, "actor");
	if (!strcmp(js(b, "method"), "proc")) {
		/* The descriptor only when the record has one: an openat() or a poll()
		 * sleeps on no single descriptor (older records gave poll's array
		 * address as its "fd"). */
		char fd[32] = "";
		double d = jn(b, "fd", -1);
		if (d >= 0 && d <= INT_MAX)
			snprintf(fd, sizeof fd, ", fd %.0f", jn(b, "fd", 0));
		snprintf(buf, n, "%s asleep in %s(): /proc state %s, syscall %.0f (%s)%s, wchan %s; proven %.2f ms after the call began",
			 who, js(b, "call"), js(b, "state"), jn(b, "syscall_nr", -1), js(b, "syscall"), fd,
			 *js(b, "wchan") ? js(b, "wchan") : "?", jn(b, "latency_ms", 0));
	} else
		snprintf(buf, n, "%s's %s() interrupted by a probe signal (weaker evidence; %s); %.2f ms after the call began",
			 who, js(b, "call"), js(b, "why_probe"), jn(b, "latency_ms", 0));
	return buf;
}
