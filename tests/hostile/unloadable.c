/* A library the loader refuses (RTLD_NOW: an undefined symbol): every case
 * must be BROKEN with the loader's own message, never PASS. */
#include <unistd.h>

extern ssize_t pipelab_no_such_function(int fd);

ssize_t read(int fd, void *buf, size_t n)
{
	(void)buf;
	(void)n;
	return pipelab_no_such_function(fd);
}
