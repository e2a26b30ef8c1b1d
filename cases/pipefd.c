/* Errors and descriptor flags of pipe ends: access modes, close-on-exec,
 * duplicates with FD_CLOEXEC, /proc/PID/fd names, EFAULT, preadv/pwritev.
 * BEHAVIOURS.md A3, A4, A7, J1, S7. */
#include <stdint.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "case.h"

/* Every call of the descriptor scenarios, and its label in the evidence. */
enum fd_call {
	PIPE2_0, ACC_READ, ACC_WRITE, NB_READ, NB_WRITE, CX_READ, CX_WRITE, DUPFD_GE20, DUPFD_CX, DUPFD_ORIG, DUP3, DUP3_CX, DUP3_ORIG, DUP3_SELF, DUP3_WRITE, DUPFD_READ, CLOSE_READ, CLOSE_AGAIN, READ_BAD, READ_AFTER, WRITE_BAD, PIPE_BAD, PREADV, PWRITEV
};
static const char *const CALL[] = {
	[PIPE2_0] = "pipe2(0)",
	[ACC_READ] = "read end access mode",
	[ACC_WRITE] = "write end access mode",
	[NB_READ] = "read end O_NONBLOCK",
	[NB_WRITE] = "write end O_NONBLOCK",
	[CX_READ] = "read end FD_CLOEXEC",
	[CX_WRITE] = "write end FD_CLOEXEC",
	[DUPFD_GE20] = "F_DUPFD_CLOEXEC copy >= 20",
	[DUPFD_CX] = "F_DUPFD_CLOEXEC copy FD_CLOEXEC",
	[DUPFD_ORIG] = "original after F_DUPFD_CLOEXEC",
	[DUP3] = "dup3 O_CLOEXEC",
	[DUP3_CX] = "dup3 copy FD_CLOEXEC",
	[DUP3_ORIG] = "original after dup3",
	[DUP3_SELF] = "dup3 onto itself",
	[DUP3_WRITE] = "write through the dup3 copy",
	[DUPFD_READ] = "read through the F_DUPFD_CLOEXEC copy",
	[CLOSE_READ] = "close the read end",
	[CLOSE_AGAIN] = "close it again",
	[READ_BAD] = "read into a bad buffer",
	[READ_AFTER] = "read after the failed read",
	[WRITE_BAD] = "write from a bad buffer",
	[PIPE_BAD] = "pipe into a bad array",
	[PREADV] = "preadv",
	[PWRITEV] = "pwritev",
};

/* The calls one rule looks at, and the result each must give. */
struct fd_rule {
	int n;
	enum fd_call call[5];
	long ret[5];
	int err[5];
	bool offsets; /* the preadv/pwritev scenario */
};

/* A call's mark is its place in its rule's list: the scenarios make more
 * calls than there are marks, and each rule judges a few of them. */
static int rule_mark(const struct fd_rule *r, enum fd_call call)
{
	for (int i = 0; i < r->n; i++)
		if (r->call[i] == call)
			return i;
	return -1;
}

#define FD_CALL(a, r, call, fd, expr)                                     \
	do {                                                              \
		struct pl_step *fd_s_ = pl_begin((a), CALL[call], (fd));   \
		if (rule_mark((r), (call)) >= 0)                          \
			pl_mark_step((a), rule_mark((r), (call)), fd_s_); \
		pl_finish((a), fd_s_, (long)(expr));                      \
	} while (0)

struct fd_arg {
	pl_chan ch;
	const struct fd_rule *r;
};

static void flag_calls(pl_actor *a, void *arg)
{
	const struct fd_arg *fa = arg;
	const pl_chan *ch = &fa->ch;
	const struct fd_rule *r = fa->r;
	int fd[2];
	if (ch->kind == PL_PIPE2) {
		FD_CALL(a, r, PIPE2_0, -1, pipe2(fd, 0));
	} else if (pl_pipe(a, fd) != 0) {
		return;
	}
	FD_CALL(a, r, ACC_READ, fd[0], fcntl(fd[0], F_GETFL) & O_ACCMODE);
	FD_CALL(a, r, ACC_WRITE, fd[1], fcntl(fd[1], F_GETFL) & O_ACCMODE);
	FD_CALL(a, r, NB_READ, fd[0], (fcntl(fd[0], F_GETFL) & O_NONBLOCK) != 0);
	FD_CALL(a, r, NB_WRITE, fd[1], (fcntl(fd[1], F_GETFL) & O_NONBLOCK) != 0);
	FD_CALL(a, r, CX_READ, fd[0], fcntl(fd[0], F_GETFD) & FD_CLOEXEC);
	FD_CALL(a, r, CX_WRITE, fd[1], fcntl(fd[1], F_GETFD) & FD_CLOEXEC);
	int copy = fcntl(fd[0], F_DUPFD_CLOEXEC, 20);
	FD_CALL(a, r, DUPFD_GE20, copy, copy >= 20);
	FD_CALL(a, r, DUPFD_CX, copy, fcntl(copy, F_GETFD) & FD_CLOEXEC);
	FD_CALL(a, r, DUPFD_ORIG, fd[0], fcntl(fd[0], F_GETFD) & FD_CLOEXEC);
	FD_CALL(a, r, DUP3, fd[1], dup3(fd[1], 30, O_CLOEXEC));
	FD_CALL(a, r, DUP3_CX, 30, fcntl(30, F_GETFD) & FD_CLOEXEC);
	FD_CALL(a, r, DUP3_ORIG, fd[1], fcntl(fd[1], F_GETFD) & FD_CLOEXEC);
	FD_CALL(a, r, DUP3_SELF, fd[1], dup3(fd[1], fd[1], O_CLOEXEC));
	char b[4];
	FD_CALL(a, r, DUP3_WRITE, 30, write(30, "abc", 3));
	FD_CALL(a, r, DUPFD_READ, copy, read(copy, b, sizeof b));
	FD_CALL(a, r, CLOSE_READ, fd[0], close(fd[0]));
	FD_CALL(a, r, CLOSE_AGAIN, fd[0], close(fd[0]));
}

static void flag_rule(pl_case *c, enum pl_kind kind, const void *data)
{
	const struct fd_rule *r = data;
	pl_sandbox *sb = pl_sandbox_new(c, "descriptor flags of new pipe ends");
	struct fd_arg fa = { .ch = { .kind = kind }, .r = r };
	int a;
	PL_TRY(pl_run_actor(sb, "process", flag_calls, &fa, &a));
	for (int i = 0; i < r->n; i++)
		pl_expect_marked(c, sb, a, i, r->ret[i], r->err[i], CALL[r->call[i]]);
	pl_observed(c, "each call gave the rule's result");
}

enum name_mark { ONE_INODE, READ_END_NAME, WRITE_END_NAME };

static void name_calls(pl_actor *a, void *arg)
{
	(void)arg;
	int fd[2];
	char path[64], link[2][64] = { "", "" };
	struct stat st[2];
	if (pl_pipe(a, fd) != 0)
		return;
	for (int i = 0; i < 2; i++) {
		snprintf(path, sizeof path, "/proc/%d/fd/%d", (int)getpid(), fd[i]);
		ssize_t n = readlink(path, link[i], sizeof link[i] - 1);
		link[i][n > 0 ? n : 0] = '\0';
		fstat(fd[i], &st[i]);
	}
	char want[64];
	snprintf(want, sizeof want, "pipe:[%lu]", (unsigned long)st[0].st_ino);
	pl_note(a, "%s %s; fstat inode %lu", link[0], link[1], (unsigned long)st[0].st_ino);
	PL_CALL_AS(a, ONE_INODE, "both ends one inode", -1, st[0].st_ino == st[1].st_ino);
	PL_CALL_AS(a, READ_END_NAME, "read end named pipe:[inode]", fd[0], !strcmp(link[0], want));
	PL_CALL_AS(a, WRITE_END_NAME, "write end named pipe:[inode]", fd[1], !strcmp(link[1], want));
}

/* Verify that both ends are one inode and /proc/PID/fd names each
 * "pipe:[inode]" with fstat's inode number.  Linux (proc(5); fs/pipe.c
 * pipefs_dname); A7. */
static void name_rule(pl_case *c, enum pl_kind kind, const void *data)
{
	(void)kind;
	(void)data;
	pl_sandbox *sb = pl_sandbox_new(c, "/proc/PID/fd names");
	int a;
	PL_TRY(pl_run_actor(sb, "process", name_calls, NULL, &a));
	pl_expect_marked(c, sb, a, ONE_INODE, 1, 0, "fstat gives one inode for both ends");
	pl_expect_marked(c, sb, a, READ_END_NAME, 1, 0, "the read end's /proc name");
	pl_expect_marked(c, sb, a, WRITE_END_NAME, 1, 0, "the write end's /proc name");
	pl_observed(c, "%s", pl_rec(sb, a)->note);
}

/* EFAULT (arg NULL) or ESPIPE calls, each in its own scenario. */
static void bad_pointer_calls(pl_actor *a, void *arg)
{
	const struct fd_rule *r = arg;
	int fd[2];
	char b[8] = "x";
	volatile uintptr_t bad = 1; /* not a constant: the compiler would object */
	if (pl_pipe(a, fd) != 0)
		return;
	struct iovec v = { b, 1 };
	if (r->offsets) {
		pl_write(a, fd[1], "x", 1); /* so a preadv that ignored ESPIPE would return, not wait */
		FD_CALL(a, r, PREADV, fd[0], preadv(fd[0], &v, 1, 0));
		FD_CALL(a, r, PWRITEV, fd[1], pwritev(fd[1], &v, 1, 0));
		return;
	}
	pl_write(a, fd[1], "abc", 3);
	/* Bad pointers on purpose: a memory checker must not count them. */
	PL_MEMCHECK_OFF();
	FD_CALL(a, r, READ_BAD, fd[0], read(fd[0], (void *)bad, 3));
	FD_CALL(a, r, READ_AFTER, fd[0], read(fd[0], b, sizeof b));
	FD_CALL(a, r, WRITE_BAD, fd[1], write(fd[1], (const void *)bad, 3));
	FD_CALL(a, r, PIPE_BAD, -1, pipe((int *)bad));
	PL_MEMCHECK_ON();
}

static void bad_pointer_rule(pl_case *c, enum pl_kind kind, const void *data)
{
	const struct fd_rule *r = data;
	(void)kind;
	pl_sandbox *sb = pl_sandbox_new(c, "bad buffers and offsets");
	int a;
	PL_TRY(pl_run_actor(sb, "process", bad_pointer_calls, (void *)r, &a));
	char end[64];
	pl_expect_exit0(c, "the actor survives the bad pointers", pl_rec(sb, a));
	for (int i = 0; i < r->n; i++)
		pl_expect_marked(c, sb, a, i, r->ret[i], r->err[i], CALL[r->call[i]]);
	pl_observed(c, "each call gave the rule's result; actor: %s", pl_actor_end_text(pl_rec(sb, a), end, sizeof end));
}

/* ---- registrations ---------------------------------------------------- */

static const struct fd_rule R_ACCESS = { 2, { ACC_READ, ACC_WRITE }, { O_RDONLY, O_WRONLY }, { 0 }, false };
static const struct fd_rule R_CLEAR = { 4, { NB_READ, NB_WRITE, CX_READ, CX_WRITE }, { 0, 0, 0, 0 }, { 0 }, false };
static const struct fd_rule R_DUPFD = { 4, { DUPFD_GE20, DUPFD_CX, DUPFD_ORIG, DUPFD_READ }, { 1, FD_CLOEXEC, 0, 3 }, { 0 }, false };
static const struct fd_rule R_DUP3 = { 5, { DUP3, DUP3_CX, DUP3_ORIG, DUP3_SELF, DUP3_WRITE }, { 30, FD_CLOEXEC, 0, -1, 3 },
				       { 0, 0, 0, EINVAL, 0 }, false };
static const struct fd_rule R_EFAULT = { 4, { READ_BAD, READ_AFTER, WRITE_BAD, PIPE_BAD }, { -1, 3, -1, -1 },
					 { EFAULT, 0, EFAULT, EFAULT }, false };
static const struct fd_rule R_CLOSE2 = { 2, { CLOSE_READ, CLOSE_AGAIN }, { 0, -1 }, { 0, EBADF }, false };
static const struct fd_rule R_ESPIPE = { 2, { PREADV, PWRITEV }, { -1, -1 }, { ESPIPE, ESPIPE }, true };

PL_RULE(.id = "pipefd/access-modes-read-only-and-write-only", .rule = "A4, A3", .profile = "linux",
	.kinds = PL_ON(PL_PIPE) | PL_ON(PL_PIPE2), .body = flag_rule, .data = &R_ACCESS,
	.title = "Verify that F_GETFL gives O_RDONLY for the read end and O_WRONLY for the write end, from pipe() and from pipe2(fd, 0) (Linux one-way pipes; POSIX leaves the other direction unspecified)",
	.expected = "O_RDONLY; O_WRONLY");

PL_RULE(.id = "pipefd/new-ends-nonblock-and-cloexec-clear", .rule = "A3", .profile = "posix",
	.kinds = PL_ON(PL_PIPE), .body = flag_rule, .data = &R_CLEAR,
	.title = "Verify that O_NONBLOCK and FD_CLOEXEC are clear on both ends pipe() returns (POSIX pipe())",
	.expected = "0; 0; 0; 0");

PL_RULE(.id = "pipefd/f-dupfd-cloexec-sets-the-copy-only", .rule = "A3", .profile = "posix",
	.kinds = PL_ON(PL_PIPE), .body = flag_rule, .data = &R_DUPFD,
	.title = "Verify that F_DUPFD_CLOEXEC gives a copy >= its argument with FD_CLOEXEC, the original clear, the copy reading the pipe (POSIX fcntl())",
	.expected = "copy >= 20; FD_CLOEXEC; original 0; reads 3");

PL_RULE(.id = "pipefd/dup3-cloexec-sets-the-copy-only", .rule = "A3", .profile = "linux",
	.kinds = PL_ON(PL_PIPE), .body = flag_rule, .data = &R_DUP3,
	.title = "Verify that dup3(O_CLOEXEC) sets FD_CLOEXEC on the copy only, fails with EINVAL onto itself, and the copy writes the pipe (dup3(2); POSIX.1-2024 dup3())",
	.expected = "30; FD_CLOEXEC; original 0; -1 EINVAL; 3");

PL_RULE(.id = "pipefd/proc-fd-name-is-pipe-inode", .rule = "A7", .profile = "linux",
	.body = name_rule,
	.title = "Verify that both ends are one inode and /proc/PID/fd names them \"pipe:[inode]\" (proc(5); fs/pipe.c)",
	.expected = "one inode; pipe:[ino] twice");

PL_RULE(.id = "pipefd/efault-for-bad-buffers", .rule = "S7", .profile = "linux",
	.body = bad_pointer_rule, .data = &R_EFAULT,
	.title = "Verify that read, write and pipe given a bad address fail with EFAULT, leaving the data queued (read(2), write(2), pipe(2) EFAULT)",
	.expected = "-1 EFAULT; then 3; -1 EFAULT; -1 EFAULT; the process survives");

PL_RULE(.id = "pipefd/preadv-pwritev-espipe", .rule = "J1", .profile = "linux",
	.body = bad_pointer_rule, .data = &R_ESPIPE,
	.title = "Verify that preadv and pwritev on a pipe fail with ESPIPE (preadv(2); POSIX pread() for the non-vector forms)",
	.expected = "-1 ESPIPE; -1 ESPIPE");

PL_RULE(.id = "pipefd/close-twice-ebadf", .rule = "J3", .profile = "posix",
	.kinds = PL_ON(PL_PIPE), .body = flag_rule, .data = &R_CLOSE2,
	.title = "Verify that closing a pipe descriptor a second time fails with EBADF (POSIX close())",
	.expected = "0; -1 EBADF");
