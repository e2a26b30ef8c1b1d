/* Mutants on splice/vmsplice beyond pipe <-> pipe, chosen at build time (P).
 *   SPLICE_COPIES       splice out of a pipe copies (tee into a scratch pipe,
 *                       then splice from that): the source keeps its bytes
 *   SPLICE_FILES_ONLY   splice between a pipe and a regular file only: devices
 *                       and sockets rejected with EINVAL
 *   NONBLOCK_IGNORED    SPLICE_F_NONBLOCK dropped: an empty pipe blocks
 *   VMSPLICE_WRITE_ONLY vmsplice only maps user memory into a pipe: on a read
 *                       end it fails with EBADF */
#include <errno.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "fault.h"

#if defined(VMSPLICE_WRITE_ONLY)
ssize_t vmsplice(int fd, const struct iovec *iov, size_t n, unsigned int flags)
{
	REAL(ssize_t, vmsplice, int, const struct iovec *, size_t, unsigned int);
	if (fault_tracked(fd) && (fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDONLY) {
		errno = EBADF;
		return -1;
	}
	return real_vmsplice(fd, iov, n, flags);
}
#else
static bool is_pipe(int fd)
{
	struct stat st;
	return fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode);
}

ssize_t splice(int in, loff_t *off_in, int out, loff_t *off_out, size_t len, unsigned int flags)
{
	REAL(ssize_t, splice, int, loff_t *, int, loff_t *, size_t, unsigned int);
	if (!fault_tracked(in) && !fault_tracked(out))
		return real_splice(in, off_in, out, off_out, len, flags);
#if defined(SPLICE_COPIES)
	int scratch[2];
	if (!fault_tracked(in) || is_pipe(out) || pipe2(scratch, 0) != 0)
		return real_splice(in, off_in, out, off_out, len, flags);
	ssize_t r = tee(in, scratch[1], len, flags);
	if (r > 0)
		r = real_splice(scratch[0], NULL, out, off_out, (size_t)r, flags);
	close(scratch[0]);
	close(scratch[1]);
	return r;
#elif defined(SPLICE_FILES_ONLY)
	struct stat a, b;
	bool supported = fstat(in, &a) == 0 && fstat(out, &b) == 0 && (S_ISREG(a.st_mode) || S_ISFIFO(a.st_mode)) &&
			 (S_ISREG(b.st_mode) || S_ISFIFO(b.st_mode));
	if (!supported) {
		errno = EINVAL;
		return -1;
	}
	(void)is_pipe;
	return real_splice(in, off_in, out, off_out, len, flags);
#else
	(void)is_pipe;
	return real_splice(in, off_in, out, off_out, len, flags & ~(unsigned int)SPLICE_F_NONBLOCK);
#endif
}
#endif
