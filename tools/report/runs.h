/* A run's life outside the renderers: its id, its start, its retention. */
#ifndef PIPELAB_REPORT_RUNS_H
#define PIPELAB_REPORT_RUNS_H

#include <stdbool.h>
#include <stddef.h>

/* A run id names a folder under reports/ and under the results root, so it
 * is one path component: no '/', no leading '.', no control characters. */
bool run_id_valid(const char *id);
/* YYYYMMDD-HHMMSS-PID-RAND-TARGET: unique even for runs started in the same
 * second (the pid and a random suffix), sortable by start time. */
void run_id_new(char *out, size_t n, const char *target);
/* The target's name as the id shows it (PIPELAB_TARGET, the emulator, the
 * preload, or "native"). */
void run_target_name(char *out, size_t n);

struct begin_opts {
	const char *dir;      /* explicit results dir (PIPELAB_RESULTS_DIR), or NULL */
	const char *root;     /* else: a new folder under this root */
	const char *link;     /* and this symlink points at it (plain ctest's build/results) */
	const char *selected; /* ctest --show-only=json-v1 output: the cases this run selected */
	bool print;           /* print the run's results dir and id (two lines) on stdout */
	/* "KEY=VALUE": how the target was configured beyond what its records
	 * say (a VM's guest sysctls, its kernel command line); run.json's
	 * "config", shown in the report's header and by compare and matrix */
	const char *config[8];
	int nconfig;
};
/* Starts a run.
 * Returns 0, or 2 with one line on stderr (nothing judged: usage or setup). */
int run_begin(const struct begin_opts *o);

/* The test names in ctest's --show-only=json-v1 output (a cJSON array), or NULL. */
struct cJSON *run_selected_names(const char *path);

/* A process's start time (clock ticks since boot), 0 if it is gone: with the
 * pid it names a run's owner even after pids wrap. */
unsigned long long run_proc_start(long pid);

/* The reports root: opt, else PIPELAB_REPORTS_DIR, else "reports". */
const char *reports_dir(const char *opt);

/* PIPELAB_KEEP_RUNS (default 20; 0 keeps every run), or -1 if it is not a number. */
int run_keep(void);
/* Removes the oldest runs in dir beyond keep.  Only folders named like a run
 * id that hold a run (results.json for reports, run.json for results) are
 * candidates; the folder the symlink `protect` points at, the folder named
 * `current` and runs whose owner still lives are never removed. */
void run_prune(const char *dir, int keep, const char *protect, const char *current);
/* The same for the matrix's and compare's reports in dir (matrix-<id>/,
 * compare-<id>/, each kind counted apart, only finished ones); current,
 * when not NULL, is never removed. run_prune does this too. */
void report_prune(const char *dir, int keep, const char *current);

#endif
