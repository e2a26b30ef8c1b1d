/* Shared part of the fault libraries (mutants): LD_PRELOAD shims that break
 * one rule on pipe descriptors the case under test created (pipe, pipe2, or an
 * open() that yields a FIFO), leaving every other descriptor alone. */
#ifndef PIPELAB_FAULT_H
#define PIPELAB_FAULT_H

#include <dlfcn.h>
#include <stdarg.h>
#include <stdbool.h>
#include <sys/types.h>

bool fault_tracked(int fd);
/* pipe2 that records both ends as pipes under test. */
int fault_pipe2(int fds[2], int flags);
/* Record fd as a pipe under test if it is a FIFO. */
void fault_track_if_fifo(int fd);
/* The next definition of a libc function, resolved once. */
#define REAL(ret, name, ...)                                                       \
	static ret (*real_##name)(__VA_ARGS__);                                     \
	if (!real_##name)                                                           \
		*(void **)&real_##name = dlsym(RTLD_NEXT, #name)

#endif
