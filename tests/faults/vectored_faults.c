/* Mutants on readv/writev, chosen at build time; each is a libc or emulator
 * that implements vectored I/O on top of read/write.
 *   PER_BUFFER      writev as one write per buffer, no iovcnt check: not
 *                   atomic, not one packet, no EINVAL (S3)
 *   FIRST_REPEATED  writev's loop writes iov[0] every time (S3)
 *   READV_FIRST     readv fills only the first buffer (S3) */
#include <sys/uio.h>
#include <unistd.h>

#include "fault.h"

#if defined(PER_BUFFER) || defined(FIRST_REPEATED)
ssize_t writev(int fd, const struct iovec *iov, int n)
{
	REAL(ssize_t, writev, int, const struct iovec *, int);
	if (!fault_tracked(fd))
		return real_writev(fd, iov, n);
	ssize_t total = 0;
	for (int i = 0; i < n; i++) {
#if defined(FIRST_REPEATED)
		const struct iovec *v = &iov[0];
#else
		const struct iovec *v = &iov[i];
#endif
		ssize_t w = write(fd, v->iov_base, v->iov_len);
		if (w < 0)
			return total > 0 ? total : -1;
		total += w;
		if ((size_t)w < v->iov_len)
			break;
	}
	return total;
}
#elif defined(READV_FIRST)
ssize_t readv(int fd, const struct iovec *iov, int n)
{
	REAL(ssize_t, readv, int, const struct iovec *, int);
	if (!fault_tracked(fd) || n < 1)
		return real_readv(fd, iov, n);
	return read(fd, iov[0].iov_base, iov[0].iov_len);
}
#endif
