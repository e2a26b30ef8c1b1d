/* pipelab-report compare, its parts: the model and the page (compare.c)
 * and the measured values that differ (compare_values.c). */
#ifndef PIPELAB_REPORT_COMPARE_H
#define PIPELAB_REPORT_COMPARE_H

#include <stdio.h>

#include "run.h"

/* The measured values that differ between runs, as a section of both
 * files; returns how many (a case's value name whose values differ). */
int compare_values(struct run *runs, int n, const char **ids, int nid, FILE *md, FILE *h);
/* Each run's system (kernel, libc and its version, target, settings), a table. */
void compare_systems(struct run *runs, int n, FILE *md, FILE *h);
/* "RUN (release arch, target)": a run's column heading */
const char *compare_label(const struct run *r, char *buf, size_t n);

#endif
