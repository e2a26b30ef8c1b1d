/* What the report says, shared by the Markdown and HTML renderers. */
#ifndef PIPELAB_REPORT_CONTENT_H
#define PIPELAB_REPORT_CONTENT_H

#include "notes_tables.h"
#include "run.h"

extern const char *const KINDS[2];
const char *mark(int v);      /* emoji, for Markdown */
const char *mark_html(int v); /* symbols any font has */
/* The record for a notes' table cell on a pipe kind ("read/open/data", "pipe"). */
const struct rec *cell_rec(const struct run *r, const char *cell_id, const char *kind);
/* Records of one topic ("claims", "read", ...), in order; returns count. */
int topic_list(const struct run *r, const char ***topics);
/* Claim fields of a claims record. */
const char *claim_field(const struct rec *x, const char *key);
/* Every measured value: name, value, unit, case. Calls fn for each. */
void each_measure(const struct run *r, void (*fn)(void *ctx, const char *name, double v, const char *unit, const char *id), void *ctx);
const char *run_date(const struct run *r, char *buf, size_t n);


/* "read(fd 9, 64) = 4 "wake"" */
const char *step_text(cJSON *step, char *buf, size_t n);
/* "reader asleep in read(fd 9): state S, syscall 0, wchan anon_pipe_read, 0.13 ms" */
const char *blocking_text(cJSON *b, char *buf, size_t n);

#endif
