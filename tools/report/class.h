/* A graded class, as class.html and class.csv show it. */
#ifndef PIPELAB_REPORT_CLASS_H
#define PIPELAB_REPORT_CLASS_H

#include "score.h"

struct student {
	char name[256];
	char *library, *reason; /* reason: why nothing was judged (NULL when judged) */
	struct run run;
	bool loaded, has_report;
	struct score score;
};

struct class {
	struct student *st;
	int n;
	struct weights w;
	char **ids;
	int nids;
	const struct score *rules; /* the columns: one student's rule list (all have the same) */
	int nrules;
};

int class_load(struct class *c, const char *root, const char *cases, const char *weights);
void class_free(struct class *c);
const struct rule_result *student_rule(const struct student *st, const char *rule);
bool student_passes(const struct student *st, const char *rule);
int render_class_csv(const struct class *c, const char *path);
int render_class_html(const struct class *c, const char *path);
void class_html_students(FILE *f, const struct class *c); /* class_sections.c */
void class_html_weights(FILE *f, const struct class *c);

/* pipelab-report class / gradescope */
int class_main(int argc, char **argv);
int gradescope_main(int argc, char **argv);

#endif
