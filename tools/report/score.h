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
	int *line; /* where each pattern is in the file */
	int n;
	char source[1024]; /* the file, or "default" */
	char error[1400];  /* why weights_load or weights_check refused it */
};

enum { RULE_NOT_RUN = -1 };

struct rule_result {
	char id[160];
	double weight;
	int kinds, passed;    /* cases of the rule in the suite, and how many passed */
	int missing;          /* how many have no record (the run was cut short) */
	int worst;            /* worst verdict over its cases, RULE_NOT_RUN if one has no record */
	const struct rec *bad; /* the first case that did not pass */
	char bad_id[200];     /* its id (also set when it has no record) */
};

struct score {
	struct rule_result *rules;
	int n;
	double got, max;
};

/* weights.c.  Returns 0, or -1 with the reason in w->error (unreadable
 * file, bad line; weights_check: a pattern that matches no rule). */
int weights_load(struct weights *w, const char *path);
int weights_check(struct weights *w, char *const *rules, int nrules);
void weights_free(struct weights *w);
double weight_of(const struct weights *w, const char *rule);
bool weights_match(const struct weights *w, int i, const char *rule); /* pattern i */
int weights_count(const struct weights *w, int i, char *const *rules, int nrules);
/* The suite's rules (case ids without @kind), sorted, each once; cases_free them. */
int rules_of_cases(char **ids, int nids, char ***rules);
int weights_main(int argc, char **argv); /* pipelab-report weights */

/* The suite's case ids, one per line (ctest -N); NULL path: the run's own records. */
int cases_load(const char *path, char ***ids);
void cases_free(char **ids, int n);

/* Scores a run (NULL: nothing ran, every rule fails) against the suite. */
void score_run(const struct run *r, char **ids, int nids, const struct weights *w, struct score *s);
void score_free(struct score *s);
bool rule_passed(const struct rule_result *x);

/* "FAIL id: why (k of n case(s) of this rule passed)", for a rule not passed. */
void rule_reason(const struct rule_result *x, char *buf, size_t n);
/* The Gradescope results.json of one submission (reason: why nothing was judged). */
int write_gradescope(const char *path, const char *student, const struct score *s, const char *reason);

#endif
