/* The notes' claims (../shared/CLAIMS.md), each audited against this system.
 *
 * A claim case measures the facts that decide the claim and records a verdict
 * (confirmed / refuted / imprecise) with them.  A refuted claim is a passing
 * case: the lab checks reality.  The case fails only when the facts break the
 * rule that decides the claim (then the system, not the notes, is wrong). */
#include <limits.h>
#include <sys/wait.h>
#include <unistd.h>

#include "case.h"
#include "readers_share.h"
#include "peer.h"

#define CLAIM_CASE(name, cid, rule, klass, title, expected)                        \
	static void name(pl_case *c, enum pl_kind kind, const void *data);          \
	PL_CASE(claims, name, cid, klass " claims")                                 \
	{                                                                           \
		static const struct pl_case_spec spec = { cid, rule, klass, cid, title, expected }; \
		pl_run(&spec, PL_NOKIND, name, NULL);                               \
	}

static long step_ret(pl_sandbox *sb, int actor, const char *call)
{
	const struct pl_step *s = pl_step_named(sb, actor, call);
	return s && s->done ? s->ret : -1;
}

/* ---- a: "the kernel buffer is generally 4096 bytes" ---- */

static void measure_capacity(pl_actor *a, void *arg)
{
	(void)arg;
	int fd[2];
	if (pl_pipe(a, fd) < 0)
		return;
	struct pl_step *s = pl_begin(a, "fpathconf(_PC_PIPE_BUF)", fd[0]);
	pl_finish(a, s, fpathconf(fd[0], _PC_PIPE_BUF));
	pl_fcntl(a, fd[1], F_GETPIPE_SZ, 0, "F_GETPIPE_SZ");
	pl_fill(a, fd[1]);
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

CLAIM_CASE(a_buffer_is_4096_bytes, "claims/a-buffer-is-4096-bytes", "N, F1", "linux",
	   "Audit the notes' claim that the pipe buffer is generally 4096 bytes",
	   "refuted on Linux: capacity 65536 (F_GETPIPE_SZ and filling); 4096 is PIPE_BUF")

static void a_buffer_is_4096_bytes(pl_case *c, enum pl_kind kind, const void *data)
{
	(void)kind;
	(void)data;
	pl_sandbox *sb = pl_sandbox_new(c, "measure capacity and PIPE_BUF");
	int m;
	PL_TRY(pl_run_actor(sb, "prober", measure_capacity, NULL, &m));
	long pipe_buf = step_ret(sb, m, "fpathconf(_PC_PIPE_BUF)");
	long filled = step_ret(sb, m, "fill");
	long sz = step_ret(sb, m, "F_GETPIPE_SZ");
	char path[600];
	const char *dir = pl_case_tmpdir(c);
	PL_TRY(dir);
	snprintf(path, sizeof path, "%s/ulimit-p", dir);
	int u;
	PL_TRY(pl_run_actor(sb, "shell running ulimit -p", ulimit_p, path, &u));
	long blocks = -1;
	FILE *f = fopen(path, "r");
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
	pl_observed(c, "capacity %ld bytes by filling (F_GETPIPE_SZ %ld), not 4096; 4096 is PIPE_BUF (%ld, the atomic-write limit), which `ulimit -p` shows as %ld x 512",
		    filled, sz, pipe_buf, blocks);
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
	pl_write(a, fd[1], "x", 1);
}

CLAIM_CASE(b_sigpipe_does_not_terminate, "claims/b-sigpipe-does-not-terminate", "D", "posix",
	   "Audit the notes' claim that a writer with no reader gets SIGPIPE but does not terminate",
	   "refuted: at the default disposition SIGPIPE kills the writer (signal 13); only an ignored, caught or blocked SIGPIPE leaves it alive with EPIPE")

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
	pl_expect_step(c, "ignored SIGPIPE: write fails with EPIPE", pl_last_step(sb2, w2, PL_OP_WRITE), -1, EPIPE);
	pl_expect_exit0(c, "ignored SIGPIPE: the writer lives on", pl_rec(sb2, w2));
	pl_claim(c, "b", "读端全部关闭,进程异常(收到SIGPIPE信号,进程不终止)",
		 "all read ends closed: the writer gets SIGPIPE and does not terminate", killed ? "refuted" : "confirmed");
	pl_observed(c, "default disposition: writer %s (a shell reports 141); ignored: write -1 EPIPE and the writer exits normally", end);
}

/* ---- c: "the kernel grows the pipe when it is not big enough" ---- */

static void fill_then_write(pl_actor *a, void *arg)
{
	(void)arg;
	int fd[2];
	if (pl_pipe(a, fd) < 0)
		return;
	pl_fcntl(a, fd[1], F_GETPIPE_SZ, 0, "F_GETPIPE_SZ before");
	pl_fill(a, fd[1]);
	pl_fcntl(a, fd[1], F_GETPIPE_SZ, 0, "F_GETPIPE_SZ after");
	pl_write(a, fd[1], "more", 4); /* blocks for good: no other reader */
}

CLAIM_CASE(c_kernel_grows_full_pipe, "claims/c-kernel-grows-a-full-pipe", "C, N", "linux",
	   "Audit the notes' claim that the kernel grows a pipe that is not big enough",
	   "refuted: a full pipe keeps its size and blocks the writer (or EAGAIN); only F_SETPIPE_SZ changes it")

static void c_kernel_grows_full_pipe(pl_case *c, enum pl_kind kind, const void *data)
{
	(void)kind;
	(void)data;
	pl_sandbox *sb = pl_sandbox_new(c, "fill, then write more");
	int w = pl_spawn(sb, "writer", fill_then_write, NULL);
	PL_TRY(pl_await_blocked(sb, w, PL_OP_WRITE));
	long before = step_ret(sb, w, "F_GETPIPE_SZ before"), after = step_ret(sb, w, "F_GETPIPE_SZ after");
	const struct pl_step *fill = pl_step_named(sb, w, "fill");
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
	pl_read(a, fd[0], buf, sizeof buf);
}

CLAIM_CASE(d_cannot_read_own_pipe, "claims/d-process-cannot-read-its-own-pipe", "A1, C", "posix",
	   "Audit the notes' claim that a process cannot write and then read its own pipe",
	   "refuted: one process writes and reads back its own pipe (it would deadlock only by writing more than the capacity first)")

static void d_cannot_read_own_pipe(pl_case *c, enum pl_kind kind, const void *data)
{
	(void)kind;
	(void)data;
	pl_sandbox *sb = pl_sandbox_new(c, "one process, both ends");
	int a;
	PL_TRY(pl_run_actor(sb, "process", talk_to_self, NULL, &a));
	const struct pl_step *r = pl_last_step(sb, a, PL_OP_READ);
	bool ok = r && r->ret == 4 && !strcmp(r->preview, "self");
	pl_check(c, ok, "the same process reads back what it wrote", "4 bytes \"self\"", "%ld \"%s\"", r ? r->ret : -1,
		 r ? r->preview : "");
	pl_claim(c, "d", "不能进程自己写自己读", "a process cannot write and then read its own pipe", ok ? "refuted" : "confirmed");
	pl_observed(c, "one process wrote \"self\" and read back %ld bytes \"%s\"", r ? r->ret : -1, r ? r->preview : "");
}

/* ---- e: "FIFOs only between related processes" ---- */

CLAIM_CASE(e_fifo_only_related, "claims/e-fifo-only-between-related-processes", "H", "posix",
	   "Audit the notes' claim that a FIFO works only between related processes",
	   "refuted: two separately exec'd programs that share no descriptor talk through a FIFO opened by path")

static void e_fifo_only_related(pl_case *c, enum pl_kind kind, const void *data)
{
	(void)kind;
	(void)data;
	pl_sandbox *sb = pl_sandbox_new(c, "two unrelated programs");
	pl_chan ch;
	PL_TRY(pl_pipe_make(sb, &ch, PL_FIFO));
	struct peer w = { "write", ch.path, "hello fifo" }, r = { "read", ch.path, "hello fifo" };
	int rd = pl_spawn(sb, "reader program", exec_peer, &r);
	int wr = pl_spawn(sb, "writer program", exec_peer, &w);
	PL_TRY(pl_await_end(sb, wr));
	PL_TRY(pl_await_end(sb, rd));
	bool ok = pl_expect_exit0(c, "the writer program wrote its message", pl_rec(sb, wr));
	ok = pl_check(c, pl_rec(sb, rd)->end_kind == 1 && pl_rec(sb, rd)->end_code == 0,
		      "the reader program got exactly that message", "exit 0 (bytes matched)", "exit %d",
		      pl_rec(sb, rd)->end_code) && ok;
	pl_claim(c, "e", "fifo(命名管道)最简单 只能血缘关系的 ... 没血缘关系的不能",
		 "FIFOs only work between related processes", ok ? "refuted" : "confirmed");
	pl_observed(c, "two exec'd programs sharing no descriptor exchanged \"hello fifo\" through a FIFO opened by path");
}

/* ---- f: "many writers: order not guaranteed" ---- */

#define REC 64
#define WRITERS 4
#define PER_WRITER 50

static void tagged_writer(pl_actor *a, void *arg)
{
	pl_chan *ch = arg;
	int fd = pl_end(a, ch, PL_WRITE_END);
	char rec[REC];
	for (int i = 0; i < PER_WRITER; i++) {
		memset(rec, '.', sizeof rec);
		snprintf(rec, sizeof rec, "w%d:%04d:", a->index, i);
		rec[REC - 1] = '\n';
		if (write(fd, rec, sizeof rec) != (ssize_t)sizeof rec) /* one call: atomic (F2) */
			pl_note(a, "short write at record %d", i);
	}
	pl_close(a, fd);
}

static void stream_reader(pl_actor *a, void *arg)
{
	pl_chan *ch = arg;
	int fd = pl_end(a, ch, PL_READ_END);
	char buf[8192];
	ssize_t n;
	pl_post_cue(a, 0);
	while ((n = read(fd, buf, sizeof buf)) > 0)
		pl_share(a, buf, (size_t)n);
	pl_note(a, "read until %s", n == 0 ? "EOF" : pl_errno_name(errno));
}

CLAIM_CASE(f_many_writers_order_not_guaranteed, "claims/f-many-writers-order-not-guaranteed", "F", "posix",
	   "Audit the notes' claim that with several writers the order is not guaranteed",
	   "imprecise: the bytes are FIFO; each write <= PIPE_BUF arrives whole and each writer's own order is kept; only the order between writers depends on scheduling")

static void f_many_writers_order_not_guaranteed(pl_case *c, enum pl_kind kind, const void *data)
{
	(void)kind;
	(void)data;
	pl_sandbox *sb = pl_sandbox_new(c, "4 writers x 50 tagged records, one reader");
	pl_chan ch;
	PL_TRY(pl_pipe_make(sb, &ch, PL_PIPE));
	int r = pl_spawn(sb, "reader", stream_reader, &ch);
	int w[WRITERS];
	for (int i = 0; i < WRITERS; i++)
		w[i] = pl_spawn(sb, "writer", tagged_writer, &ch);
	pl_pipe_seal(sb, &ch);
	PL_TRY(pl_await_end(sb, r));
	size_t len;
	const unsigned char *d = pl_shared_data(sb, &len);
	int next[PL_MAX_ACTORS] = { 0 }, intact = 0, in_order = 0, switches = 0, last = -1;
	for (size_t off = 0; off + REC <= len; off += REC) {
		int who = -1, seq = -1;
		if (sscanf((const char *)d + off, "w%d:%d:", &who, &seq) == 2 && d[off + REC - 1] == '\n' && who > 0 &&
		    who < PL_MAX_ACTORS) {
			intact++;
			in_order += seq == next[who];
			next[who] = seq + 1;
			switches += last >= 0 && last != who;
			last = who;
		}
	}
	int total = WRITERS * PER_WRITER;
	(void)w;
	pl_check(c, len == (size_t)total * REC, "every byte arrives, none invented", "12800 bytes", "%zu bytes", len);
	pl_check(c, intact == total, "every record (<= PIPE_BUF, one write) arrives whole", "200 intact", "%d intact", intact);
	pl_check(c, in_order == total, "each writer's records keep that writer's order", "200 in order", "%d in order",
		 in_order);
	pl_measure(c, "writer switches in the stream", switches, "of 199 boundaries");
	pl_claim(c, "f", "允许pipe有多个写端,多个读端,但不能保证读和写的顺序",
		 "multiple writers and readers are allowed but read/write order is not guaranteed", "imprecise");
	pl_observed(c, "%d of %d records intact, %d in their writer's order; the stream switched writer %d times (scheduling decides only that)",
		    intact, total, in_order, switches);
}

/* ---- g: "many readers: what reader 1 read, reader 2 cannot" ---- */

CLAIM_CASE(g_many_readers_each_byte_once, "claims/g-many-readers-each-byte-once", "B3, F", "linux",
	   "Audit the notes' claim that with several readers what one reads another cannot",
	   "imprecise (right in substance): every byte goes to exactly one reader; record boundaries are not kept by the pipe")

static void g_many_readers_each_byte_once(pl_case *c, enum pl_kind kind, const void *data)
{
	(void)kind;
	(void)data;
	struct share_tally t;
	PL_TRY(share_records(c, PL_PIPE, &t));
	pl_check(c, t.dup == 0, "no record is read by two readers", "0 duplicates", "%d", t.dup);
	pl_check(c, t.missing == 0, "every record is read by some reader", "0 missing", "%d", t.missing);
	pl_claim(c, "g", "一读多写:写顺序不能保证 全部出队 / 多读一些:取出顺序不能保证,但是进程1读了的进程2读不到",
		 "one reader, many writers: order not guaranteed, all dequeued; many readers: what reader 1 read reader 2 cannot",
		 "imprecise");
	pl_observed(c, "3 readers proven asleep in read() on the empty pipe; %d records read once each (readers got %d, %d, %d), %d duplicated, %d missing",
		    t.got, t.per[0], t.per[1], t.per[2], t.dup, t.missing);
}

/* ---- h: "half-duplex, one direction; data cannot be re-read" ---- */

static void direction_and_consumption(pl_actor *a, void *arg)
{
	(void)arg;
	int p[2], q[2];
	char buf[8];
	if (pl_pipe(a, p) < 0 || pl_pipe(a, q) < 0)
		return;
	pl_write(a, p[0], "x", 1);   /* the read end */
	pl_read(a, p[1], buf, 1);    /* the write end */
	pl_write(a, p[1], "abc", 3);
	struct pl_step *s = pl_begin(a, "tee", p[0]);
	pl_finish(a, s, tee(p[0], q[1], 3, SPLICE_F_NONBLOCK));
	pl_read(a, p[0], buf, sizeof buf);
	pl_set_nonblock(a, p[0], true);
	pl_read(a, p[0], buf, sizeof buf); /* consumed: nothing left */
	pl_read(a, q[0], buf, sizeof buf); /* tee's copy */
}

CLAIM_CASE(h_half_duplex_no_reread, "claims/h-half-duplex-and-no-reread", "A4, P2", "linux",
	   "Audit the notes' claim that a pipe is half-duplex and its data cannot be re-read",
	   "imprecise: Linux pipes are one-way (EBADF on the wrong end) and reads consume, but tee(2) copies without consuming")

static void h_half_duplex_no_reread(pl_case *c, enum pl_kind kind, const void *data)
{
	(void)kind;
	(void)data;
	pl_sandbox *sb = pl_sandbox_new(c, "direction and consumption");
	int a;
	PL_TRY(pl_run_actor(sb, "process", direction_and_consumption, NULL, &a));
	struct pl_actor_rec *r = pl_rec(sb, a);
	const struct pl_step *st = r->steps;
	int n = r->nsteps;
	if (n < 10) {
		pl_broken(c, "the scenario stopped after %d calls", n);
		return;
	}
	/* steps: pipe, pipe, write(read end), read(write end), write, tee, read, fcntl, read, read */
	pl_expect_step(c, "write on the read end", &st[2], -1, EBADF);
	pl_expect_step(c, "read on the write end", &st[3], -1, EBADF);
	pl_expect_step(c, "tee copies the 3 bytes", &st[5], 3, 0);
	pl_expect_step(c, "the first read gets them", &st[6], 3, 0);
	pl_expect_step(c, "a second read finds them consumed", &st[8], -1, EAGAIN);
	pl_expect_step(c, "tee's copy is still readable", &st[9], 3, 0);
	pl_claim(c, "h", "半双工通信,只能单方向流动 / 数据不可反复读取 / 内核使用环状队列机制",
		 "half-duplex, one direction; data cannot be re-read; a ring queue in the kernel", "imprecise");
	pl_observed(c, "wrong-end write and read: EBADF (one-way); a read consumed \"abc\" (next read EAGAIN), but tee had copied it without consuming");
}

/* ---- i and j: blocking, which the notes get right ---- */

static void reader_of_empty(pl_actor *a, void *arg)
{
	pl_chan *ch = arg;
	char b;
	int fd = pl_end(a, ch, PL_READ_END);
	pl_read(a, fd, &b, 1);
}

static void hold_write_end(pl_actor *a, void *arg)
{
	pl_end(a, arg, PL_WRITE_END);
	pl_wait_cue(a, 0); /* holds it until the scenario ends */
}

static void hold_read_end(pl_actor *a, void *arg)
{
	pl_end(a, arg, PL_READ_END);
	pl_wait_cue(a, 0);
}

static long cpu_ticks(pid_t pid)
{
	char path[64], buf[1024];
	snprintf(path, sizeof path, "/proc/%d/stat", pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	long ut = -1, st = -1;
	if (fgets(buf, sizeof buf, f)) {
		const char *p = strrchr(buf, ')');
		if (p)
			sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %ld %ld", &ut, &st);
	}
	fclose(f);
	return ut < 0 ? -1 : ut + st;
}

CLAIM_CASE(i_reader_blocks_and_yields_cpu, "claims/i-reader-blocks-and-yields-cpu", "B", "posix",
	   "Audit the notes' claim that a reader of an empty pipe with writers blocks and yields the CPU",
	   "confirmed: the reader sleeps (state S) inside read()")

static void i_reader_blocks_and_yields_cpu(pl_case *c, enum pl_kind kind, const void *data)
{
	(void)kind;
	(void)data;
	pl_sandbox *sb = pl_sandbox_new(c, "reader of an empty pipe");
	pl_chan ch;
	PL_TRY(pl_pipe_make(sb, &ch, PL_PIPE));
	pl_spawn(sb, "writer holding its end", hold_write_end, &ch);
	int r = pl_spawn(sb, "reader", reader_of_empty, &ch);
	pl_pipe_seal(sb, &ch);
	bool blocked = pl_await_blocked(sb, r, PL_OP_READ);
	long ticks = cpu_ticks(pl_rec(sb, r)->pid);
	pl_measure(c, "reader CPU time when proven asleep", ticks, "clock ticks");
	pl_claim(c, "i", "没数据: 写端没全部关闭,阻塞等待,让出cpu(挂起)",
		 "no data and writers still open: the reader blocks and yields the CPU (sleeps)",
		 blocked ? "confirmed" : "refuted");
	pl_observed(c, "reader asleep in read() (state S, /proc syscall read), %ld CPU ticks used in all", ticks);
}

static void filling_writer(pl_actor *a, void *arg)
{
	pl_chan *ch = arg;
	int fd = pl_end(a, ch, PL_WRITE_END);
	pl_fill(a, fd);
	pl_write(a, fd, "x", 1);
}

CLAIM_CASE(j_full_pipe_blocks_rarely, "claims/j-full-pipe-blocks-rarely", "C", "posix",
	   "Audit the notes' claim that a full pipe blocks the writer, which is rare",
	   "confirmed that it blocks; \"rare\" is a judgement: the capacity fills in well under a millisecond when the reader is slow")

static void j_full_pipe_blocks_rarely(pl_case *c, enum pl_kind kind, const void *data)
{
	(void)kind;
	(void)data;
	pl_sandbox *sb = pl_sandbox_new(c, "writer fills a pipe nobody reads yet");
	pl_chan ch;
	PL_TRY(pl_pipe_make(sb, &ch, PL_PIPE));
	pl_spawn(sb, "reader that does not read", hold_read_end, &ch);
	int w = pl_spawn(sb, "writer", filling_writer, &ch);
	pl_pipe_seal(sb, &ch);
	bool blocked = pl_await_blocked(sb, w, PL_OP_WRITE);
	const struct pl_step *fill = pl_step_named(sb, w, "fill");
	double us = fill ? (double)(fill->t_exit_ns - fill->t_enter_ns) / 1e3 : -1;
	pl_measure(c, "time to fill the pipe", (long)us, "microseconds");
	pl_claim(c, "j", "管道满:阻塞(少见)", "a full pipe blocks the writer (rare)", blocked ? "confirmed" : "refuted");
	pl_observed(c, "%ld bytes filled in %.0f us; the next write slept in write()", fill ? fill->ret : -1, us);
}
