/* Threads of one process blocked on one descriptor.  docs/rules.md S8, B,
 * E.  Each thread is an actor of its own (pl_spawn_threaded), proven asleep
 * from /proc/PID/task/TID like a process.
 *
 * POSIX read(): a read of an empty pipe with a writer "shall block the
 * calling thread until some data is written or the pipe is closed by all
 * processes that had the pipe open for writing" -- the thread, not the
 * process, so a second thread blocks the same way.  A write of at most
 * PIPE_BUF bytes is one atomic write (POSIX write()), and the woken reader
 * takes its bytes (the project's reading of read(), as in
 * wakeup/reader-gets-exactly-the-written-bytes): the other thread finds
 * nothing and, a writer still being there, blocks on.  When the last writer
 * closes, "read() shall return 0" to it. */
#include "case.h"

enum { THREADS = 2 };
/* WRITER_OPEN: the FIFO's writer is there before the threads read (a FIFO
 * that has had no writer yet gives EOF, not the empty pipe under test). */
enum cue { WRITER_OPEN, WRITE_NOW, CLOSE_NOW };
enum mark { READ, WRITE };

static const char MESSAGE[] = "0123456789abcdef";

struct readers {
	pl_chan ch;
	int fd;
};

static void thread_reader(pl_actor *a, void *arg)
{
	const struct readers *r = arg;
	char buf[256];
	PL_MARKED(a, READ, pl_read(a, r->fd, buf, sizeof buf));
}

static void two_threads(pl_actor *a, void *arg)
{
	struct readers *r = arg;
	r->fd = pl_end(a, &r->ch, PL_READ_END);
	pl_wait_cue(a, WRITER_OPEN);
	for (int i = 0; i < THREADS; i++)
		if (!pl_thread_start(a, i, thread_reader, r))
			return;
	pl_thread_join_all(a);
}

static void writer(pl_actor *a, void *arg)
{
	int fd = pl_end(a, arg, PL_WRITE_END);
	pl_post_cue(a, WRITER_OPEN);
	pl_wait_cue(a, WRITE_NOW);
	PL_MARKED(a, WRITE, pl_write(a, fd, MESSAGE, sizeof MESSAGE - 1));
	pl_wait_cue(a, CLOSE_NOW);
	pl_close(a, fd);
}

/* Verify that two threads of one process both block in read() on the same
 * empty pipe; that one write of 16 bytes (<= PIPE_BUF) gives all of them to
 * exactly one thread while the other stays asleep; and that the last
 * writer's close then wakes the other with 0. */
static void one_write_one_thread(pl_case *c, enum pl_kind kind, const void *data)
{
	(void)data;
	struct readers rs = { .fd = -1 };
	pl_sandbox *sb = pl_sandbox_new(c, "two threads asleep in read() on one descriptor");
	PL_TRY(pl_pipe_make(sb, &rs.ch, kind));
	int w = pl_spawn(sb, "writer", writer, &rs.ch);
	int t[THREADS];
	/* Its threads are named "reader thread 1", "reader thread 2". */
	int p = pl_spawn_threaded(sb, "reader", two_threads, &rs, THREADS, t);
	pl_pipe_seal(sb, &rs.ch);
	for (int i = 0; i < THREADS; i++)
		PL_TRY(pl_await_blocked_why(sb, t[i], PL_OP_READ, "the pipe was empty and a writer had it open"));
	pl_cue(sb, WRITE_NOW);
	PL_TRY(pl_await_step_done(sb, w, PL_OP_WRITE));
	pl_expect_marked(c, sb, w, WRITE, sizeof MESSAGE - 1, 0, "the write of 16 bytes");
	/* The write has returned: a thread it woke is no longer asleep (one
	 * woken in vain sleeps again, and is seen asleep once more). */
	bool asleep[THREADS];
	int woken = 0, got = -1;
	for (int i = 0; i < THREADS; i++) {
		asleep[i] = pl_probe_still_blocked(sb, t[i], PL_OP_READ, NULL, 0);
		if (!asleep[i]) {
			woken++;
			got = i;
		}
	}
	if (!pl_check(c, woken == 1, "the write wakes exactly one thread's read", "1",
		      "%d returned%s", woken, woken ? "" : "; both still asleep with the bytes in the pipe"))
		return;
	int other = t[1 - got];
	const struct pl_step *rd = pl_marked(c, sb, t[got], READ, "the woken thread's read");
	if (!rd)
		return;
	pl_expect_step(c, "the woken thread's read returns all 16 bytes", rd, sizeof MESSAGE - 1, 0);
	pl_check(c, !strcmp(rd->preview, MESSAGE), "the woken thread gets exactly the written bytes", MESSAGE, "%s",
		 rd->preview);
	PL_TRY(pl_await_still_blocked(sb, other, PL_OP_READ));
	pl_cue(sb, CLOSE_NOW);
	PL_TRY(pl_await_end(sb, w));
	PL_TRY(pl_await_end(sb, p));
	pl_expect_marked(c, sb, other, READ, 0, 0, "the other thread's read, after the last writer closed");
	pl_observed(c, "both threads proven asleep in read(); the write gave \"%s\" to thread %d, thread %d stayed asleep "
		       "until the writer's close woke it with 0", rd->preview, got + 1, 2 - got);
}

PL_RULE(.id = "threads/one-write-wakes-one-of-two-blocked-threads", .rule = "S8, B, E", .profile = "posix",
	.kinds = PL_ON_ALL_KINDS, .body = one_write_one_thread,
	.title = "Verify that of two threads asleep in read() on one descriptor, a write of <= PIPE_BUF bytes goes whole to one while the other stays asleep until the last writer's close gives it 0 (POSIX read(), write())",
	.expected = "one thread reads the 16 bytes; the other stays asleep, then returns 0");
