/* A student's read() with two memory errors valgrind must report as the
 * case's own verdict: an invalid read past a block, and a leak. */
#include <dlfcn.h>
#include <stdlib.h>
#include <unistd.h>

ssize_t read(int fd, void *buf, size_t n)
{
	ssize_t (*real)(int, void *, size_t);
	*(void **)&real = dlsym(RTLD_NEXT, "read");
	char *scratch = malloc(16);
	volatile char past = scratch[16]; /* invalid read of size 1 */ /* NOLINT: deliberate */
	(void)past;
	return real(fd, buf, n); /* scratch leaks */
}
