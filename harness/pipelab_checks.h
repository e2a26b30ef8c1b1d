/* libpipelab, part of pipelab.h: a case, its verdict and its evidence (the
 * checks, outcomes, measured values and claims a judge records).  Kept apart
 * only so each header stays short; pipelab.h includes it after the types it
 * uses, so include pipelab.h, never this file alone. */
#ifndef PIPELAB_CHECKS_H
#define PIPELAB_CHECKS_H

#include <stdio.h>

#ifndef PIPELAB_H
#error "include pipelab.h, which includes this file"
#endif

struct pl_case_spec {
	const char *id;       /* e.g. "read/open/no-data@pipe" */
	const char *rule;     /* docs/rules.md id, e.g. "B" */
	const char *klass;    /* posix | linux | impl */
	const char *cell;     /* the notes' table cell or claim, or NULL */
	const char *title;    /* "Verify that ..." */
	const char *expected; /* the rule's outcome in words */
};

pl_case *pl_case_begin(const struct pl_case_spec *spec, enum pl_kind kind, const char *test_name);
/* Tears down any open sandbox, writes the evidence record, returns the verdict. */
enum pl_verdict pl_case_end(pl_case *c);
void pl_case_free(pl_case *c);
enum pl_verdict pl_case_verdict(const pl_case *c);
const char *pl_case_summary(const pl_case *c); /* one line for the test runner */
const char *pl_case_tmpdir(pl_case *c);        /* private mkdtemp dir, made on demand */

/* Outcomes.  Each check is kept in the evidence; any mismatch makes the case
 * FAIL.  Setup trouble is BROKEN; lacking support is SKIP. */
bool pl_check(pl_case *c, bool ok, const char *what, const char *expected, const char *observed_fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* The same, recording where the check was made ("cases/eintr.c:97"); the
 * macros below make every pl_check and pl_expect_* call pass its place. */
bool pl_check_at(const char *file, int line, pl_case *c, bool ok, const char *what, const char *expected,
		 const char *observed_fmt, ...) __attribute__((format(printf, 7, 8)));
#define pl_check(...) pl_check_at(__FILE__, __LINE__, __VA_ARGS__)
void pl_broken(pl_case *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void pl_skip(pl_case *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void pl_observed(pl_case *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void pl_measure(pl_case *c, const char *name, long value, const char *unit);
/* For the notes' claims: the claim quoted, and the verdict this run's facts
 * give it: "confirmed", "refuted" or "imprecise". */
void pl_claim(pl_case *c, const char *id, const char *quote, const char *english, const char *verdict);
bool pl_case_ok(const pl_case *c); /* no FAIL/BROKEN/SKIP/TIMEOUT so far */

/* Describe a finished step like "-1 EPIPE" / "5" / "not returned". */
const char *pl_step_outcome(const struct pl_step *s, char *buf, size_t n);
/* Describe how an actor ended: "exit 0", "killed by SIGPIPE (13)". */
const char *pl_actor_end_text(const struct pl_actor_rec *r, char *buf, size_t n);
const char *pl_errno_name(int e);
const char *pl_signal_name(int sig);

/* Check one recorded call's result: expected return, and errno when -1. */
bool pl_expect_step(pl_case *c, const char *what, const struct pl_step *s, long ret, int err);
bool pl_expect_killed_by(pl_case *c, const char *what, const struct pl_actor_rec *r, int sig);
/* Check a call that returned file status flags (F_GETFL): both sides shown
 * decoded, "O_RDONLY|O_NONBLOCK", not 2048. */
bool pl_expect_flags_at(const char *file, int line, pl_case *c, const char *what, const struct pl_step *s, long flags);
#define pl_expect_flags(c, what, s, flags) pl_expect_flags_at(__FILE__, __LINE__, c, what, s, flags)
/* "O_WRONLY|O_APPEND" (bits it has no name for in hex) */
const char *pl_open_flags_name(long flags, char *buf, size_t n);
bool pl_expect_exit0(pl_case *c, const char *what, const struct pl_actor_rec *r);
bool pl_expect_step_at(const char *file, int line, pl_case *c, const char *what, const struct pl_step *s, long ret,
		       int err);
bool pl_expect_killed_by_at(const char *file, int line, pl_case *c, const char *what, const struct pl_actor_rec *r,
			    int sig);
bool pl_expect_exit0_at(const char *file, int line, pl_case *c, const char *what, const struct pl_actor_rec *r);
/* Judge: the actor's pl_fill filled the pipe (writes until EAGAIN).  A fill
 * that failed is the implementation's write failing: a FAIL check that says
 * what the writes returned.  Returns the bytes written, or -1. */
long pl_expect_filled_at(const char *file, int line, pl_case *c, pl_sandbox *sb, int actor);
#define pl_expect_filled(c, sb, actor) pl_expect_filled_at(__FILE__, __LINE__, c, sb, actor)
#define pl_expect_step(...) pl_expect_step_at(__FILE__, __LINE__, __VA_ARGS__)
#define pl_expect_killed_by(...) pl_expect_killed_by_at(__FILE__, __LINE__, __VA_ARGS__)
#define pl_expect_exit0(...) pl_expect_exit0_at(__FILE__, __LINE__, __VA_ARGS__)
/* Judge: read a file an actor wrote in the case's directory (which the
 * actors own): a regular file, never through a link they put there (tree.c).
 * NULL when it is not one. */
FILE *pl_fopen_actor_file(const char *path);

#endif
