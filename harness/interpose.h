/* The case binary's own interposer for the pipe API (interpose.c) and the
 * actor's box around the implementation under test (box.c). */
#ifndef PIPELAB_INTERPOSE_H
#define PIPELAB_INTERPOSE_H

#include <stdbool.h>
#include <sys/types.h>

/* The launcher hands the user's PIPELAB_PRELOAD to the case under this name,
 * never as LD_PRELOAD: only actors load it (dlopen after fork). */
#define PL_IMPL_ENV "PIPELAB_IMPL"
/* Run as root, actors switch to this user (default nobody / its group). */
#define PL_UNPRIV_ENV "PIPELAB_UNPRIVILEGED_USER"

/* Actor: route every interposed call to the first of these dlopen handles
 * that defines it (libc where none does).  Returns how many names they define. */
int pl_interpose_use(void *const *impl, int n);
/* Whether this build has the interposer (off for static/portable builds). */
bool pl_interpose_active(void);

#endif
