/* pipe2 flags: O_CLOEXEC, O_NONBLOCK, O_DIRECT packet mode, bad flags.
 * BEHAVIOURS.md A3, A6, M1, M2, M3. */
#include <sys/wait.h>
#include <unistd.h>

#include "case.h"

static void flags_of_new_pipes(pl_actor *a, void *arg)
{
	(void)arg;
	int p[2], q[2], x[2];
	if (pl_pipe(a, p) < 0)
		return;
	PL_CALL(a, "pipe(): read end F_GETFL", p[0], fcntl(p[0], F_GETFL));
	PL_CALL(a, "pipe(): write end F_GETFL", p[1], fcntl(p[1], F_GETFL));
	PL_CALL(a, "pipe(): F_GETFD", p[0], fcntl(p[0], F_GETFD) | fcntl(p[1], F_GETFD));
	PL_CALL(a, "pipe2(O_NONBLOCK|O_CLOEXEC)", -1, pipe2(q, O_NONBLOCK | O_CLOEXEC));
	PL_CALL(a, "pipe2: O_NONBLOCK on both ends", -1,
		(fcntl(q[0], F_GETFL) & O_NONBLOCK) && (fcntl(q[1], F_GETFL) & O_NONBLOCK));
	PL_CALL(a, "pipe2: FD_CLOEXEC on both ends", -1, (fcntl(q[0], F_GETFD) & FD_CLOEXEC) && (fcntl(q[1], F_GETFD) & FD_CLOEXEC));
	PL_CALL(a, "pipe2(0xDEAD)", -1, pipe2(x, 0xDEAD));
	PL_CALL(a, "pipe2(O_ASYNC)", -1, pipe2(x, O_ASYNC));
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
	PL_CALL(a, "exec'd shell: plain ends open, O_CLOEXEC ends closed", -1, WIFEXITED(st) ? WEXITSTATUS(st) : 128);
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
	pl_expect_named(c, sb, a, "pipe(): read end F_GETFL", O_RDONLY, 0, "pipe() read end: O_RDONLY, no O_NONBLOCK");
	pl_expect_named(c, sb, a, "pipe(): write end F_GETFL", O_WRONLY, 0, "pipe() write end: O_WRONLY, no O_NONBLOCK");
	pl_expect_named(c, sb, a, "pipe(): F_GETFD", 0, 0, "pipe(): FD_CLOEXEC clear on both");
	pl_expect_named(c, sb, a, "pipe2(O_NONBLOCK|O_CLOEXEC)", 0, 0, "pipe2(O_NONBLOCK|O_CLOEXEC) succeeds");
	pl_expect_named(c, sb, a, "pipe2: O_NONBLOCK on both ends", 1, 0, "O_NONBLOCK on both ends");
	pl_expect_named(c, sb, a, "pipe2: FD_CLOEXEC on both ends", 1, 0, "FD_CLOEXEC on both ends");
	pl_expect_named(c, sb, a, "pipe2(0xDEAD)", -1, EINVAL, "pipe2 with unknown bits");
	pl_expect_named(c, sb, a, "pipe2(O_ASYNC)", -1, EINVAL, "pipe2(O_ASYNC)");
	pl_expect_named(c, sb, a, "exec'd shell: plain ends open, O_CLOEXEC ends closed", 0, 0,
			"after exec: pipe() ends still open, pipe2(O_CLOEXEC) ends closed");
	pl_observed(c, "pipe(): O_RDONLY/O_WRONLY, blocking, inheritable; pipe2: O_NONBLOCK and FD_CLOEXEC on both; exec closes only the O_CLOEXEC pair; 0xDEAD and O_ASYNC: EINVAL");
}

PL_CASE(pipe2_flags, pipe_and_pipe2_flags_and_cloexec_across_exec, "pipe2/flags-cloexec-nonblock-einval", "linux")
{
	static const struct pl_case_spec spec = { "pipe2/flags-cloexec-nonblock-einval", "A3, A6, M1, M3", "linux", NULL,
		"Verify pipe()'s default flags, pipe2's O_NONBLOCK and O_CLOEXEC (checked in an exec'd program), and EINVAL for unknown flags",
		"O_RDONLY/O_WRONLY; both flags on both ends; O_CLOEXEC ends closed after exec; EINVAL" };
	pl_run(&spec, PL_NOKIND, pipe2_case, NULL);
}

static void packets(pl_actor *a, void *arg)
{
	(void)arg;
	int p[2];
	static char big[5000];
	char buf[8192];
	memset(big, 'p', sizeof big);
	PL_CALL(a, "pipe2(O_DIRECT)", -1, pipe2(p, O_DIRECT));
	if (pl_step_named(a->sb, a->index, "pipe2(O_DIRECT)")->ret < 0)
		return;
	PL_CALL(a, "write end has O_DIRECT", p[1], (fcntl(p[1], F_GETFL) & O_DIRECT) != 0);
	pl_write(a, p[1], "one", 3);
	pl_write(a, p[1], "two", 3);
	PL_CALL(a, "read 100 gets one packet", p[0], read(p[0], buf, 100));
	PL_CALL(a, "next read gets the next packet", p[0], read(p[0], buf, 100));
	pl_write(a, p[1], "xy", 2);
	pl_write(a, p[1], "z", 1);
	PL_CALL(a, "read 1 byte of a 2-byte packet", p[0], read(p[0], buf, 1));
	PL_CALL(a, "the packet's rest is discarded", p[0], read(p[0], buf, 100));
	pl_write(a, p[1], big, sizeof big);
	PL_CALL(a, "a 5000-byte write: first packet", p[0], read(p[0], buf, sizeof buf));
	PL_CALL(a, "a 5000-byte write: second packet", p[0], read(p[0], buf, sizeof buf));
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
	const struct pl_step *mk = pl_step_named(sb, a, "pipe2(O_DIRECT)");
	if (mk && mk->ret < 0 && mk->err == EINVAL) {
		pl_skip(c, "pipe2(O_DIRECT) gives EINVAL: this kernel or emulator has no packet mode");
		return;
	}
	pl_expect_named(c, sb, a, "write end has O_DIRECT", 1, 0, "F_GETFL shows O_DIRECT on the write end");
	pl_expect_named(c, sb, a, "read 100 gets one packet", 3, 0, "a read returns one packet, not both");
	pl_expect_named(c, sb, a, "next read gets the next packet", 3, 0, "the next read returns the next packet");
	pl_expect_named(c, sb, a, "read 1 byte of a 2-byte packet", 1, 0, "a 1-byte read of a 2-byte packet");
	const struct pl_step *rest = pl_step_named(sb, a, "the packet's rest is discarded");
	pl_expect_step(c, "the next read gets the next packet (\"z\"), the rest of \"xy\" is gone", rest, 1, 0);
	pl_expect_named(c, sb, a, "a 5000-byte write: first packet", 4096, 0, "a 5000-byte write: first packet is PIPE_BUF");
	pl_expect_named(c, sb, a, "a 5000-byte write: second packet", 904, 0, "a 5000-byte write: second packet is the rest");
	pl_observed(c, "reads return 3, 3 (one packet each); 1 then the next packet (the rest of \"xy\" discarded); 5000 bytes arrive as 4096 + 904");
}

PL_CASE(pipe2_flags, o_direct_packet_mode, "pipe2/o-direct-packet-mode", "linux")
{
	static const struct pl_case_spec spec = { "pipe2/o-direct-packet-mode", "M2", "linux", NULL,
		"Verify O_DIRECT packet mode of pipe2",
		"one packet per read; short read discards the rest; writes > PIPE_BUF split into 4096-byte packets" };
	pl_run(&spec, PL_NOKIND, packet_case, NULL);
}
