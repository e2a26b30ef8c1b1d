/* Thread actors: part of pipelab.h, which includes it where the actor
 * calls are declared (kept apart only to keep pipelab.h short). */
#ifndef PIPELAB_THREADS_H
#define PIPELAB_THREADS_H
#ifndef PIPELAB_H
#error "include pipelab.h, not pipelab_threads.h"
#endif

/* Threads as actors (threads.c): an actor process whose nthreads threads
 * are actors too, each with its own record, marks and blocking proofs (from
 * /proc/PID/task/TID; the interrupt probe goes to the thread by tgkill).
 * Judge: spawn the process; thread[i] gets the actor number of its thread i
 * (0-based).  A thread ends when its function returns or with its process. */
int pl_spawn_threaded(pl_sandbox *sb, const char *name, pl_actor_fn fn, void *arg, int nthreads, int thread[]);
/* Actor: start thread i of this process, running fn as that thread's actor. */
bool pl_thread_start(pl_actor *a, int i, pl_actor_fn fn, void *arg);
/* Actor: wait for every thread it started to return. */
void pl_thread_join_all(pl_actor *a);
#endif
