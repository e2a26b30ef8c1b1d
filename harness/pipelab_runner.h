/* The case process's own process management (grouped variants and what
 * they leave behind, the programs actors exec): part of pipelab.h, kept
 * apart to keep it short. */
#ifndef PIPELAB_RUNNER_H
#define PIPELAB_RUNNER_H
#ifndef PIPELAB_H
#error "include pipelab.h, not pipelab_runner.h"
#endif

/* Kill and reap every descendant of this process (a child subreaper), name
 * up to four of the living ones in named ("1234 sleep, ..."); returns how
 * many were killed, *alive how many were not yet dead (leftovers.c). */
int pl_kill_descendants(char *named, size_t n, int *alive);
/* The case binaries' grouped runner (group_run.c): pairs TEST EVIDENCE_PATH,
 * each variant run_one(TEST) in its own forked child with its own record and
 * log, each bounded by deadline seconds.  0 all pass, 77 all skip, else 1. */
int pl_run_each(int npairs, char *pairs[], int (*run_one)(const char *test), double deadline);

/* Programs actors exec run on the target (exec.c): under an emulator,
 * through it.  Judge: false, and the case SKIP, when file cannot run there
 * (built for another architecture).  Actor: execvp, through the emulator. */
bool pl_exec_runs(pl_case *c, const char *file);
int pl_execvp(const char *file, char *const argv[]);

#endif
