/* The notes' claims f to j (the others are in claims.c; one suite,
 * claims, split to keep each file short): several writers and readers,
 * re-reading, and blocking.  See claims.c for how a claim is audited. */
#include <limits.h>
#include <unistd.h>

#include "case.h"
#include "readers_share.h"

/* Calls the judges find, by the mark the actors gave them. */
enum mark { FILL };

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

static void f_many_writers_order_not_guaranteed(pl_case *c, enum pl_kind kind, const void *data);
PL_RULE(.id = "claims/f-many-writers-order-not-guaranteed", .rule = "F", .profile = "posix", .labels = "claims",
	.cell = "claims/f-many-writers-order-not-guaranteed", .body = f_many_writers_order_not_guaranteed,
	.title = "Audit the notes' claim that with several writers the order is not guaranteed",
	.expected = "imprecise: the bytes are FIFO; each write <= PIPE_BUF arrives whole and each writer's own order is kept; only the order between writers depends on scheduling");

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

static void g_many_readers_each_byte_once(pl_case *c, enum pl_kind kind, const void *data);
PL_RULE(.id = "claims/g-many-readers-each-byte-once", .rule = "B3, F", .profile = "linux", .labels = "claims",
	.cell = "claims/g-many-readers-each-byte-once", .body = g_many_readers_each_byte_once,
	.title = "Audit the notes' claim that with several readers what one reads another cannot",
	.expected = "imprecise (right in substance): every byte goes to exactly one reader; record boundaries are not kept by the pipe");

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

enum direction_mark { WRONG_END_WRITE, WRONG_END_READ, TEE, FIRST_READ, SECOND_READ, COPY_READ };

static void direction_and_consumption(pl_actor *a, void *arg)
{
	(void)arg;
	int p[2], q[2];
	char buf[8];
	if (pl_pipe(a, p) < 0 || pl_pipe(a, q) < 0)
		return;
	PL_MARKED(a, WRONG_END_WRITE, pl_write(a, p[0], "x", 1)); /* the read end */
	PL_MARKED(a, WRONG_END_READ, pl_read(a, p[1], buf, 1));   /* the write end */
	pl_write(a, p[1], "abc", 3);
	PL_CALL_AS(a, TEE, "tee", p[0], tee(p[0], q[1], 3, SPLICE_F_NONBLOCK));
	PL_MARKED(a, FIRST_READ, pl_read(a, p[0], buf, sizeof buf));
	pl_set_nonblock(a, p[0], true);
	PL_MARKED(a, SECOND_READ, pl_read(a, p[0], buf, sizeof buf)); /* consumed: nothing left */
	PL_MARKED(a, COPY_READ, pl_read(a, q[0], buf, sizeof buf));   /* tee's copy */
}

static void h_half_duplex_no_reread(pl_case *c, enum pl_kind kind, const void *data);
PL_RULE(.id = "claims/h-half-duplex-and-no-reread", .rule = "A4, P2", .profile = "linux", .labels = "claims",
	.cell = "claims/h-half-duplex-and-no-reread", .body = h_half_duplex_no_reread,
	.title = "Audit the notes' claim that a pipe is half-duplex and its data cannot be re-read",
	.expected = "imprecise: Linux pipes are one-way (EBADF on the wrong end) and reads consume, but tee(2) copies without consuming");

static void h_half_duplex_no_reread(pl_case *c, enum pl_kind kind, const void *data)
{
	(void)kind;
	(void)data;
	pl_sandbox *sb = pl_sandbox_new(c, "direction and consumption");
	int a;
	PL_TRY(pl_run_actor(sb, "process", direction_and_consumption, NULL, &a));
	pl_expect_marked(c, sb, a, WRONG_END_WRITE, -1, EBADF, "write on the read end");
	pl_expect_marked(c, sb, a, WRONG_END_READ, -1, EBADF, "read on the write end");
	pl_expect_marked(c, sb, a, TEE, 3, 0, "tee copies the 3 bytes");
	pl_expect_marked(c, sb, a, FIRST_READ, 3, 0, "the first read gets them");
	pl_expect_marked(c, sb, a, SECOND_READ, -1, EAGAIN, "a second read finds them consumed");
	pl_expect_marked(c, sb, a, COPY_READ, 3, 0, "tee's copy is still readable");
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

static void i_reader_blocks_and_yields_cpu(pl_case *c, enum pl_kind kind, const void *data);
PL_RULE(.id = "claims/i-reader-blocks-and-yields-cpu", .rule = "B", .profile = "posix", .labels = "claims",
	.cell = "claims/i-reader-blocks-and-yields-cpu", .body = i_reader_blocks_and_yields_cpu,
	.title = "Audit the notes' claim that a reader of an empty pipe with writers blocks and yields the CPU",
	.expected = "confirmed: the reader sleeps (state S) inside read()");

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
	long ticks = cpu_ticks(pl_actor_pid(sb, r));
	pl_measure(c, "reader CPU time when proven asleep", ticks, "clock ticks");
	pl_claim(c, "i", "没数据: 写端没全部关闭,阻塞等待,让出cpu(挂起)",
		 "no data and writers still open: the reader blocks and yields the CPU (sleeps)",
		 blocked ? "confirmed" : "refuted");
	/* How it was proven (/proc, or the probe) is in the blocking evidence. */
	pl_observed(c, "reader %s in read(), %ld CPU ticks used in all", blocked ? "proven asleep" : "not proven asleep", ticks);
}

static void filling_writer(pl_actor *a, void *arg)
{
	pl_chan *ch = arg;
	int fd = pl_end(a, ch, PL_WRITE_END);
	PL_MARKED(a, FILL, pl_fill(a, fd));
	pl_write(a, fd, "x", 1);
}

static void j_full_pipe_blocks_rarely(pl_case *c, enum pl_kind kind, const void *data);
PL_RULE(.id = "claims/j-full-pipe-blocks-rarely", .rule = "C", .profile = "posix", .labels = "claims",
	.cell = "claims/j-full-pipe-blocks-rarely", .body = j_full_pipe_blocks_rarely,
	.title = "Audit the notes' claim that a full pipe blocks the writer, which is rare",
	.expected = "confirmed that it blocks; \"rare\" is a judgement: the capacity fills in well under a millisecond when the reader is slow");

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
	const struct pl_step *fill = pl_marked(c, sb, w, FILL, "fill");
	double us = fill ? (double)(fill->t_exit_ns - fill->t_enter_ns) / 1e3 : -1;
	pl_measure(c, "time to fill the pipe", (long)us, "microseconds");
	pl_claim(c, "j", "管道满:阻塞(少见)", "a full pipe blocks the writer (rare)", blocked ? "confirmed" : "refuted");
	pl_observed(c, "%ld bytes filled in %.0f us; the next write slept in write()", fill ? fill->ret : -1, us);
}
