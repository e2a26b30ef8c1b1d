/* A recorded writev: the implementation's writev(), recorded as a write, so
 * a blocking proof (PL_OP_WRITE) finds it asleep in writev(), or in write()
 * where a libc gathers the buffers into one write (POSIX writev() is write()
 * but for the gathering). */
#include "proof.h"

#include <errno.h>
#include <string.h>
#include <sys/uio.h>

enum { RETRY_MAX_IOV = 64 }; /* buffers a probe-interrupted writev can be resumed with */

static void preview_first(struct pl_step *s, const struct iovec *iov, int n)
{
	if (n <= 0 || !iov[0].iov_base)
		return;
	size_t k = iov[0].iov_len < sizeof s->preview - 1 ? iov[0].iov_len : sizeof s->preview - 1;
	const unsigned char *p = iov[0].iov_base;
	for (size_t i = 0; i < k; i++)
		s->preview[i] = (p[i] >= 0x20 && p[i] < 0x7f) ? (char)p[i] : '.';
	s->preview[k] = '\0';
}

/* Drop the first `done` bytes from the buffers v[0..*n). */
static const struct iovec *advance(struct iovec *v, int *n, size_t done)
{
	int i = 0;
	while (i < *n && done >= v[i].iov_len)
		done -= v[i++].iov_len;
	if (i < *n) {
		v[i].iov_base = (char *)v[i].iov_base + done;
		v[i].iov_len -= done;
	}
	*n -= i;
	return v + i;
}

ssize_t pl_writev(pl_actor *a, int fd, const struct iovec *iov, int n)
{
	size_t total = 0;
	for (int i = 0; i < n; i++)
		total += iov[i].iov_len;
	struct pl_step *s = pl_step_begin(a, PL_OP_WRITE, fd, (long)total, "writev");
	preview_first(s, iov, n);
	struct iovec rest[RETRY_MAX_IOV];
	const struct iovec *v = iov;
	int left = n;
	size_t done = 0;
	ssize_t r;
	struct pl_probe_mark m;
	pl_probe_mark(s, &m);
	for (;;) {
		r = writev(fd, v, left);
		/* Interrupted by the probe: EINTR, or a short count after a partial
		 * transfer (only above PIPE_BUF).  Either proves the block; the rest
		 * is written as if undisturbed. */
		bool short_count = r > 0 && (size_t)r < total - done && n <= RETRY_MAX_IOV;
		if (!pl_probe_again(s, &m, (r < 0 && errno == EINTR) || short_count))
			break;
		if (short_count) {
			if (v == iov) {
				memcpy(rest, iov, (size_t)n * sizeof *iov);
				v = rest;
			}
			done += (size_t)r;
			v = advance((struct iovec *)v, &left, (size_t)r);
		}
	}
	return pl_step_end_resumed(a, s, r, done);
}
