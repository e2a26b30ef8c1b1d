/* The notes' claims (docs/claims.md), each audited against this system.
 *
 * A claim case measures the facts that decide the claim and records a verdict
 * (confirmed / refuted / imprecise) with them.  A refuted claim is a passing
 * case: the lab checks reality.  The case fails only when the facts break the
 * rule that decides the claim (then the system, not the notes, is wrong).
 *
 * Claims a to e are here, f to j in claims_flow.c: one suite, claims, split
 * to keep each file short. */
#include <limits.h>
#include <sys/wait.h>
#include <unistd.h>

#include "case.h"
#include "peer.h"

/* Calls the judges find, by the mark the actors gave them. */
enum mark { PIPE_BUF_VALUE, SIZE_BEFORE, FILL, SIZE_AFTER, WRITE, READ_BACK };

/* A marked call's return, or -1 when it never returned (the case is FAIL
 * when it was never made). */
static long step_ret(pl_case *c, pl_sandbox *sb, int actor, int mark, const char *call)
{
	const struct pl_step *s = pl_marked(c, sb, actor, mark, call);
	return s && s->done ? s->ret : -1;
}

/* ---- a: "the kernel buffer is generally 4096 bytes" ---- */

static void measure_capacity(pl_actor *a, void *arg)
{
	(void)arg;
	int fd[2];
	if (pl_pipe(a, fd) < 0)
		return;
	PL_CALL_AS(a, PIPE_BUF_VALUE, "fpathconf(_PC_PIPE_BUF)", fd[0], fpathconf(fd[0], _PC_PIPE_BUF));
	PL_MARKED(a, SIZE_BEFORE, pl_fcntl(a, fd[1], F_GETPIPE_SZ, 0, "F_GETPIPE_SZ"));
	PL_MARKED(a, FILL, pl_fill(a, fd[1]));
}

static void ulimit_p(pl_actor *a, void *arg)
{
	/* What the notes tell the reader to run: the shell's `ulimit -p`. */
	int out = open(arg, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (out < 0)
		_exit(2);
	dup2(out, 1);
	pl_note(a, "exec bash -c 'ulimit -p'");
	execlp("bash", "bash", "-c", "ulimit -p", (char *)NULL);
	_exit(127);
}

static void a_buffer_is_4096_bytes(pl_case *c, enum pl_kind kind, const void *data);
PL_RULE(.id = "claims/a-buffer-is-4096-bytes", .rule = "N, F1", .profile = "linux", .labels = "claims",
	.cell = "claims/a-buffer-is-4096-bytes", .body = a_buffer_is_4096_bytes,
	.title = "Audit the notes' claim that the pipe buffer is generally 4096 bytes",
	.expected = "refuted on Linux: capacity 65536 (F_GETPIPE_SZ and filling); 4096 is PIPE_BUF");

static void a_buffer_is_4096_bytes(pl_case *c, enum pl_kind kind, const void *data)
{
	(void)kind;
	(void)data;
	pl_sandbox *sb = pl_sandbox_new(c, "measure capacity and PIPE_BUF");
	int m;
	PL_TRY(pl_run_actor(sb, "prober", measure_capacity, NULL, &m));
	long pipe_buf = step_ret(c, sb, m, PIPE_BUF_VALUE, "fpathconf(_PC_PIPE_BUF)");
	long filled = step_ret(c, sb, m, FILL, "fill");
	long sz = step_ret(c, sb, m, SIZE_BEFORE, "F_GETPIPE_SZ");
	char path[600];
	const char *dir = pl_case_tmpdir(c);
	PL_TRY(dir);
	snprintf(path, sizeof path, "%s/ulimit-p", dir);
	int u;
	PL_TRY(pl_run_actor(sb, "shell running ulimit -p", ulimit_p, path, &u));
	long blocks = -1;
	FILE *f = pl_fopen_actor_file(path);
	if (f) {
		if (fscanf(f, "%ld", &blocks) != 1)
			blocks = -1;
		fclose(f);
	}
	pl_measure(c, "capacity_by_filling", filled, "bytes");
	pl_measure(c, "F_GETPIPE_SZ", sz, "bytes");
	pl_measure(c, "PIPE_BUF (fpathconf)", pipe_buf, "bytes");
	if (blocks > 0)
		pl_measure(c, "ulimit -p", blocks, "512-byte blocks");
	pl_check(c, filled > 0, "the pipe fills (capacity is finite)", "> 0 bytes", "%ld bytes", filled);
	pl_check(c, pipe_buf >= 512, "PIPE_BUF is at least _POSIX_PIPE_BUF", ">= 512", "%ld", pipe_buf);
	if (sz > 0)
		pl_check(c, sz == filled, "F_GETPIPE_SZ agrees with filling", "equal", "%ld vs %ld", sz, filled);
	pl_claim(c, "a", "内核中建立缓冲区(一般大小4096) / 使用ulimit -a看当前系统管道文件以及内核缓冲区大小",
		 "the kernel buffer is generally 4096 bytes; `ulimit -a` shows the pipe buffer size",
		 filled == 4096 ? "confirmed" : "refuted");
	char ulimit[96];
	if (blocks > 0)
		snprintf(ulimit, sizeof ulimit, "which `ulimit -p` shows as %ld x 512", blocks);
	else
		snprintf(ulimit, sizeof ulimit, "`ulimit -p` could not be run here (no bash)");
	pl_observed(c, "capacity %ld bytes by filling (F_GETPIPE_SZ %ld)%s; PIPE_BUF, the atomic-write limit, is %ld: %s",
		    filled, sz, filled == 4096 ? ", as the notes say" : ", not 4096", pipe_buf, ulimit);
}

/* ---- b: "SIGPIPE, the process does not terminate" ---- */

static void write_without_reader(pl_actor *a, void *arg)
{
	int fd[2];
	if (arg)
		pl_ignore(a, SIGPIPE);
	if (pl_pipe(a, fd) < 0)
		return;
	pl_close(a, fd[0]);
	PL_MARKED(a, WRITE, pl_write(a, fd[1], "x", 1));
}

static void b_sigpipe_does_not_terminate(pl_case *c, enum pl_kind kind, const void *data);
PL_RULE(.id = "claims/b-sigpipe-does-not-terminate", .rule = "D", .profile = "posix", .labels = "claims",
	.cell = "claims/b-sigpipe-does-not-terminate", .body = b_sigpipe_does_not_terminate,
	.title = "Audit the notes' claim that a writer with no reader gets SIGPIPE but does not terminate",
	.expected = "refuted: at the default disposition SIGPIPE kills the writer (signal 13); only an ignored, caught or blocked SIGPIPE leaves it alive with EPIPE");

static void b_sigpipe_does_not_terminate(pl_case *c, enum pl_kind kind, const void *data)
{
	(void)kind;
	(void)data;
	pl_sandbox *sb = pl_sandbox_new(c, "default disposition");
	int w;
	PL_TRY(pl_run_actor(sb, "writer (SIGPIPE default)", write_without_reader, NULL, &w));
	struct pl_actor_rec *r = pl_rec(sb, w);
	bool killed = r->end_kind == 2 && r->end_code == SIGPIPE;
	pl_expect_killed_by(c, "default SIGPIPE terminates the writer", r, SIGPIPE);
	char end[96];
	pl_actor_end_text(r, end, sizeof end);
	pl_sandbox *sb2 = pl_sandbox_new(c, "SIGPIPE ignored");
	int w2;
	PL_TRY(pl_run_actor(sb2, "writer (SIGPIPE ignored)", write_without_reader, "ignore", &w2));
	pl_expect_marked(c, sb2, w2, WRITE, -1, EPIPE, "ignored SIGPIPE: write fails with EPIPE");
	pl_expect_exit0(c, "ignored SIGPIPE: the writer lives on", pl_rec(sb2, w2));
	pl_claim(c, "b", "读端全部关闭,进程异常(收到SIGPIPE信号,进程不终止)",
		 "all read ends closed: the writer gets SIGPIPE and does not terminate", killed ? "refuted" : "confirmed");
	pl_observed(c, "default disposition: writer %s; ignored: write -1 EPIPE and the writer exits normally", end);
}

/* ---- c: "the kernel grows the pipe when it is not big enough" ---- */

static void fill_then_write(pl_actor *a, void *arg)
{
	(void)arg;
	int fd[2];
	if (pl_pipe(a, fd) < 0)
		return;
	PL_MARKED(a, SIZE_BEFORE, pl_fcntl(a, fd[1], F_GETPIPE_SZ, 0, "F_GETPIPE_SZ before"));
	PL_MARKED(a, FILL, pl_fill(a, fd[1]));
	PL_MARKED(a, SIZE_AFTER, pl_fcntl(a, fd[1], F_GETPIPE_SZ, 0, "F_GETPIPE_SZ after"));
	pl_write(a, fd[1], "more", 4); /* blocks for good: no other reader */
}

static void c_kernel_grows_full_pipe(pl_case *c, enum pl_kind kind, const void *data);
PL_RULE(.id = "claims/c-kernel-grows-a-full-pipe", .rule = "C, N", .profile = "linux", .labels = "claims",
	.cell = "claims/c-kernel-grows-a-full-pipe", .body = c_kernel_grows_full_pipe,
	.title = "Audit the notes' claim that the kernel grows a pipe that is not big enough",
	.expected = "refuted: a full pipe keeps its size and blocks the writer (or EAGAIN); only F_SETPIPE_SZ changes it");

static void c_kernel_grows_full_pipe(pl_case *c, enum pl_kind kind, const void *data)
{
	(void)kind;
	(void)data;
	pl_sandbox *sb = pl_sandbox_new(c, "fill, then write more");
	int w = pl_spawn(sb, "writer", fill_then_write, NULL);
	PL_TRY(pl_await_blocked(sb, w, PL_OP_WRITE));
	long before = step_ret(c, sb, w, SIZE_BEFORE, "F_GETPIPE_SZ before");
	long after = step_ret(c, sb, w, SIZE_AFTER, "F_GETPIPE_SZ after");
	const struct pl_step *fill = pl_marked(c, sb, w, FILL, "fill");
	pl_check(c, before == after, "a full pipe keeps its size", "unchanged", "F_GETPIPE_SZ %ld before, %ld when full",
		 before, after);
	pl_measure(c, "capacity_by_filling", fill ? fill->ret : -1, "bytes");
	pl_claim(c, "c", "管道可能会不够用,内核会扩容", "when the pipe is not big enough the kernel grows it",
		 before == after ? "refuted" : "confirmed");
	pl_observed(c, "filled %ld bytes (EAGAIN after), size stayed %ld; the next blocking write slept in write()",
		    fill ? fill->ret : -1, after);
}

/* ---- d: "a process cannot write and read its own pipe" ---- */

static void talk_to_self(pl_actor *a, void *arg)
{
	(void)arg;
	int fd[2];
	char buf[16] = "";
	if (pl_pipe(a, fd) < 0)
		return;
	pl_write(a, fd[1], "self", 4);
	PL_MARKED(a, READ_BACK, pl_read(a, fd[0], buf, sizeof buf));
}

static void d_cannot_read_own_pipe(pl_case *c, enum pl_kind kind, const void *data);
PL_RULE(.id = "claims/d-process-cannot-read-its-own-pipe", .rule = "A1, C", .profile = "posix", .labels = "claims",
	.cell = "claims/d-process-cannot-read-its-own-pipe", .body = d_cannot_read_own_pipe,
	.title = "Audit the notes' claim that a process cannot write and then read its own pipe",
	.expected = "refuted: one process writes and reads back its own pipe (it would deadlock only by writing more than the capacity first)");

static void d_cannot_read_own_pipe(pl_case *c, enum pl_kind kind, const void *data)
{
	(void)kind;
	(void)data;
	pl_sandbox *sb = pl_sandbox_new(c, "one process, both ends");
	int a;
	PL_TRY(pl_run_actor(sb, "process", talk_to_self, NULL, &a));
	const struct pl_step *r = pl_marked(c, sb, a, READ_BACK, "the read back");
	bool ok = r && r->ret == 4 && !strcmp(r->preview, "self");
	pl_check(c, ok, "the same process reads back what it wrote", "4 bytes \"self\"", "%ld \"%s\"", r ? r->ret : -1,
		 r ? r->preview : "");
	pl_claim(c, "d", "不能进程自己写自己读", "a process cannot write and then read its own pipe", ok ? "refuted" : "confirmed");
	pl_observed(c, "one process wrote \"self\" and read back %ld bytes \"%s\"", r ? r->ret : -1, r ? r->preview : "");
}

/* ---- e: "FIFOs only between related processes" ---- */

static void e_fifo_only_related(pl_case *c, enum pl_kind kind, const void *data);
PL_RULE(.id = "claims/e-fifo-only-between-related-processes", .rule = "H", .profile = "posix", .labels = "claims",
	.cell = "claims/e-fifo-only-between-related-processes", .body = e_fifo_only_related,
	.title = "Audit the notes' claim that a FIFO works only between related processes",
	.expected = "refuted: two separately exec'd programs that share no descriptor talk through a FIFO opened by path");

static void e_fifo_only_related(pl_case *c, enum pl_kind kind, const void *data)
{
	(void)kind;
	(void)data;
	if (!pl_exec_runs(c, PIPELAB_FIFO_PEER))
		return;
	pl_sandbox *sb = pl_sandbox_new(c, "two unrelated programs");
	int wr, rd;
	PL_TRY(run_peers(sb, "hello fifo", true, &wr, &rd));
	bool ok = pl_expect_exit0(c, "the writer program wrote its message", pl_rec(sb, wr));
	ok = pl_check(c, pl_rec(sb, rd)->end_kind == 1 && pl_rec(sb, rd)->end_code == 0,
		      "the reader program got exactly that message", "exit 0 (bytes matched)", "exit %d",
		      pl_rec(sb, rd)->end_code) && ok;
	pl_claim(c, "e", "fifo(命名管道)最简单 只能血缘关系的 ... 没血缘关系的不能",
		 "FIFOs only work between related processes", ok ? "refuted" : "confirmed");
	pl_observed(c, "two exec'd programs sharing no descriptor exchanged \"hello fifo\" through a FIFO opened by path");
}
