/* Vectored I/O on pipes: readv(2)/writev(2).  BEHAVIOURS.md S3, F, M2.
 * POSIX writev(): the buffers are gathered and written "as write()" would
 * write them, so a writev whose total is <= PIPE_BUF obeys write()'s
 * all-or-nothing rule; readv() scatters what read() would return. */
#include <limits.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <unistd.h>

#include "case.h"

/* Both ends in the actor: pipe() (or pipe2(O_NONBLOCK) for PL_PIPE2) made
 * here, or the FIFO opened reader first (non-blocking: H2), blocking after
 * unless `nonblock`. */
static bool vec_ends(pl_actor *a, const pl_chan *ch, int fd[2], bool nonblock)
{
	if (ch->kind == PL_PIPE2) {
		if (pl_pipe2(a, fd, O_NONBLOCK) != 0)
			return false;
	} else if (ch->kind == PL_PIPE) {
		if (pl_pipe(a, fd) != 0)
			return false;
	} else {
		fd[0] = pl_open(a, ch->path, O_RDONLY | O_NONBLOCK);
		fd[1] = pl_open(a, ch->path, O_WRONLY | O_NONBLOCK);
		if (fd[0] < 0 || fd[1] < 0)
			return false;
	}
	return pl_set_nonblock(a, fd[0], nonblock) == 0 && pl_set_nonblock(a, fd[1], nonblock) == 0;
}

enum gather_mark { WRITEV_GATHER, READ_AFTER_WRITEV, READV_SCATTER };

static void gather_scatter(pl_actor *a, void *arg)
{
	int fd[2];
	char got[16] = "", x[4] = "", y[4] = "", z[4] = "";
	if (!vec_ends(a, arg, fd, false))
		return;
	struct iovec out[3] = { { "ab", 2 }, { "cde", 3 }, { "f", 1 } };
	PL_CALL_AS(a, WRITEV_GATHER, "writev ab|cde|f", fd[1], writev(fd[1], out, 3));
	PL_CALL_AS(a, READ_AFTER_WRITEV, "read 6 after writev", fd[0], read(fd[0], got, 6));
	pl_share(a, got, 7);
	pl_write(a, fd[1], "uvwxyz", 6);
	struct iovec in[3] = { { x, 2 }, { y, 3 }, { z, 3 } };
	PL_CALL_AS(a, READV_SCATTER, "readv 2|3|3 with 6 queued", fd[0], readv(fd[0], in, 3));
	pl_share(a, x, 4);
	pl_share(a, y, 4);
	pl_share(a, z, 4);
}

/* Verify that writev gathers its buffers in order into the pipe, and readv
 * scatters the queued bytes in order, returning what is there without
 * waiting for the last buffer to fill.  POSIX writev(), readv(). */
static void gather_rule(pl_case *c, enum pl_kind kind, const void *data)
{
	const bool scatter = data != NULL;
	pl_sandbox *sb = pl_sandbox_new(c, "writev then read; write then readv");
	pl_chan ch = { .kind = kind };
	if (kind == PL_FIFO)
		PL_TRY(pl_pipe_make(sb, &ch, kind));
	int a;
	PL_TRY(pl_run_actor(sb, "process", gather_scatter, &ch, &a));
	size_t n;
	const char *d = (const char *)pl_shared_data(sb, &n);
	if (n != 7 + 12) {
		pl_broken(c, "the actor shared %zu bytes, not 19", n);
		return;
	}
	if (!scatter) {
		pl_expect_marked(c, sb, a, WRITEV_GATHER, 6, 0, "writev returns the total");
		pl_check(c, !strcmp(d, "abcdef"), "the bytes read after writev", "\"abcdef\"", "\"%s\"", d);
		pl_observed(c, "writev wrote 6; read gave \"%s\"", d);
		return;
	}
	pl_expect_marked(c, sb, a, READV_SCATTER, 6, 0, "readv returns the 6 bytes queued");
	const char *x = d + 7, *y = d + 11, *z = d + 15;
	pl_check(c, !strcmp(x, "uv") && !strcmp(y, "wxy") && !strcmp(z, "z"), "the buffers readv filled",
		 "\"uv\" \"wxy\" \"z\"", "\"%s\" \"%s\" \"%s\"", x, y, z);
	pl_observed(c, "readv returned 6: \"%s\" \"%s\" \"%s\"", x, y, z);
}

enum room_mark { SET_ONE_PAGE, FILL_4000, WRITEV_TOO_BIG, QUEUED_AFTER, WRITEV_FITS };

static void partial_room(pl_actor *a, void *arg)
{
	int fd[2];
	static char fill[4096];
	if (!vec_ends(a, arg, fd, true))
		return;
	PL_CALL_AS(a, SET_ONE_PAGE, "F_SETPIPE_SZ 4096", fd[1], fcntl(fd[1], F_SETPIPE_SZ, 4096));
	PL_CALL_AS(a, FILL_4000, "write 4000 into the one-page pipe", fd[1], write(fd[1], fill, 4000));
	struct iovec four[4] = { { fill, 50 }, { fill, 50 }, { fill, 50 }, { fill, 50 } };
	PL_CALL_AS(a, WRITEV_TOO_BIG, "writev 4 x 50 with 96 bytes free", fd[1], writev(fd[1], four, 4));
	int queued = -1;
	ioctl(fd[0], FIONREAD, &queued);
	PL_CALL_AS(a, QUEUED_AFTER, "bytes queued after the refused writev", fd[0], queued);
	struct iovec two[2] = { { fill, 48 }, { fill, 48 } };
	PL_CALL_AS(a, WRITEV_FITS, "writev 2 x 48 with 96 bytes free", fd[1], writev(fd[1], two, 2));
}

/* Verify that a non-blocking writev of <= PIPE_BUF bytes in several buffers
 * is all or nothing: with 96 bytes free in a one-page pipe, 4 x 50 bytes
 * fail with EAGAIN and add nothing; 2 x 48 bytes go in whole.  POSIX
 * writev() "as write()" + write() O_NONBLOCK; Linux for F_SETPIPE_SZ (S5). */
static void partial_room_rule(pl_case *c, enum pl_kind kind, const void *data)
{
	(void)data;
	pl_sandbox *sb = pl_sandbox_new(c, "non-blocking writev with part of the room");
	pl_chan ch = { .kind = kind };
	if (kind == PL_FIFO)
		PL_TRY(pl_pipe_make(sb, &ch, kind));
	int a;
	PL_TRY(pl_run_actor(sb, "process", partial_room, &ch, &a));
	const struct pl_step *sz = pl_find_marked(sb, a, SET_ONE_PAGE);
	if (!sz || sz->ret != 4096) {
		pl_skip(c, "a one-page pipe is not available (F_SETPIPE_SZ gave %ld)", sz ? sz->ret : -1);
		return;
	}
	pl_expect_marked(c, sb, a, FILL_4000, 4000, 0, "setting up 96 free bytes");
	pl_expect_marked(c, sb, a, WRITEV_TOO_BIG, -1, EAGAIN, "a 200-byte writev that does not fit");
	pl_expect_marked(c, sb, a, QUEUED_AFTER, 4000, 0, "the refused writev added nothing");
	pl_expect_marked(c, sb, a, WRITEV_FITS, 96, 0, "a 96-byte writev that fits");
	pl_observed(c, "200 bytes in 4 buffers: EAGAIN, nothing added; 96 bytes in 2 buffers: 96");
}

enum iovcnt_mark { WRITEV_NEG, WRITEV_TOO_MANY, READV_NEG, READV_TOO_MANY, WRITEV_NONE };

static void iovcnt_calls(pl_actor *a, void *arg)
{
	(void)arg;
	int fd[2];
	static struct iovec many[IOV_MAX + 1];
	char b[4];
	volatile int negative = -1, too_many = IOV_MAX + 1, none = 0; /* not constants: the compiler would object */
	if (pl_pipe(a, fd) != 0)
		return;
	for (int i = 0; i < IOV_MAX + 1; i++)
		many[i] = (struct iovec){ b, 0 };
	PL_CALL_AS(a, WRITEV_NEG, "writev iovcnt -1", fd[1], writev(fd[1], many, negative));
	PL_CALL_AS(a, WRITEV_TOO_MANY, "writev iovcnt IOV_MAX+1", fd[1], writev(fd[1], many, too_many));
	PL_CALL_AS(a, READV_NEG, "readv iovcnt -1", fd[0], readv(fd[0], many, negative));
	PL_CALL_AS(a, READV_TOO_MANY, "readv iovcnt IOV_MAX+1", fd[0], readv(fd[0], many, too_many));
	PL_CALL_AS(a, WRITEV_NONE, "writev iovcnt 0", fd[1], writev(fd[1], many, none));
}

/* Verify that an iovcnt below 0 or above IOV_MAX gives EINVAL for readv and
 * writev, and that iovcnt 0 writes nothing and returns 0.  POSIX lists the
 * EINVAL as "may fail" (and iovcnt 0 with it), Linux always fails: readv(2). */
static void iovcnt_rule(pl_case *c, enum pl_kind kind, const void *data)
{
	(void)kind;
	(void)data;
	pl_sandbox *sb = pl_sandbox_new(c, "iovcnt out of range");
	int a;
	PL_TRY(pl_run_actor(sb, "process", iovcnt_calls, NULL, &a));
	pl_expect_marked(c, sb, a, WRITEV_NEG, -1, EINVAL, "writev with iovcnt -1");
	pl_expect_marked(c, sb, a, WRITEV_TOO_MANY, -1, EINVAL, "writev with iovcnt IOV_MAX+1");
	pl_expect_marked(c, sb, a, READV_NEG, -1, EINVAL, "readv with iovcnt -1");
	pl_expect_marked(c, sb, a, READV_TOO_MANY, -1, EINVAL, "readv with iovcnt IOV_MAX+1");
	pl_expect_marked(c, sb, a, WRITEV_NONE, 0, 0, "writev with iovcnt 0");
	pl_observed(c, "EINVAL for -1 and IOV_MAX+1 (IOV_MAX %d) on readv and writev; 0 for iovcnt 0", IOV_MAX);
}

enum packet_mark { PIPE2_DIRECT, WRITEV_PACKET, READ_PACKET };

static void packet_calls(pl_actor *a, void *arg)
{
	(void)arg;
	int fd[2];
	char got[32] = "";
	struct pl_step *s = pl_begin(a, "pipe2(O_DIRECT)", -1);
	pl_mark_step(a, PIPE2_DIRECT, s);
	if (pl_finish(a, s, pipe2(fd, O_DIRECT)) != 0)
		return;
	struct iovec out[3] = { { "ab", 2 }, { "cde", 3 }, { "f", 1 } };
	PL_CALL_AS(a, WRITEV_PACKET, "writev ab|cde|f in packet mode", fd[1], writev(fd[1], out, 3));
	PL_CALL_AS(a, READ_PACKET, "one read of 32", fd[0], read(fd[0], got, sizeof got - 1));
	pl_share(a, got, 7);
}

/* Verify that in packet mode (pipe2 O_DIRECT) one writev is one packet: a
 * read returns all its buffers' bytes at once.  pipe(2) O_DIRECT ("each
 * write(2) ... is a separate packet"); Linux >= 3.4. */
static void packet_rule(pl_case *c, enum pl_kind kind, const void *data)
{
	(void)kind;
	(void)data;
	pl_sandbox *sb = pl_sandbox_new(c, "writev in packet mode");
	int a;
	PL_TRY(pl_run_actor(sb, "process", packet_calls, NULL, &a));
	const struct pl_step *p = pl_find_marked(sb, a, PIPE2_DIRECT);
	if (p && p->ret < 0 && p->err == EINVAL) {
		pl_skip(c, "pipe2(O_DIRECT) is not supported (EINVAL)");
		return;
	}
	pl_expect_marked(c, sb, a, WRITEV_PACKET, 6, 0, "writev of three buffers");
	pl_expect_marked(c, sb, a, READ_PACKET, 6, 0, "one read returns the whole packet");
	size_t n;
	const char *d = (const char *)pl_shared_data(sb, &n);
	pl_check(c, n == 7 && !strcmp(d, "abcdef"), "the packet's bytes", "\"abcdef\"", "\"%s\"", n == 7 ? d : "");
	pl_observed(c, "one read after one writev of three buffers gave \"%s\"", n == 7 ? d : "");
}

/* ---- registrations ---------------------------------------------------- */

static const char SCATTER = 1;

PL_RULE(.id = "vectored/writev-gathers-in-order", .rule = "S3", .profile = "posix",
	.kinds = PL_ON(PL_PIPE) | PL_ON(PL_FIFO), .body = gather_rule,
	.title = "Verify that writev writes its buffers in order and returns the total (POSIX writev())",
	.expected = "6; \"abcdef\"");

PL_RULE(.id = "vectored/readv-scatters-in-order", .rule = "S3", .profile = "posix",
	.kinds = PL_ON(PL_PIPE) | PL_ON(PL_FIFO), .body = gather_rule, .data = &SCATTER,
	.title = "Verify that readv fills its buffers in order and returns the bytes queued without waiting for more (POSIX readv())",
	.expected = "6; \"uv\" \"wxy\" \"z\"");

PL_RULE(.id = "vectored/writev-pipe-buf-all-or-nothing", .rule = "S3, S5, F4", .profile = "linux",
	.kinds = PL_ON(PL_PIPE2) | PL_ON(PL_FIFO), .body = partial_room_rule,
	.title = "Verify that a non-blocking writev of <= PIPE_BUF bytes in several buffers is all or nothing (POSIX writev() as write(); F_SETPIPE_SZ)",
	.expected = "4 x 50 with 96 free: -1 EAGAIN, nothing added; 2 x 48: 96");

PL_RULE(.id = "vectored/iovcnt-out-of-range-einval", .rule = "S3", .profile = "linux",
	.body = iovcnt_rule,
	.title = "Verify that readv and writev fail with EINVAL for iovcnt < 0 or > IOV_MAX, and writev of 0 buffers returns 0 (readv(2))",
	.expected = "-1 EINVAL x 4; 0");

PL_RULE(.id = "vectored/writev-is-one-packet", .rule = "S3, M2", .profile = "linux",
	.body = packet_rule,
	.title = "Verify that in packet mode (O_DIRECT) one writev is one packet, read whole by one read (pipe(2) O_DIRECT)",
	.expected = "6; one read of 32 gives 6 \"abcdef\"");
