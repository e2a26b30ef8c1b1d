/* splice/vmsplice beyond pipe <-> pipe: files, sockets, /dev/zero,
 * /dev/null, SPLICE_F_NONBLOCK, vmsplice into user memory.  BEHAVIOURS.md P.
 * All Linux: splice(2), vmsplice(2).  A splice out of a pipe consumes like a
 * read (P3). */
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "case.h"

enum sx_part { SX_FILES, SX_ZERO, SX_NULL, SX_NONBLOCK, SX_SOCKET, SX_VMSPLICE };

struct sx_arg {
	enum sx_part part;
	char dir[512];
};

static long queued(int fd)
{
	int n = -1;
	return ioctl(fd, FIONREAD, &n) == 0 ? n : -1;
}

/* Every call of the scenarios: its mark, and its label in the evidence. */
enum sx_call {
	FILE_IN, FILE_OUT, LEFT_IN_PIPE, FILE_BYTES, ZERO_IN, NONZERO, NONBLOCK_EMPTY, TO_NULL, SOCK_IN, SOCK_OUT, SOCK_READ, VMSPLICE_OUT
};
static const char *const CALL[] = {
	[FILE_IN] = "splice file -> pipe",
	[FILE_OUT] = "splice pipe -> file",
	[LEFT_IN_PIPE] = "bytes left in the pipe",
	[FILE_BYTES] = "the file's bytes",
	[ZERO_IN] = "splice /dev/zero -> pipe",
	[NONZERO] = "non-zero bytes read",
	[NONBLOCK_EMPTY] = "SPLICE_F_NONBLOCK from an empty pipe",
	[TO_NULL] = "splice pipe -> /dev/null",
	[SOCK_IN] = "splice socket -> pipe",
	[SOCK_OUT] = "splice pipe -> socket",
	[SOCK_READ] = "read from the socket",
	[VMSPLICE_OUT] = "vmsplice pipe -> user memory",
};

static void splice_calls(pl_actor *a, void *arg)
{
	const struct sx_arg *sx = arg;
	int p[2];
	char b[4096 + 1] = "", path[600];
	if (pl_pipe(a, p) != 0)
		return;
	switch (sx->part) {
	case SX_FILES: {
		snprintf(path, sizeof path, "%s/in", sx->dir);
		int in = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
		snprintf(path, sizeof path, "%s/out", sx->dir);
		int out = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
		if (in < 0 || out < 0 || write(in, "hello", 5) != 5)
			return;
		loff_t off = 0;
		PL_CALL_IN(a, CALL, FILE_IN, p[1], splice(in, &off, p[1], NULL, 5, 0));
		PL_CALL_IN(a, CALL, FILE_OUT, p[0], splice(p[0], NULL, out, NULL, 5, 0));
		PL_CALL_IN(a, CALL, LEFT_IN_PIPE, p[0], queued(p[0]));
		PL_CALL_IN(a, CALL, FILE_BYTES, out, pread(out, b, sizeof b - 1, 0));
		pl_share(a, b, 6);
		break;
	}
	case SX_ZERO: {
		int z = open("/dev/zero", O_RDONLY);
		struct pl_step *s = pl_begin(a, CALL[ZERO_IN], p[1]);
		pl_mark_step(a, ZERO_IN, s);
		if (pl_finish(a, s, splice(z, NULL, p[1], NULL, 4096, 0)) != 4096)
			break; /* a read would wait for bytes that never came */
		ssize_t n = read(p[0], b, 4096);
		long nonzero = 0;
		for (ssize_t i = 0; i < n; i++)
			nonzero += b[i] != 0;
		PL_CALL_IN(a, CALL, NONZERO, p[0], n == 4096 ? nonzero : -1);
		break;
	}
	case SX_NULL:
	case SX_NONBLOCK: {
		int null = open("/dev/null", O_WRONLY);
		if (sx->part == SX_NONBLOCK) {
			PL_CALL_IN(a, CALL, NONBLOCK_EMPTY, p[0],
				splice(p[0], NULL, null, NULL, 4096, SPLICE_F_NONBLOCK));
			break;
		}
		pl_write(a, p[1], b, 100);
		PL_CALL_IN(a, CALL, TO_NULL, p[0], splice(p[0], NULL, null, NULL, 4096, 0));
		PL_CALL_IN(a, CALL, LEFT_IN_PIPE, p[0], queued(p[0]));
		break;
	}
	case SX_SOCKET: {
		int s[2];
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, s) != 0 || write(s[1], "abc", 3) != 3)
			return;
		PL_CALL_IN(a, CALL, SOCK_IN, p[1], splice(s[0], NULL, p[1], NULL, 3, 0));
		PL_CALL_IN(a, CALL, SOCK_OUT, p[0], splice(p[0], NULL, s[1], NULL, 3, 0));
		PL_CALL_IN(a, CALL, SOCK_READ, s[0], read(s[0], b, sizeof b - 1));
		pl_share(a, b, 4);
		break;
	}
	case SX_VMSPLICE: {
		pl_write(a, p[1], "abc", 3);
		struct iovec v = { b, 8 };
		PL_CALL_IN(a, CALL, VMSPLICE_OUT, p[0], vmsplice(p[0], &v, 1, 0));
		PL_CALL_IN(a, CALL, LEFT_IN_PIPE, p[0], queued(p[0]));
		pl_share(a, b, 4);
		break;
	}
	}
}

/* A rule's scenario, its calls and results, and the bytes it shared. */
struct sx_rule {
	enum sx_part part;
	int n;
	enum sx_call call[3];
	long ret[3];
	int err[3];
	const char *shared;
};

static void splice_rule(pl_case *c, enum pl_kind kind, const void *data)
{
	(void)kind;
	const struct sx_rule *r = data;
	struct sx_arg sx = { .part = r->part };
	const char *dir = pl_case_tmpdir(c);
	if (!dir) {
		pl_broken(c, "no private directory");
		return;
	}
	snprintf(sx.dir, sizeof sx.dir, "%s", dir);
	pl_sandbox *sb = pl_sandbox_new(c, "splice with files, devices and sockets");
	int a;
	PL_TRY(pl_run_actor(sb, "process", splice_calls, &sx, &a));
	/* Older kernels have no splice from /dev/zero at all (Debian's 6.1 gives
	 * EINVAL, 6.12 moves the bytes): unsupported there, not wrong. */
	const struct pl_step *zero = r->part == SX_ZERO ? pl_find_marked(sb, a, ZERO_IN) : NULL;
	if (zero && zero->ret == -1 && zero->err == EINVAL) {
		pl_skip(c, "this kernel cannot splice from /dev/zero (EINVAL): a device without splice support here");
		return;
	}
	for (int i = 0; i < r->n; i++)
		pl_expect_marked(c, sb, a, r->call[i], r->ret[i], r->err[i], CALL[r->call[i]]);
	if (r->shared) {
		size_t n;
		const char *d = (const char *)pl_shared_data(sb, &n);
		pl_check(c, n > 0 && !strcmp(d, r->shared), "the bytes that arrived", r->shared, "\"%s\"", n ? d : "");
	}
	pl_observed(c, "each call gave the rule's result");
}

/* ---- registrations ---------------------------------------------------- */

static const struct sx_rule R_FILES = { SX_FILES, 3, { FILE_IN, FILE_OUT, LEFT_IN_PIPE },
					{ 5, 5, 0 }, { 0 }, "hello" };
static const struct sx_rule R_ZERO = { SX_ZERO, 2, { ZERO_IN, NONZERO }, { 4096, 0 }, { 0 }, NULL };
static const struct sx_rule R_NULL = { SX_NULL, 2, { TO_NULL, LEFT_IN_PIPE }, { 100, 0 }, { 0 }, NULL };
static const struct sx_rule R_NONBLOCK = { SX_NONBLOCK, 1, { NONBLOCK_EMPTY }, { -1 }, { EAGAIN }, NULL };
static const struct sx_rule R_SOCKET = { SX_SOCKET, 3, { SOCK_IN, SOCK_OUT, SOCK_READ },
					 { 3, 3, 3 }, { 0 }, "abc" };
static const struct sx_rule R_VMSPLICE = { SX_VMSPLICE, 2, { VMSPLICE_OUT, LEFT_IN_PIPE }, { 3, 0 }, { 0 }, "abc" };

PL_RULE(.id = "splicex/file-to-pipe-to-file-moves", .rule = "P1, P3", .profile = "linux",
	.body = splice_rule, .data = &R_FILES,
	.title = "Verify that splice moves bytes from a file into a pipe and out to another file, leaving the pipe empty (splice(2))",
	.expected = "5; 5; 0 left; the file holds \"hello\"");

PL_RULE(.id = "splicex/dev-zero-into-pipe", .rule = "P3", .profile = "linux",
	.body = splice_rule, .data = &R_ZERO,
	.title = "Verify that splice from /dev/zero fills a pipe with zero bytes (splice(2))",
	.expected = "4096; 0 non-zero bytes");

PL_RULE(.id = "splicex/pipe-into-dev-null-consumes", .rule = "P3", .profile = "linux",
	.body = splice_rule, .data = &R_NULL,
	.title = "Verify that splice from a pipe into /dev/null consumes what it moves (splice(2))",
	.expected = "100; 0 left");

PL_RULE(.id = "splicex/splice-f-nonblock-empty-pipe-eagain", .rule = "P1", .profile = "linux",
	.body = splice_rule, .data = &R_NONBLOCK,
	.title = "Verify that SPLICE_F_NONBLOCK from an empty pipe with a writer gives EAGAIN, though the descriptor is blocking (splice(2))",
	.expected = "-1 EAGAIN");

PL_RULE(.id = "splicex/socket-to-pipe-and-back", .rule = "P1, P3", .profile = "linux",
	.body = splice_rule, .data = &R_SOCKET,
	.title = "Verify that splice moves bytes from a socket into a pipe and from the pipe into a socket (splice(2))",
	.expected = "3; 3; the peer reads \"abc\"");

PL_RULE(.id = "splicex/vmsplice-pipe-into-user-memory", .rule = "P3", .profile = "linux",
	.body = splice_rule, .data = &R_VMSPLICE,
	.title = "Verify that vmsplice on a read end copies the pipe's bytes into user memory and consumes them (vmsplice(2))",
	.expected = "3 \"abc\"; 0 left");
