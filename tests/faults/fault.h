/* Shared part of the fault libraries (mutants): LD_PRELOAD-style shims
 * (dlsym(RTLD_NEXT) reaches libc, loaded by LD_PRELOAD or by the lab's
 * dlopen in an actor) that break one rule on pipes and FIFOs, leaving every
 * other descriptor alone. */
#ifndef PIPELAB_FAULT_H
#define PIPELAB_FAULT_H

#include <dlfcn.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <sys/types.h>

/* A pipe or FIFO under test (from the descriptor itself, see track.c). */
bool fault_tracked(int fd);
/* Whether path names a FIFO (for mutants that wrap open()). */
bool fault_fifo_path(const char *path);
/* The real pipe2 (for mutants that wrap pipe2). */
int fault_pipe2(int fds[2], int flags);
/* Nothing to record any more: kept so the mutants' open() wrappers read as before. */
void fault_track_if_fifo(int fd);
/* The next definition of a libc function, resolved once. */
#define REAL(ret, name, ...)                                                       \
	static ret (*real_##name)(__VA_ARGS__);                                     \
	if (!real_##name)                                                           \
		*(void **)&real_##name = dlsym(RTLD_NEXT, #name)

/* In an open() wrapper: the mode argument, present only with O_CREAT or
 * O_TMPFILE.  (A macro: va_start must run in the variadic function.) */
#define FAULT_OPEN_MODE(mode, flags)                                                    \
	do {                                                                            \
		(mode) = 0;                                                             \
		if ((flags) & (O_CREAT | O_TMPFILE)) {                                  \
			va_list ap_;                                                    \
			va_start(ap_, flags);                                           \
			/* a false positive right after va_start */                     \
			(mode) = va_arg(ap_, mode_t); /* NOLINT(clang-analyzer-valist.Uninitialized) */ \
			va_end(ap_);                                                    \
		}                                                                       \
	} while (0)

/* In an fcntl() wrapper: its optional third argument, read as a long (the
 * width every command's argument fits in).  A macro: va_start must run in
 * the variadic function. */
#define FAULT_FCNTL_ARG(arg, cmd)                                                       \
	do {                                                                            \
		va_list ap_;                                                            \
		va_start(ap_, cmd);                                                     \
		(arg) = va_arg(ap_, long); /* NOLINT(clang-analyzer-valist.Uninitialized) */ \
		va_end(ap_);                                                            \
	} while (0)

#endif
