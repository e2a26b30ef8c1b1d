/* A run as the report sees it: the evidence records in one results dir. */
#ifndef PIPELAB_REPORT_RUN_H
#define PIPELAB_REPORT_RUN_H

#include <cjson/cJSON.h>
#include <stdio.h>

/* V_NOT_RUN: selected for a run that was interrupted before the case ended. */
enum { V_PASS, V_FAIL, V_BROKEN, V_SKIP, V_TIMEOUT, V_NOT_RUN, V_COUNT };
extern const char *const verdict_names[V_COUNT];

struct rec {
	cJSON *j;
	const char *id, *test, *verdict, *rule, *klass, *cell, *kind, *title, *expected, *observed, *reason;
	char topic[64];
	int v;
};

struct run {
	char dir[1024];
	char id[128];
	char started[64];
	cJSON *meta;   /* run.json, may be NULL */
	cJSON *system; /* from the first record that has one (borrowed) */
	struct rec *recs;
	int n;
	int totals[V_COUNT];
};

int verdict_index(const char *v);
/* Loads every *.json record in dir (sorted by case id).  Returns 0, or -1 with
 * a message on stderr. */
int run_load(struct run *r, const char *dir);
/* Adds BROKEN records for ctest JUnit test cases that have no record. */
void run_merge_junit(struct run *r, const char *junit_path);
/* Adds a record for every case run.json lists as selected that has none:
 * NOT RUN when the run stopped early (stopped says how: "the run was
 * interrupted by SIGINT"), else BROKEN. */
void run_merge_selected(struct run *r, const char *stopped);
/* One entry of ctest's --show-only=json-v1 listing into names: its name,
 * or for a group of variants (pipelab-launch --group ... --case ID ...)
 * the ids of its variants that PIPELAB_CASES selects. */
void run_add_selected(cJSON *names, const cJSON *test);
/* The exit status the run stands for: 0 every case PASS, 1 some case not
 * PASS, 2 no case at all. */
int run_status(const struct run *r);
void run_free(struct run *r);
const struct rec *run_find(const struct run *r, const char *id);
const char *sys_str(const struct run *r, const char *key);
char *read_file(const char *path);

/* Escaping for the renderers. */
void put_html(FILE *f, const char *s);
void put_xml(FILE *f, const char *s);
void put_md(FILE *f, const char *s);

/* Renderers: each writes one file; return 0 on success. */
int render_md(const struct run *r, const char *path);
int render_html(const struct run *r, const char *path);
int render_junit(const struct run *r, const char *path);
int render_json(const struct run *r, const char *path);
/* What a comparison found: cases whose verdicts differ, runs that lack a
 * case another has, measured values that differ. */
struct compare_counts {
	int disagree, not_run, values;
};
/* 0, or -1 when a file cannot be written. */
int render_compare(struct run *runs, int n, const char *path_md, const char *path_html, struct compare_counts *c);

#endif
