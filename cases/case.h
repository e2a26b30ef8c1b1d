/* Glue between Criterion and libpipelab for the case files (or, built with
 * PIPELAB_PORTABLE for targets without Criterion, the direct runner alone).
 *
 * One declarative record per rule, registered once (PL_RULE below); its pipe
 * kinds are a set, and each kind becomes a variant: one Criterion test and
 * one ctest entry, named from the id.  See docs/adding-a-rule.md. */
#ifndef PIPELAB_CASE_H
#define PIPELAB_CASE_H

#ifndef PIPELAB_PORTABLE
#include <criterion/criterion.h>
#endif
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pipelab.h"

/* Around calls a case makes with invalid arguments on purpose (EFAULT
 * rules): valgrind's memcheck would count them as the implementation's
 * memory errors.  No-ops without valgrind's header. */
#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define PL_MEMCHECK_OFF() VALGRIND_DISABLE_ERROR_REPORTING
#define PL_MEMCHECK_ON() VALGRIND_ENABLE_ERROR_REPORTING
#endif
#endif
#ifndef PL_MEMCHECK_OFF
#define PL_MEMCHECK_OFF() ((void)0)
#define PL_MEMCHECK_ON() ((void)0)
#endif

typedef void (*pl_body)(pl_case *c, enum pl_kind kind, const void *data);

/* The set of pipe kinds a rule holds on: PL_ON(PL_PIPE) | PL_ON(PL_FIFO).
 * A new kind is one enum value and its making in the harness (kinds.c);
 * a rule opts in by adding PL_ON(that kind). */
#define PL_ON(kind) (1u << (kind))
#define PL_ON_ALL_KINDS (PL_ON(PL_PIPE) | PL_ON(PL_FIFO) | PL_ON(PL_PIPE2))

/* One rule, declared once.  The id is the case id without the kind
 * ("read/open/no-data"); its first part is the Criterion suite and the file
 * the rule lives in (cases/read.c).  Each kind in `kinds` makes one variant
 * "<id>@<kind>"; kinds 0 makes one case about no single kind, named <id>. */
struct pl_rule {
	const char *id;       /* stable: reports, compare and golden files key on it */
	const char *rule;     /* docs/rules.md id, e.g. "B" */
	const char *profile;  /* posix | linux | impl: what the verdict asserts */
	const char *cell;     /* the notes' table cell or claim, or NULL */
	unsigned kinds;       /* PL_ON(...) set, or 0 */
	const char *title;    /* "Verify that ..." */
	const char *expected; /* the rule's outcome in words */
	pl_body body;         /* runs once per variant */
	const void *data;     /* handed to body */
	const char *labels;   /* extra ctest labels ("table", "claims", "fifo", ...) */
	/* A cell of the notes' tables (harness/notes_tables.c): rule, cell,
	 * title and expected come from the cell named by id, and the body's
	 * data is that cell, so the table, the case and the report agree. */
	bool notes_table;
};
void pl_register_rule(const struct pl_rule *r);

/* The fields every cell of the notes' tables shares (posix, on a pipe and a
 * FIFO, labelled "table"): PL_RULE(.id = "read/open/data", PL_NOTES_TABLE_CELL(read_cell)); */
#define PL_NOTES_TABLE_CELL(fn)                                                                    \
	.notes_table = true, .profile = "posix", .labels = "table", .kinds = PL_ON(PL_PIPE) | PL_ON(PL_FIFO), \
	.body = (fn)

/* PL_RULE(.id = "...", .profile = "posix", ..., .body = fn);
 * The identifiers are made with __COUNTER__, so nothing repeats the id. */
#define PL_RULE(...) PL_RULE_AT_(__COUNTER__, __VA_ARGS__)
#define PL_RULE_AT_(n, ...) PL_RULE_AT(n, __VA_ARGS__)
#define PL_RULE_AT(n, ...)                                                              \
	static const struct pl_rule pl_rule_##n = { __VA_ARGS__ };                      \
	__attribute__((constructor)) static void pl_rule_register_##n(void)             \
	{                                                                               \
		pl_register_rule(&pl_rule_##n);                                         \
	}                                                                               \
	_Static_assert(1, "PL_RULE")

/* Run one variant of a rule (main.c): the evidence, the verdict, and the
 * report to Criterion or the direct runner's exit status. */
void pl_run_rule(const struct pl_rule *r, enum pl_kind kind, const char *test);

/* Check a marked call (pl_marked: a call never made is FAIL, named by what). */
static inline bool pl_expect_marked(pl_case *c, pl_sandbox *sb, int actor, int mark, long ret, int err,
				    const char *what)
{
	const struct pl_step *s = pl_marked(c, sb, actor, mark, what);
	return s && pl_expect_step(c, what, s, ret, err);
}

/* The same for a call that returned file status flags (F_GETFL). */
static inline bool pl_expect_marked_flags(pl_case *c, pl_sandbox *sb, int actor, int mark, long flags, const char *what)
{
	const struct pl_step *s = pl_marked(c, sb, actor, mark, what);
	return s && pl_expect_flags(c, what, s, flags);
}

/* One recorded call, made through libc, in one line of the case, under a
 * mark the judge finds it by. */
#define PL_CALL_AS(a, mark, name, fd, expr)                            \
	do {                                                           \
		struct pl_step *pl_s_ = pl_begin((a), (name), (fd));    \
		pl_mark_step((a), (mark), pl_s_);                       \
		pl_finish((a), pl_s_, (long)(expr));                    \
	} while (0)

/* The same, labelled from the case's table of labels indexed by mark
 * (static const char *const LABEL[] = { [MARK] = "what", ... }). */
#define PL_CALL_IN(a, labels, mark, fd, expr) PL_CALL_AS(a, mark, (labels)[mark], fd, expr)

/* One recorded call, made through libc, in one line of the case. */
#define PL_CALL(a, name, fd, expr)                                     \
	do {                                                           \
		struct pl_step *pl_s_ = pl_begin((a), (name), (fd));    \
		pl_finish((a), pl_s_, (long)(expr));                    \
	} while (0)

/* Stop the case body when a wait has already marked the case. */
#define PL_TRY(x)             \
	do {                  \
		if (!(x))     \
			return; \
	} while (0)

/* The same, in a helper that returns bool. */
#define PL_TRY_FALSE(x)             \
	do {                        \
		if (!(x))           \
			return false; \
	} while (0)

/* Actor: both ends in one actor, non-blocking: pipe2(O_NONBLOCK), or the
 * FIFO opened reader first (a non-blocking writer needs a reader). */
static inline bool pl_nonblocking_ends(pl_actor *a, const pl_chan *ch, int fd[2])
{
	if (ch->kind == PL_PIPE2)
		return pl_pipe2(a, fd, O_NONBLOCK) == 0;
	fd[0] = pl_open(a, ch->path, O_RDONLY | O_NONBLOCK);
	fd[1] = pl_open(a, ch->path, O_WRONLY | O_NONBLOCK);
	return fd[0] >= 0 && fd[1] >= 0;
}

#endif
