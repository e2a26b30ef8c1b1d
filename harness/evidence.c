/* A case's verdict and its evidence record (JSON via cJSON); the judge's
 * pl_expect_* checks of recorded calls are in expect.c. */
#include "proof.h"
#include "tree.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int rank(enum pl_verdict v)
{
	static const int r[] = { [PL_PASS] = 0, [PL_SKIP] = 1, [PL_FAIL] = 2, [PL_BROKEN] = 3, [PL_TIMEOUT] = 4 };
	return r[v];
}

int pl_mkdir_p(const char *path)
{
	char buf[1024];
	snprintf(buf, sizeof buf, "%s", path);
	for (char *p = buf + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			if (mkdir(buf, 0755) < 0 && errno != EEXIST)
				return -1;
			*p = '/';
		}
	return mkdir(buf, 0755) < 0 && errno != EEXIST ? -1 : 0;
}

double pl_timeout_mult(void)
{
	const char *m = getenv("PIPELAB_TIMEOUT_MULT");
	double v = m ? strtod(m, NULL) : 1.0;
	return v >= 1.0 ? v : 1.0;
}

pl_case *pl_case_begin(const struct pl_case_spec *spec, enum pl_kind kind, const char *test_name)
{
	pl_case *c = calloc(1, sizeof *c);
	if (!c)
		abort();
	c->spec = *spec;
	c->kind = kind;
	snprintf(c->test_name, sizeof c->test_name, "%s", test_name ? test_name : "");
	c->verdict = PL_PASS;
	c->t0_ns = pl_now_ns();
	c->checks = cJSON_CreateArray();
	c->scenarios = cJSON_CreateArray();
	c->measured = cJSON_CreateObject();
	c->observed = cJSON_CreateArray();
	pl_box_private_ipc();
	return c;
}

void pl_case_set_verdict(pl_case *c, enum pl_verdict v, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (rank(v) > rank(c->verdict)) {
		c->verdict = v;
		snprintf(c->reason, sizeof c->reason, "%s", msg);
	}
}

enum pl_verdict pl_case_verdict(const pl_case *c) { return c->verdict; }

bool pl_case_ok(const pl_case *c) { return c->verdict == PL_PASS; }

static bool check_v(const char *file, int line, pl_case *c, bool ok, const char *what, const char *expected,
		    const char *fmt, va_list ap) __attribute__((format(printf, 7, 0)));

static bool check_v(const char *file, int line, pl_case *c, bool ok, const char *what, const char *expected,
		    const char *fmt, va_list ap)
{
	char obs[512], where[128];
	vsnprintf(obs, sizeof obs, fmt, ap);
	cJSON *k = cJSON_CreateObject();
	cJSON_AddStringToObject(k, "what", what);
	cJSON_AddStringToObject(k, "expected", expected);
	cJSON_AddStringToObject(k, "observed", obs);
	cJSON_AddBoolToObject(k, "ok", ok);
	cJSON_AddStringToObject(k, "where", pl_where(file, line, where, sizeof where));
	/* The scenario open while the check was made (its place in "scenarios",
	 * which gets it when it ends): a report marks a failing step only among
	 * that scenario's calls, never in a scenario whose checks all held.  A
	 * check reads recorded calls and ends from shared memory that goes when
	 * its scenario ends, so the open one is the one it judged. */
	if (c->open_sb)
		cJSON_AddNumberToObject(k, "scenario", cJSON_GetArraySize(c->scenarios));
	cJSON_AddItemToArray(c->checks, k);
	c->nchecks++;
	if (!ok)
		pl_case_set_verdict(c, PL_FAIL, "%s: expected %s, observed %s", what, expected, obs);
	return ok;
}

bool pl_check_at(const char *file, int line, pl_case *c, bool ok, const char *what, const char *expected,
		 const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	bool r = check_v(file, line, c, ok, what, expected, fmt, ap);
	va_end(ap);
	return r;
}

bool(pl_check)(pl_case *c, bool ok, const char *what, const char *expected, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	bool r = check_v("(unknown)", 0, c, ok, what, expected, fmt, ap);
	va_end(ap);
	return r;
}

void pl_broken(pl_case *c, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	/* After the implementation has failed a check, a scenario that cannot go
	 * on is a consequence of that failure, not the lab's fault: the FAIL
	 * stays the verdict and this is kept as what followed. */
	if (c->verdict == PL_FAIL) {
		pl_observed(c, "after that failure the scenario could not go on: %s", msg);
		return;
	}
	pl_case_set_verdict(c, PL_BROKEN, "setup: %s", msg);
}

void pl_skip(pl_case *c, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	pl_case_set_verdict(c, PL_SKIP, "%s", msg);
}

void pl_observed(pl_case *c, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	cJSON_AddItemToArray(c->observed, cJSON_CreateString(msg));
}

void pl_measure(pl_case *c, const char *name, long value, const char *unit)
{
	cJSON *m = cJSON_CreateObject();
	cJSON_AddNumberToObject(m, "value", (double)value);
	cJSON_AddStringToObject(m, "unit", unit);
	cJSON_DeleteItemFromObject(c->measured, name);
	cJSON_AddItemToObject(c->measured, name, m);
}

void pl_claim(pl_case *c, const char *id, const char *quote, const char *english, const char *verdict)
{
	cJSON_Delete(c->claim);
	c->claim = cJSON_CreateObject();
	cJSON_AddStringToObject(c->claim, "id", id);
	cJSON_AddStringToObject(c->claim, "quote", quote);
	cJSON_AddStringToObject(c->claim, "english", english);
	cJSON_AddStringToObject(c->claim, "verdict", verdict);
}

const char *pl_case_tmpdir(pl_case *c)
{
	if (c->tmpdir[0])
		return c->tmpdir;
	/* Private per case (H4: no shared sticky /tmp for FIFOs; tests run in
	 * parallel), and named pipelab-* so leftovers are easy to find. */
	const char *base = getenv("TMPDIR");
	snprintf(c->tmpdir, sizeof c->tmpdir, "%s/pipelab-case-XXXXXX", base && *base ? base : "/tmp");
	if (!mkdtemp(c->tmpdir) || lstat(c->tmpdir, &c->tmpdir_made) < 0) {
		pl_broken(c, "mkdtemp(%s) failed: %s", c->tmpdir, strerror(errno));
		c->tmpdir[0] = '\0';
		return NULL;
	}
	return c->tmpdir;
}

void pl_case_add_scenario(pl_case *c, cJSON *s) { cJSON_AddItemToArray(c->scenarios, s); }

enum pl_verdict pl_case_end(pl_case *c)
{
	if (c->open_sb)
		pl_sandbox_end(c->open_sb);
	if (c->verdict == PL_PASS && c->nchecks == 0)
		pl_case_set_verdict(c, PL_BROKEN, "the case recorded no check (a case that checks nothing is never a pass)");
	if (c->tmpdir[0]) {
		pl_tree_remove(c->tmpdir); /* the actors' user owns it: no symlink of theirs is followed */
		c->tmpdir[0] = '\0';
	}
	char id[256];
	pl_case_full_id(c, id, sizeof id);
	pl_write_evidence(c);
	snprintf(c->summary, sizeof c->summary, "%s %s%s%s", pl_verdict_name(c->verdict), id,
		 c->reason[0] ? ": " : "", c->reason);
	return c->verdict;
}

const char *pl_case_summary(const pl_case *c) { return c->summary; }

void pl_case_free(pl_case *c)
{
	if (!c)
		return;
	cJSON_Delete(c->checks);
	cJSON_Delete(c->scenarios);
	cJSON_Delete(c->measured);
	cJSON_Delete(c->observed);
	cJSON_Delete(c->claim);
	free(c);
}
