/* Grading: a score per rule (a case id without its @kind), from a weights file. */
#ifndef PIPELAB_REPORT_SCORE_H
#define PIPELAB_REPORT_SCORE_H

#include <stdbool.h>

#include "run.h"

/* "pattern weight" lines; a pattern is a rule id or a prefix ending in '*'.
 * The last matching line wins.  Without a file: claims/ * weigh 0, every other
 * rule 1. */
struct weights {
	char **pat;
	double *w;
	int n;
	char source[1024]; /* the file, or "default" */
};

enum { RULE_NOT_RUN = -1 };

struct rule_result {
	char id[160];
	double weight;
	int kinds, passed;    /* cases of the rule in the suite, and how many passed */
	int worst;            /* worst verdict over its cases, RULE_NOT_RUN if one has no record */
	const struct rec *bad; /* the first case that did not pass */
	char bad_id[200];     /* its id (also set when it has no record) */
};

struct score {
	struct rule_result *rules;
	int n;
	double got, max;
};

/* Returns 0, or -1 with a message on stderr (unreadable file, bad line). */
int weights_load(struct weights *w, const char *path);
void weights_free(struct weights *w);
double weight_of(const struct weights *w, const char *rule);

/* The suite's case ids, one per line (ctest -N); NULL path: the run's own records. */
int cases_load(const char *path, char ***ids);
void cases_free(char **ids, int n);

/* Scores a run (NULL: nothing ran, every rule fails) against the suite. */
void score_run(const struct run *r, char **ids, int nids, const struct weights *w, struct score *s);
void score_free(struct score *s);
bool rule_passed(const struct rule_result *x);

/* The Gradescope results.json of one submission (reason: why nothing was judged). */
int write_gradescope(const char *path, const char *student, const struct score *s, const char *reason,
		     const char *report_hint);

#endif
