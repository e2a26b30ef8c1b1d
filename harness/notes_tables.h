/* The notes' two tables (quoted in docs/claims.md), as data: the cases
 * iterate these cells and the report renders them, so the three agree. */
#ifndef PIPELAB_NOTES_TABLES_H
#define PIPELAB_NOTES_TABLES_H

#include <stdbool.h>

struct pl_cell {
	const char *id;       /* "read/open/no-data" */
	const char *notes_zh; /* what the notes' cell says */
	const char *notes_en;
	const char *rule;     /* docs/rules.md id */
	const char *expected; /* the rule's outcome */
	const char *title;    /* "Verify that ..." */
	bool ends_closed;     /* row: the other side's ends all closed */
	bool second_col;      /* col: read "no data" / write "full" */
};

struct pl_table {
	const char *name;                 /* "read" / "write" */
	const char *title_zh, *title_en;
	const char *corner_zh, *corner_en; /* header of the row column */
	const char *col_zh[2], *col_en[2];
	const char *row_zh[2], *row_en[2]; /* notes' order: [0] all closed? see below */
	bool row_closed[2];               /* which row is "all closed" */
	const struct pl_cell *cells;      /* 4 cells: row-major in the notes' order */
};

extern const struct pl_table pl_read_table, pl_write_table;
const struct pl_cell *pl_find_cell(const char *id);

#endif
