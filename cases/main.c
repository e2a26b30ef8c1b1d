/* Runner entry for every case binary: Criterion as usual, plus
 * --pipelab-list for the build-time ctest discovery and --pipelab-run for
 * the direct runner (the only runner of a PIPELAB_PORTABLE build). */
#ifndef PIPELAB_PORTABLE
#include <criterion/criterion.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case.h"

const struct pl_case_decl *pl_direct_case;
static const struct pl_case_decl *decls[1024];
static int ndecls;

void pl_register_case(const struct pl_case_decl *d)
{
	if (ndecls < (int)(sizeof decls / sizeof decls[0]))
		decls[ndecls++] = d;
}

const struct pl_case_decl *pl_find_case(const char *suite, const char *name)
{
	for (int i = 0; i < ndecls; i++)
		if (!strcmp(decls[i]->suite, suite) && !strcmp(decls[i]->name, name))
			return decls[i];
	return NULL;
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
	for (int i = 0; slash && i < ndecls; i++) {
		if (!strncmp(decls[i]->suite, which, (size_t)(slash - which)) && !decls[i]->suite[slash - which] &&
		    !strcmp(decls[i]->name, slash + 1)) {
			pl_direct_case = decls[i];
			decls[i]->impl();
			fprintf(stderr, "pipelab: case %s returned without a verdict\n", which);
			return 1;
		}
	}
	fprintf(stderr, "pipelab: no case named '%s' in this binary (try --pipelab-list)\n", which);
	return 2;
}

#ifdef PIPELAB_PORTABLE
int main(int argc, char *argv[])
{
	if (argc == 3 && !strcmp(argv[1], "--pipelab-run"))
		return run_direct(argv[2]);
	if (argc == 2 && !strcmp(argv[1], "--pipelab-list")) {
		for (int i = 0; i < ndecls; i++)
			printf("%s/%s\t%s\t%s\n", decls[i]->suite, decls[i]->name, decls[i]->id, decls[i]->labels);
		return 0;
	}
	fprintf(stderr, "usage: %s --pipelab-list | --pipelab-run SUITE/TEST (portable build: no Criterion runner)\n",
		argv[0]);
	return 2;
}
#else
int main(int argc, char *argv[])
{
	if (argc == 3 && !strcmp(argv[1], "--pipelab-run"))
		return run_direct(argv[2]);
	struct criterion_test_set *set = criterion_initialize();
	if (argc > 1 && !strcmp(argv[1], "--pipelab-list")) {
		FOREACH_SET(struct criterion_suite_set *s, set->suites) {
			FOREACH_SET(struct criterion_test *t, s->tests) {
				const struct pl_case_decl *d = pl_find_case(s->suite.name, t->name);
				printf("%s/%s\t%s\t%s\n", s->suite.name, t->name, d ? d->id : "",
				       d ? d->labels : "");
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
