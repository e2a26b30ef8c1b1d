/* pipe2 flags: O_CLOEXEC, O_NONBLOCK, O_DIRECT packet mode, bad flags.
 * docs/rules.md A3, A6, M1, M2, M3. */
#include <sys/wait.h>
#include <unistd.h>

#include "case.h"

enum flags_mark {
	PIPE_READ_END_FL, PIPE_WRITE_END_FL, PIPE_FD_FLAGS, PIPE2_MADE, PIPE2_NONBLOCK, PIPE2_CLOEXEC, PIPE2_UNKNOWN_BITS,
	PIPE2_O_ASYNC, AFTER_EXEC
};

static void flags_of_new_pipes(pl_actor *a, void *arg)
{
	(void)arg;
	int p[2], q[2], x[2];
	if (pl_pipe(a, p) < 0)
		return;
	PL_CALL_AS(a, PIPE_READ_END_FL, "pipe(): read end F_GETFL", p[0], fcntl(p[0], F_GETFL));
	PL_CALL_AS(a, PIPE_WRITE_END_FL, "pipe(): write end F_GETFL", p[1], fcntl(p[1], F_GETFL));
	PL_CALL_AS(a, PIPE_FD_FLAGS, "pipe(): F_GETFD", p[0], fcntl(p[0], F_GETFD) | fcntl(p[1], F_GETFD));
	/* Close-on-exec descriptors below the pair: they go at exec too, so a
	 * tool that opens files between exec and the shell (valgrind's log)
	 * takes those numbers, never the pair's, which the shell checks. */
	for (int i = 0; i < 4; i++)
		open("/dev/null", O_RDONLY | O_CLOEXEC);
	PL_CALL_AS(a, PIPE2_MADE, "pipe2(O_NONBLOCK|O_CLOEXEC)", -1, pipe2(q, O_NONBLOCK | O_CLOEXEC));
	PL_CALL_AS(a, PIPE2_NONBLOCK, "pipe2: O_NONBLOCK on both ends", -1,
		(fcntl(q[0], F_GETFL) & O_NONBLOCK) && (fcntl(q[1], F_GETFL) & O_NONBLOCK));
	PL_CALL_AS(a, PIPE2_CLOEXEC, "pipe2: FD_CLOEXEC on both ends", -1, (fcntl(q[0], F_GETFD) & FD_CLOEXEC) && (fcntl(q[1], F_GETFD) & FD_CLOEXEC));
	PL_CALL_AS(a, PIPE2_UNKNOWN_BITS, "pipe2(0xDEAD)", -1, pipe2(x, 0xDEAD));
	PL_CALL_AS(a, PIPE2_O_ASYNC, "pipe2(O_ASYNC)", -1, pipe2(x, O_ASYNC));
	/* Across exec: the O_CLOEXEC pair is gone, the plain pair is still open. */
	pid_t child = fork();
	if (child == 0) {
		char cmd[160];
		snprintf(cmd, sizeof cmd, "[ -e /proc/self/fd/%d ] && [ -e /proc/self/fd/%d ] && [ ! -e /proc/self/fd/%d ] && [ ! -e /proc/self/fd/%d ]",
			 p[0], p[1], q[0], q[1]);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	int st = 0;
	waitpid(child, &st, 0);
	PL_CALL_AS(a, AFTER_EXEC, "exec'd shell: plain ends open, O_CLOEXEC ends closed", -1, WIFEXITED(st) ? WEXITSTATUS(st) : 128);
}

/* Verify that pipe() gives blocking, inheritable ends (O_RDONLY / O_WRONLY),
 * pipe2 sets O_NONBLOCK and FD_CLOEXEC on both, O_CLOEXEC closes both ends in
 * an exec'd program, and unknown flags give EINVAL.  Rules A3, A6, M1, M3. */
static void pipe2_case(pl_case *c, enum pl_kind kind, const void *data)
{
	(void)kind;
	(void)data;
	pl_sandbox *sb = pl_sandbox_new(c, "pipe and pipe2 flags");
	int a;
	PL_TRY(pl_run_actor(sb, "process", flags_of_new_pipes, NULL, &a));
	pl_expect_marked_flags(c, sb, a, PIPE_READ_END_FL, O_RDONLY, "pipe() read end: O_RDONLY, no O_NONBLOCK");
	pl_expect_marked_flags(c, sb, a, PIPE_WRITE_END_FL, O_WRONLY, "pipe() write end: O_WRONLY, no O_NONBLOCK");
	pl_expect_marked(c, sb, a, PIPE_FD_FLAGS, 0, 0, "pipe(): FD_CLOEXEC clear on both");
	pl_expect_marked(c, sb, a, PIPE2_MADE, 0, 0, "pipe2(O_NONBLOCK|O_CLOEXEC) succeeds");
	pl_expect_marked(c, sb, a, PIPE2_NONBLOCK, 1, 0, "O_NONBLOCK on both ends");
	pl_expect_marked(c, sb, a, PIPE2_CLOEXEC, 1, 0, "FD_CLOEXEC on both ends");
	pl_expect_marked(c, sb, a, PIPE2_UNKNOWN_BITS, -1, EINVAL, "pipe2 with unknown bits");
	pl_expect_marked(c, sb, a, PIPE2_O_ASYNC, -1, EINVAL, "pipe2(O_ASYNC)");
	pl_expect_marked(c, sb, a, AFTER_EXEC, 0, 0,
			"after exec: pipe() ends still open, pipe2(O_CLOEXEC) ends closed");
	pl_observed(c, "pipe(): O_RDONLY/O_WRONLY, blocking, inheritable; pipe2: O_NONBLOCK and FD_CLOEXEC on both; exec closes only the O_CLOEXEC pair; 0xDEAD and O_ASYNC: EINVAL");
}

PL_RULE(.id = "pipe2/flags-cloexec-nonblock-einval", .rule = "A3, A6, M1, M3", .profile = "linux", .body = pipe2_case,
	.title = "Verify pipe()'s default flags, pipe2's O_NONBLOCK and O_CLOEXEC (checked in an exec'd program), and "
		 "EINVAL for unknown flags",
	.expected = "O_RDONLY/O_WRONLY; both flags on both ends; O_CLOEXEC ends closed after exec; EINVAL");

enum packet_mark { MADE, HAS_O_DIRECT, FIRST_PACKET, NEXT_PACKET, SHORT_READ, AFTER_SHORT_READ, BIG_FIRST, BIG_SECOND };

static void packets(pl_actor *a, void *arg)
{
	(void)arg;
	int p[2];
	static char big[5000];
	char buf[8192];
	memset(big, 'p', sizeof big);
	struct pl_step *made = pl_begin(a, "pipe2(O_DIRECT)", -1);
	pl_mark_step(a, MADE, made);
	if (pl_finish(a, made, pipe2(p, O_DIRECT)) < 0)
		return;
	PL_CALL_AS(a, HAS_O_DIRECT, "write end has O_DIRECT", p[1], (fcntl(p[1], F_GETFL) & O_DIRECT) != 0);
	pl_write(a, p[1], "one", 3);
	pl_write(a, p[1], "two", 3);
	PL_CALL_AS(a, FIRST_PACKET, "read 100 gets one packet", p[0], read(p[0], buf, 100));
	PL_CALL_AS(a, NEXT_PACKET, "next read gets the next packet", p[0], read(p[0], buf, 100));
	pl_write(a, p[1], "xy", 2);
	pl_write(a, p[1], "z", 1);
	PL_CALL_AS(a, SHORT_READ, "read 1 byte of a 2-byte packet", p[0], read(p[0], buf, 1));
	PL_CALL_AS(a, AFTER_SHORT_READ, "the packet's rest is discarded", p[0], read(p[0], buf, 100));
	pl_write(a, p[1], big, sizeof big);
	PL_CALL_AS(a, BIG_FIRST, "a 5000-byte write: first packet", p[0], read(p[0], buf, sizeof buf));
	PL_CALL_AS(a, BIG_SECOND, "a 5000-byte write: second packet", p[0], read(p[0], buf, sizeof buf));
}

/* Verify O_DIRECT packet mode: one packet per write, a read never spans
 * packets, a short read discards the rest of its packet, and a write larger
 * than PIPE_BUF is split into PIPE_BUF-sized packets.  Rule M2 (Linux >= 3.4). */
static void packet_case(pl_case *c, enum pl_kind kind, const void *data)
{
	(void)kind;
	(void)data;
	pl_sandbox *sb = pl_sandbox_new(c, "O_DIRECT packets");
	int a;
	PL_TRY(pl_run_actor(sb, "process", packets, NULL, &a));
	const struct pl_step *mk = pl_marked(c, sb, a, MADE, "pipe2(O_DIRECT)");
	if (!mk)
		return;
	if (mk->ret < 0 && mk->err == EINVAL) {
		pl_skip(c, "pipe2(O_DIRECT) gives EINVAL: this kernel or emulator has no packet mode");
		return;
	}
	pl_expect_marked(c, sb, a, HAS_O_DIRECT, 1, 0, "F_GETFL shows O_DIRECT on the write end");
	pl_expect_marked(c, sb, a, FIRST_PACKET, 3, 0, "a read returns one packet, not both");
	pl_expect_marked(c, sb, a, NEXT_PACKET, 3, 0, "the next read returns the next packet");
	pl_expect_marked(c, sb, a, SHORT_READ, 1, 0, "a 1-byte read of a 2-byte packet");
	pl_expect_marked(c, sb, a, AFTER_SHORT_READ, 1, 0,
			 "the next read gets the next packet (\"z\"), the rest of \"xy\" is gone");
	pl_expect_marked(c, sb, a, BIG_FIRST, 4096, 0, "a 5000-byte write: first packet is PIPE_BUF");
	pl_expect_marked(c, sb, a, BIG_SECOND, 904, 0, "a 5000-byte write: second packet is the rest");
	pl_observed(c, "reads return 3, 3 (one packet each); 1 then the next packet (the rest of \"xy\" discarded); 5000 bytes arrive as 4096 + 904");
}

PL_RULE(.id = "pipe2/o-direct-packet-mode", .rule = "M2", .profile = "linux", .body = packet_case,
	.title = "Verify O_DIRECT packet mode of pipe2",
	.expected = "one packet per read; short read discards the rest; writes > PIPE_BUF split into 4096-byte packets");
