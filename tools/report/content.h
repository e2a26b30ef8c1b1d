/* What the report says, shared by the Markdown and HTML renderers. */
#ifndef PIPELAB_REPORT_CONTENT_H
#define PIPELAB_REPORT_CONTENT_H

#include "notes_tables.h"
#include <stdbool.h>

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
const char *cases_word(int n); /* "case" for 1, else "cases" */
const char *run_date(const struct run *r, char *buf, size_t n);


/* A recorded call's "op" that names a libc function ("read"), not a step a
 * case named in words ("pipe2(O_NONBLOCK)", "sigpending: SIGPIPE"). */
bool is_function_name(const char *op);
const char *call_name(const char *op, char *buf, size_t n); /* "read()", or the words as they are */
/* "read(fd 9, 64) = 4 "wake"", "sigpending: SIGPIPE [fd 3] = 1" */
const char *step_text(cJSON *step, char *buf, size_t n);
/* "reader 2 asleep in read(): /proc state S, syscall 0 (read), fd 9, wchan ...";
 * who: the actor's lane name, NULL for the name the proof gives */
const char *blocking_text(cJSON *b, const char *who, char *buf, size_t n);

/* fields.c: one source for the fields every output shows. */
const char *claim_verdict(const struct rec *x); /* "undecided" unless the case passed */
void rule_of(const char *id, char *out, size_t n); /* the case id without "@kind" */
const char *target_name(const struct run *r);
/* run.json's "config" as "vm sysctl: fs.pipe-max-size=4096; ...", "" if none */
const char *run_config(const struct run *r, char *buf, size_t n);
const char *target_library(const struct run *r); /* the preloaded library, "" if none */
const char *docs_url(void);                      /* PIPELAB_DOCS_URL, else the docs relative to the report */
void docs_url_from(const char *report_dir);      /* compute that relative path once, before rendering */
const char *proof_summary(const struct run *r, char *buf, size_t n); /* /proc or the probe, counted */
/* rules.c: the rules a case checks, linked and said in one line. */
void rule_links(FILE *f, const char *rule, bool html);
void rule_group(const char *id, char *out, size_t n); /* its catalogue entry: "E4" -> "E", "S2" -> "S2" */
const char *rule_title(const char *id);               /* "Reading: the notes' read table", NULL if none */
void first_rule(const char *rule, char *out, size_t n); /* "K, S1, B" -> "K" */
int rule_order(const char *group); /* its place in the catalogue (after all of it when not there) */
/* "C — Writing: the notes' write table; D — SIGPIPE and EPIPE", "" if none */
const char *rule_statement(const char *rule, char *buf, size_t n);
/* "reader 3 (exit 0)", "the judge (the case process)" */
const char *actor_label(cJSON *a, const char *lane, char *buf, size_t n);
/* Did the actor end by itself (a signal, an exit) inside this call, which
 * never returned?  how: "killed by SIGPIPE (13)", "exited (exit 3)". */
bool actor_died_in(cJSON *actor, cJSON *step, char *how, size_t n);
/* "reader 1", "reader 2"... where names repeat; n: room in lanes */
void lane_names(cJSON *actors, char (*lanes)[64], int n);
/* For each proof in blocking, the index of its actor (-1 if none fits). */
void blocking_lanes(cJSON *actors, cJSON *blocking, int *lane_of);
/* why.c: why a case did not pass, said once. */
const char *why_not_pass(const struct rec *x); /* its reason, else what it observed */
int checks_failed(const struct rec *x, int *total);
const char *why_checks(int bad, int total); /* "2 of its 10 checks failed (✘ below)" */
bool reason_is_a_check(const struct rec *x); /* the reason is one failed check's sentence */
/* "what: expected E, observed O; ..." for each failed check (else the reason) */
const char *failed_checks_text(const struct rec *x, char *buf, size_t n);
/* Does "observed" say more than the checks and the reason? */
bool observed_is_news(const struct rec *x);
/* fail_groups.c: the cases that did not pass, grouped by rule. */
struct fail_group {
	char key[32];        /* the catalogue entry: "B", "S2"; or the rule as cited ("notes: mmap") */
	const char *title;   /* what it says, NULL when not catalogued */
	int n, first;        /* its cases; the first one's place in the run */
	int verdicts[V_COUNT];
	const char *common;  /* the reason most of its cases share (two or more), else NULL */
	int common_n;
	int *cases;          /* indices into r->recs */
};
int fail_groups(const struct run *r, struct fail_group **out); /* in the catalogue's order */
void fail_groups_free(struct fail_group *g, int n);
const char *fail_group_counts(const struct fail_group *g, char *buf, size_t n); /* "3 cases (2 FAIL, 1 TIMEOUT)" */
/* failing_step.c: does this call carry the case's failure (its ✘ mark)? */
bool step_failing(const struct rec *x, cJSON *scenario, cJSON *actor, cJSON *step);

struct measure_group {
	const char *name, *unit, *first;
	double value;
	int cases;
};
struct measure_groups {
	struct measure_group *g;
	int n;
};
void measure_groups(const struct run *r, struct measure_groups *g);
void measure_groups_free(struct measure_groups *g);
void timeline(FILE *f, const struct rec *x, cJSON *s); /* timeline.c */
cJSON *blocking_of(cJSON *scenario);
/* Record fields the renderers do not know, as "name: value". */
void extra_fields(FILE *f, const struct rec *x, bool html);
#define extra_fields_html(f, x) extra_fields((f), (x), true)
/* step_log.c: a scenario's step log, walked once; a format only says what
 * text goes around each part, and how text is escaped. */
struct log_style {
	void (*text)(FILE *f, const char *s); /* put_md, put_html */
	const char *begin, *end;              /* around the whole log */
	const char *actor[2];                 /* around an actor's label */
	const char *step[2];                  /* around a call */
	const char *failing_step[2];          /* around the call that carries the failure */
	const char *note[2];                  /* around what the harness noted about an actor */
	const char *actor_end;                /* after an actor's last call */
	const char *blocked[2];               /* around a blocking proof */
};
void step_log(FILE *f, const struct rec *x, cJSON *scenario, const struct log_style *style);
/* claims_audit.c: the claims audit's rows, the same in every output. */
struct claim_row {
	const struct rec *x; /* the claim's case */
	char id[16];         /* "a".."j" */
	const char *quote;   /* the notes' words; "" when the case stopped before recording the claim */
	const char *english;
	const char *verdict; /* claim_verdict() */
	char why[700];       /* why the claim has no verdict at all; "" otherwise */
	bool recorded;       /* the case recorded the claim (pl_claim) */
	/* What was measured: the case's own words when it passed; when it did
	 * not, its failed checks with what each expected (its glued "observed"
	 * would read "the writer is terminated: exit 0"); "—" when unrecorded. */
	char facts[1600];
};
bool claim_row_of(const struct rec *x, struct claim_row *row); /* false: not a claim case */
/* for (int i = 0; claim_row_next(r, &i, &row);): each claim case in order. */
bool claim_row_next(const struct run *r, int *i, struct claim_row *row);
/* case_lists.c: the cases in detail, failures first, then the passing ones
 * folded by topic; a format gives only its markup. */
struct fold_style {
	void (*text)(FILE *f, const char *s);         /* put_md, put_html */
	void (*detail)(FILE *f, const struct rec *x); /* one case in detail */
	const char *none;                             /* instead of the failures, when every case passed */
	const char *open, *summary_end, *close;       /* a topic's fold: open TOPIC: N passing cases summary_end ... close */
};
void failing_details(FILE *f, const struct run *r, const struct fold_style *style);
void passing_folded(FILE *f, const struct run *r, const struct fold_style *style);
/* render_data.c: o printed into path; 0, or -1 when it cannot be written */
int write_json(const cJSON *o, const char *path);
/* html_case.c */
void html_verdict(FILE *f, const struct rec *x);
void html_case_link(FILE *f, const struct rec *x, const char *text);
void html_case_detail(FILE *f, const struct rec *x);

#endif
