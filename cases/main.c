/* Runner entry for every case binary: Criterion as usual, plus
 * --pipelab-list for the build-time ctest discovery, --pipelab-run for
 * the direct runner (the only runner of a PIPELAB_PORTABLE build) and
 * --pipelab-run-each for a group of variants, each in a forked child
 * (harness/group_run.c). */
#ifndef PIPELAB_PORTABLE
#include <criterion/criterion.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case.h"

#include "notes_tables.h"

/* One variant of a rule: a rule on one pipe kind.  Criterion gets one test
 * per variant, registered at start-up with criterion_register_test, because
 * Criterion's Test() needs a C identifier per test and a rule's kinds are a
 * value, not a name.  The test name is derived from the id mechanically:
 * the id without its suite, every character other than a letter or digit
 * made '_' ("read/open/no-data@pipe" is suite read, test open_no_data_pipe).
 * The table is filled by constructors, so Criterion's re-exec'd worker builds
 * the same one at the same addresses, and it is static storage, which
 * Criterion hands to its worker. */
struct pl_variant {
	const struct pl_rule *rule;
	enum pl_kind kind;
	char id[128], suite[32], name[128], labels[96], ident[168];
#ifndef PIPELAB_PORTABLE
	struct criterion_test test;
	struct criterion_test_extra_data extra;
#endif
};
#define PL_MAX_VARIANTS 512
static struct pl_variant variants[PL_MAX_VARIANTS];
static int nvariants;
static const char *rule_error; /* a declaration the build must refuse */
static char rule_error_buf[256];

static void variant_run(void);

static void add_variant(const struct pl_rule *r, enum pl_kind kind, bool suffixed)
{
	if (nvariants >= PL_MAX_VARIANTS) {
		rule_error = "more than PL_MAX_VARIANTS variants in one binary";
		return;
	}
	struct pl_variant *v = &variants[nvariants++];
	v->rule = r;
	v->kind = kind;
	snprintf(v->id, sizeof v->id, "%s%s%s", r->id, suffixed ? "@" : "", suffixed ? pl_kind_name(kind) : "");
	size_t n = strcspn(r->id, "/");
	snprintf(v->suite, sizeof v->suite, "%.*s", (int)n, r->id);
	/* (copied from r->id, not from v->id: one struct may not be both the
	 * source and the destination of an snprintf) */
	snprintf(v->name, sizeof v->name, "%s%s%s", r->id + (r->id[n] ? n + 1 : n), suffixed ? "@" : "",
		 suffixed ? pl_kind_name(kind) : "");
	for (char *p = v->name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')))
			*p = '_';
	snprintf(v->labels, sizeof v->labels, "%s%s%s", r->profile ? r->profile : "", r->labels ? " " : "",
		 r->labels ? r->labels : "");
	if (!r->id[n] || !r->profile || !r->body || (!r->notes_table && (!r->title || !r->expected)) ||
	    (r->notes_table && !pl_find_cell(r->id))) {
		snprintf(rule_error_buf, sizeof rule_error_buf,
			 "rule '%s' lacks a suite/ prefix, profile, body, title or expected (or its table cell)", r->id);
		rule_error = rule_error_buf;
	}
	for (int i = 0; i < nvariants - 1; i++)
		if (!strcmp(variants[i].suite, v->suite) && !strcmp(variants[i].name, v->name)) {
			snprintf(rule_error_buf, sizeof rule_error_buf, "rules '%s' and '%s' make the same test name %s/%s",
				 variants[i].id, v->id, v->suite, v->name);
			rule_error = rule_error_buf;
		}
#ifndef PIPELAB_PORTABLE
	/* What --filter matches ("suite/name"); copied, not printed: the fields
	 * share one object, which snprintf's restrict forbids. */
	size_t ns = strlen(v->suite), nn = strlen(v->name);
	memcpy(v->ident, v->suite, ns);
	v->ident[ns] = '/';
	memcpy(v->ident + ns + 1, v->name, nn + 1);
	v->extra = (struct criterion_test_extra_data){ .compiler_ = CR_COMP_GCC, .lang_ = CR_LANG_C,
						       .kind_ = CR_TEST_NORMAL, .identifier_ = v->ident,
						       .file_ = __FILE__, .line_ = (unsigned)__LINE__ };
	v->test = (struct criterion_test){ v->name, v->suite, variant_run, &v->extra };
#endif
}

void pl_register_rule(const struct pl_rule *r)
{
	if (!r->kinds) {
		add_variant(r, PL_NOKIND, false);
		return;
	}
	for (unsigned k = 0; k < 32; k++)
		if (r->kinds & (1u << k))
			add_variant(r, (enum pl_kind)k, true);
}

static const struct pl_variant *find_variant(const char *suite, const char *name)
{
	for (int i = 0; i < nvariants; i++)
		if (!strcmp(variants[i].suite, suite) && !strcmp(variants[i].name, name))
			return &variants[i];
	return NULL;
}

static const struct pl_variant *current_variant;

#ifdef PIPELAB_PORTABLE
static void variant_run(void) { pl_run_rule(current_variant->rule, current_variant->kind, current_variant->id); }
#else
static void variant_body(void)
{
	const struct criterion_test *t = criterion_current_test;
	const struct pl_variant *v = current_variant ? current_variant : find_variant(t->category, t->name);
	if (!v)
		cr_assert_fail("pipelab: no rule variant %s/%s in this binary", t->category, t->name);
	else
		pl_run_rule(v->rule, v->kind, v->id);
}

/* What Criterion's Test() trampoline does, for a test registered at run time;
 * the direct runner calls the body itself. */
static void variant_run(void)
{
	if (current_variant) {
		variant_body();
		return;
	}
	criterion_internal_test_setup();
	criterion_internal_test_main(variant_body);
	criterion_internal_test_teardown();
}
#endif

static void case_report(pl_case *c, bool direct);

void pl_run_rule(const struct pl_rule *r, enum pl_kind kind, const char *id)
{
	struct pl_case_spec spec = { r->id, r->rule, r->profile, r->cell, r->title, r->expected };
	const void *data = r->data;
	if (r->notes_table) {
		const struct pl_cell *cell = pl_find_cell(r->id);
		spec = (struct pl_case_spec){ cell->id, cell->rule, r->profile, cell->id, cell->title, cell->expected };
		data = cell;
	}
	char test[200];
	const struct pl_variant *v = current_variant;
	snprintf(test, sizeof test, "%s/%s", v ? v->suite : "?", v ? v->name : id);
#ifndef PIPELAB_PORTABLE
	if (!v)
		snprintf(test, sizeof test, "%s/%s", criterion_current_test->category, criterion_current_test->name);
#endif
	pl_case *c = pl_case_begin(&spec, kind, test);
	r->body(c, kind, data);
	case_report(c, current_variant != NULL);
}

/* End a case and report its verdict: to Criterion, or (direct runner) as
 * the exit status, 0 pass, 77 skip, 1 otherwise.  Does not return when
 * direct. */
static void case_report(pl_case *c, bool direct)
{
	enum pl_verdict verdict = pl_case_end(c);
	char summary[800];
	snprintf(summary, sizeof summary, "%s", pl_case_summary(c));
	pl_case_free(c);
	fprintf(stderr, "pipelab: %s\n", summary);
	if (direct) {
		fflush(NULL);
		exit(verdict == PL_PASS ? 0 : verdict == PL_SKIP ? 77 : 1);
	}
#ifndef PIPELAB_PORTABLE
	if (verdict == PL_SKIP)
		cr_skip_test("%s", summary);
	cr_assert(verdict == PL_PASS, "%s", summary);
#endif
}

/* Above the sum of a case's scenario deadlines (2 s each, a few per case),
 * below the launcher's and ctest's limits (see cmake/PipelabCases.cmake). */
#define CASE_TIMEOUT_S 15.0

/* The direct runner: one case in this process, no Criterion runner or worker
 * re-exec; the verdict is the exit status (0 pass, 77 skip, 1 otherwise).
 * It is what ctest uses: the same case bodies, a fraction of the start-up. */
static int run_direct(const char *which)
{
	const char *slash = strchr(which, '/');
	char suite[64];
	if (slash && slash - which < (long)sizeof suite) {
		snprintf(suite, sizeof suite, "%.*s", (int)(slash - which), which);
		const struct pl_variant *v = find_variant(suite, slash + 1);
		if (v) {
			current_variant = v;
			variant_run();
			fprintf(stderr, "pipelab: case %s returned without a verdict\n", which);
			return 1;
		}
	}
	fprintf(stderr, "pipelab: no case named '%s' in this binary (try --pipelab-list)\n", which);
	return 2;
}

/* --pipelab-run-each TEST EVIDENCE ...: a group of variants (harness/group_run.c). */
static int run_each(int argc, char *argv[])
{
	return pl_run_each(argc - 2, argv + 2, run_direct, CASE_TIMEOUT_S * pl_timeout_mult());
}

#ifdef PIPELAB_PORTABLE
int main(int argc, char *argv[])
{
	if (argc == 3 && !strcmp(argv[1], "--pipelab-run"))
		return run_direct(argv[2]);
	if (argc >= 2 && !strcmp(argv[1], "--pipelab-run-each"))
		return run_each(argc, argv);
	if (argc == 2 && !strcmp(argv[1], "--pipelab-list")) {
		if (rule_error) {
			fprintf(stderr, "pipelab: %s\n", rule_error);
			return 2;
		}
		for (int i = 0; i < nvariants; i++)
			printf("%s/%s\t%s\t%s\n", variants[i].suite, variants[i].name, variants[i].id, variants[i].labels);
		return 0;
	}
	fprintf(stderr, "usage: %s --pipelab-list | --pipelab-run SUITE/TEST | --pipelab-run-each SUITE/TEST EVIDENCE... "
			"(portable build: no Criterion runner)\n",
		argv[0]);
	return 2;
}
#else
int main(int argc, char *argv[])
{
	if (argc == 3 && !strcmp(argv[1], "--pipelab-run"))
		return run_direct(argv[2]);
	if (argc >= 2 && !strcmp(argv[1], "--pipelab-run-each"))
		return run_each(argc, argv);
	if (rule_error) {
		fprintf(stderr, "pipelab: %s\n", rule_error);
		return 2;
	}
	struct criterion_test_set *set = criterion_initialize();
	for (int i = 0; i < nvariants; i++)
		criterion_register_test(set, &variants[i].test);
	if (argc > 1 && !strcmp(argv[1], "--pipelab-list")) {
		FOREACH_SET(struct criterion_suite_set *s, set->suites) {
			FOREACH_SET(struct criterion_test *t, s->tests) {
				const struct pl_variant *v = find_variant(s->suite.name, t->name);
				printf("%s/%s\t%s\t%s\n", s->suite.name, t->name, v ? v->id : "", v ? v->labels : "");
			}
		}
		criterion_finalize(set);
		return 0;
	}
	FOREACH_SET(struct criterion_suite_set *s, set->suites) {
		FOREACH_SET(struct criterion_test *t, s->tests) {
			if (t->data->timeout == 0)
				t->data->timeout = CASE_TIMEOUT_S * pl_timeout_mult();
		}
	}
	int rc = 0;
	if (criterion_handle_args(argc, argv, true))
		rc = !criterion_run_all_tests(set);
	criterion_finalize(set);
	return rc;
}
#endif
