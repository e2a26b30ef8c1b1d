/* A template for the implementation under test: a shared library that the lab
 * preloads (PIPELAB_PRELOAD) into every actor of every case.  Each function
 * here replaces the C library's and, as written, hands the call to the next
 * definition (the real one), so this library passes every case.  Replace a
 * body with your own code (your pipe emulation, a user-space FIFO, a syscall
 * filter...) and the cases will judge it.
 *
 * The cases call: pipe, pipe2, read, write, close, open, mkfifo, fcntl,
 * ioctl(FIONREAD), fstat, lseek, dup, dup2, poll, splice, tee, vmsplice.
 * Interpose only what you implement; the rest stays the system's.
 *
 * Build (CMake does it: build/examples/passthrough.so):
 *   cc -shared -fPIC -o passthrough.so passthrough.c -ldl
 * Run:  PIPELAB_PRELOAD=$PWD/passthrough.so PIPELAB_TARGET=me ./pipelab run
 * A .o file or an executable is not a shared library: the loader would ignore
 * it and the lab would judge the system instead; ./pipelab grade refuses them. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* RTLD_NEXT */
#endif
#include <dlfcn.h>
#include <unistd.h>

/* The next definition of a function (the C library's), looked up once. */
#define NEXT(fn)                                                   \
	static __typeof__(&fn) next_##fn;                           \
	if (!next_##fn)                                             \
		*(void **)&next_##fn = dlsym(RTLD_NEXT, #fn)

int pipe(int fds[2])
{
	NEXT(pipe);
	/* your pipe() here */
	return next_pipe(fds);
}

ssize_t read(int fd, void *buf, size_t n)
{
	NEXT(read);
	/* your read() here */
	return next_read(fd, buf, n);
}

ssize_t write(int fd, const void *buf, size_t n)
{
	NEXT(write);
	/* your write() here */
	return next_write(fd, buf, n);
}
