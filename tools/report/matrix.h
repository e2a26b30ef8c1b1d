/* pipelab-report matrix, its parts: the cells (matrix_cells.c: what each
 * target says of each rule, and the explanations), the measured values
 * (matrix_values.c), the two renderings (matrix_render.c) and the command
 * (matrix.c). */
#ifndef PIPELAB_REPORT_MATRIX_H
#define PIPELAB_REPORT_MATRIX_H

#include <stdbool.h>
#include <stdio.h>

#include "run.h"

enum { MAX_COLS = 32, CELL_LEN = 160, MAX_EXPL = 256, VALUE_LEN = 512 };

struct col {
	char name[64];
	struct run run;
	char broken[512]; /* why the target did not run at all ("" when it ran) */
	int not_run;      /* its cases NOT RUN: it stopped early */
};

/* One line of the explanations file: on TARGET-GLOB, RULE-GLOB is VERDICT
 * (and, when text is set, the record's reason or observed says it). */
struct expl {
	char target[64], rule[256], text[128], reason[512];
	int verdict;
	int line;
};

struct matrix {
	struct col cols[MAX_COLS];
	int ncols;
	int ref;            /* the reference column: the first that ran */
	struct expl expl[MAX_EXPL];
	int nexpl;
	const char **rules; /* sorted, unique */
	int nrules;
	const char **ids;   /* every case id of any column, sorted, unique (borrowed) */
	int nids;
	const char *note;   /* the driver's closing note (plain text), may be NULL */
};

/* How a target's cell compares with the reference column's: the same,
 * different (explained or not), or not compared because one side has no
 * record of the cases that differ (a filtered or stopped run). */
enum cell_state { CELL_SAME, CELL_EXPLAINED, CELL_DIFFERS, CELL_NOT_RUN };
struct cell {
	char text[CELL_LEN];
	enum cell_state state;
	const struct expl *expl; /* CELL_EXPLAINED: the line that explains it */
	bool ref_lacks;          /* CELL_NOT_RUN: the reference, not this column, has no record */
};

/* matrix_cells.c */
int broken_targets(const struct matrix *m); /* columns that did not run, or stopped early */
void cell_at(const struct matrix *m, int rule, int col, struct cell *out);
int load_explanations(struct matrix *m, const char *path);
void collect_rules(struct matrix *m);
bool table_case(const char *id);
/* matrix_rows.c: the cells counted, and the rule rows: the differences
 * first, the rules not run on a target, then every rule. */
struct tally {
	int explained, unexplained, not_run;   /* cells */
	int not_run_on[MAX_COLS];              /* rules a column has no record of */
	int ref_lacks[MAX_COLS];               /* rules only the reference has no record of */
	const struct expl *used[MAX_EXPL];     /* explanations used, numbered in order of first use */
	int nused;
};
void matrix_tally(const struct matrix *m, struct tally *t);
void matrix_differences(const struct matrix *m, const struct tally *t, FILE *md, FILE *h);
void matrix_not_run(const struct matrix *m, const struct tally *t, FILE *md, FILE *h);
void matrix_rules(const struct matrix *m, const struct tally *t, FILE *md, FILE *h);
/* matrix_render.c: a table's header row, in both files at once */
void matrix_head(FILE *h, FILE *md, const struct matrix *m, const char *first);
int matrix_render(struct matrix *m, FILE *md, FILE *h);
/* matrix_values.c: the implementation-defined values table */
void matrix_values(const struct matrix *m, FILE *md, FILE *h);

#endif
