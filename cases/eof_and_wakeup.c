/* End of file and wake-ups around the notes' tables: who holds a write end,
 * what wakes a blocked reader or writer, and what the woken call returns. */
#include "case.h"

enum { OPENED, HOLDER_OPEN, WRITER_GONE, READ_NOW, HOLDER_CLOSE, WRITE_NOW, DRAIN, CLOSE_READER, FINISH };

struct setup {
	pl_chan pipe;
	size_t write_size; /* for the writer-side scenarios */
};

/* ---- E1: EOF only when every write end is closed, in every process ---- */

static void eof_writer(pl_actor *a, void *arg)
{
	struct setup *s = arg;
	int fd = pl_end(a, &s->pipe, PL_WRITE_END);
	pl_wait_cue(a, HOLDER_OPEN);
	pl_close(a, fd);
}

static void eof_holder(pl_actor *a, void *arg)
{
	struct setup *s = arg;
	int fd = pl_end(a, &s->pipe, PL_WRITE_END);
	pl_post_cue(a, HOLDER_OPEN);
	pl_wait_cue(a, HOLDER_CLOSE);
	pl_close(a, fd);
}

static void eof_reader(pl_actor *a, void *arg)
{
	struct setup *s = arg;
	char buf[64];
	int fd = pl_end(a, &s->pipe, PL_READ_END);
	pl_wait_cue(a, READ_NOW);
	pl_read(a, fd, buf, sizeof buf);
}

/* Verify that a reader gets no EOF while a forked child still holds a copy of
 * the write end, although the writer itself closed it; EOF comes with the
 * child's close.  Rule E1 (POSIX read(); pipe(7)); the notes' "write ends not
 * all closed" row. */
static void eof_withheld(pl_case *c, enum pl_kind kind, const void *data)
{
	(void)data;
	struct setup s = { 0 };
	pl_sandbox *sb = pl_sandbox_new(c, "eof withheld while a child holds the write end");
	PL_TRY(pl_pipe_make(sb, &s.pipe, kind));
	int r = pl_spawn(sb, "reader", eof_reader, &s);
	int w = pl_spawn(sb, "writer", eof_writer, &s);
	int h = pl_spawn(sb, "child holding a write end", eof_holder, &s);
	pl_pipe_seal(sb, &s.pipe);
	PL_TRY(pl_await_cue(sb, HOLDER_OPEN));
	PL_TRY(pl_await_end(sb, w));
	pl_cue(sb, READ_NOW);
	PL_TRY(pl_await_blocked(sb, r, PL_OP_READ));
	pl_observed(c, "writer closed, child still holds a write end: reader asleep in read(), no EOF");
	pl_cue(sb, HOLDER_CLOSE);
	PL_TRY(pl_await_step_done(sb, r, PL_OP_READ));
	PL_TRY(pl_await_end(sb, h));
	pl_expect_step(c, "read returns EOF once the last write end is closed", pl_last_step(sb, r, PL_OP_READ), 0, 0);
	pl_observed(c, "after the child's close: read returned 0");
}

PL_CASE(eof, withheld_while_child_holds_write_end_pipe, "eof/withheld-while-child-holds-write-end@pipe", "posix")
{
	static const struct pl_case_spec spec = {
		"eof/withheld-while-child-holds-write-end", "E1", "posix", "read/open/no-data",
		"Verify that EOF is withheld while a forked child holds a write end, and comes with its close",
		"read blocks while any write end is open anywhere; returns 0 after the last close" };
	pl_run(&spec, PL_PIPE, eof_withheld, NULL);
}

PL_CASE(eof, withheld_while_child_holds_write_end_fifo, "eof/withheld-while-child-holds-write-end@fifo", "posix")
{
	static const struct pl_case_spec spec = {
		"eof/withheld-while-child-holds-write-end", "E1", "posix", "read/open/no-data",
		"Verify that EOF is withheld while another process holds the FIFO open for writing",
		"read blocks while any write end is open anywhere; returns 0 after the last close" };
	pl_run(&spec, PL_FIFO, eof_withheld, NULL);
}

/* ---- B: a blocked reader gets exactly the bytes of the waking write ---- */

static const char MESSAGE[] = "0123456789abcdef";

static void wake_writer(pl_actor *a, void *arg)
{
	struct setup *s = arg;
	int fd = pl_end(a, &s->pipe, PL_WRITE_END);
	pl_post_cue(a, OPENED);
	pl_wait_cue(a, WRITE_NOW);
	pl_write(a, fd, MESSAGE, sizeof MESSAGE - 1);
	pl_wait_cue(a, FINISH);
}

static void wake_reader(pl_actor *a, void *arg)
{
	struct setup *s = arg;
	char buf[256];
	int fd = pl_end(a, &s->pipe, PL_READ_END);
	pl_wait_cue(a, READ_NOW);
	pl_read(a, fd, buf, sizeof buf);
	pl_read(a, fd, buf, sizeof buf); /* nothing left over: blocks again */
}

/* Verify that a reader blocked on an empty pipe is woken by a write, gets
 * exactly those bytes (no more, no less), and blocks again on the emptied
 * pipe.  Rule B; the notes' "blocks" cell and their "data cannot be re-read". */
static void woken_reader(pl_case *c, enum pl_kind kind, const void *data)
{
	(void)data;
	struct setup s = { 0 };
	pl_sandbox *sb = pl_sandbox_new(c, "blocked reader woken by a write");
	PL_TRY(pl_pipe_make(sb, &s.pipe, kind));
	int w = pl_spawn(sb, "writer", wake_writer, &s);
	int r = pl_spawn(sb, "reader", wake_reader, &s);
	pl_pipe_seal(sb, &s.pipe);
	PL_TRY(pl_await_cue(sb, OPENED));
	pl_cue(sb, READ_NOW);
	PL_TRY(pl_await_blocked(sb, r, PL_OP_READ));
	pl_cue(sb, WRITE_NOW);
	PL_TRY(pl_await_step_done(sb, w, PL_OP_WRITE));
	PL_TRY(pl_await_blocked(sb, r, PL_OP_READ)); /* the second read */
	struct pl_actor_rec *rec = pl_rec(sb, r);
	const struct pl_step *first = &rec->steps[rec->nsteps - 2];
	pl_expect_step(c, "the woken read returns the write's byte count", first, sizeof MESSAGE - 1, 0);
	pl_check(c, !strcmp(first->preview, MESSAGE), "the woken read returns exactly those bytes", MESSAGE, "%s",
		 first->preview);
	pl_observed(c, "woken read returned %ld bytes \"%s\"; the next read blocked again", first->ret, first->preview);
}

PL_CASE(wakeup, blocked_reader_gets_exactly_the_written_bytes_pipe, "wakeup/reader-gets-exactly-the-written-bytes@pipe", "posix")
{
	static const struct pl_case_spec spec = {
		"wakeup/reader-gets-exactly-the-written-bytes", "B", "posix", "read/open/no-data",
		"Verify that a blocked reader is woken by a write and gets exactly those bytes",
		"the woken read returns the 16 written bytes; a second read blocks again" };
	pl_run(&spec, PL_PIPE, woken_reader, NULL);
}

PL_CASE(wakeup, blocked_reader_gets_exactly_the_written_bytes_fifo, "wakeup/reader-gets-exactly-the-written-bytes@fifo", "posix")
{
	static const struct pl_case_spec spec = {
		"wakeup/reader-gets-exactly-the-written-bytes", "B", "posix", "read/open/no-data",
		"Verify that a blocked FIFO reader is woken by a write and gets exactly those bytes",
		"the woken read returns the 16 written bytes; a second read blocks again" };
	pl_run(&spec, PL_FIFO, woken_reader, NULL);
}

/* ---- C: the writer side ---- */

static void full_reader(pl_actor *a, void *arg)
{
	struct setup *s = arg;
	static char buf[1 << 20];
	int fd = pl_end(a, &s->pipe, PL_READ_END);
	pl_post_cue(a, OPENED);
	pl_wait_cue(a, DRAIN);
	pl_read_full(a, fd, buf, 4096);
	pl_wait_cue(a, CLOSE_READER);
	/* What is left, up to EOF: nothing may be lost or invented. */
	pl_read_full(a, fd, buf, sizeof buf);
}

static void full_writer(pl_actor *a, void *arg)
{
	struct setup *s = arg;
	static char big[1 << 20];
	memset(big, 'w', sizeof big);
	int fd = pl_end(a, &s->pipe, PL_WRITE_END);
	pl_fcntl(a, fd, F_GETPIPE_SZ, 0, "F_GETPIPE_SZ");
	pl_fill(a, fd);
	pl_post_cue(a, WRITE_NOW);
	pl_write(a, fd, big, s->write_size);
	pl_close(a, fd);
}

/* Verify that a writer on a full pipe blocks until the reader drains a page,
 * and that its blocking write then returns the full count, with every byte
 * delivered.  Rule C, C4; the notes' write-table "blocks" cell. */
static void full_blocks_until_drained(pl_case *c, enum pl_kind kind, const void *data)
{
	(void)data;
	struct setup s = { .write_size = 4096 };
	pl_sandbox *sb = pl_sandbox_new(c, "full pipe blocks the writer until drained");
	PL_TRY(pl_pipe_make(sb, &s.pipe, kind));
	int r = pl_spawn(sb, "reader", full_reader, &s);
	int w = pl_spawn(sb, "writer", full_writer, &s);
	pl_pipe_seal(sb, &s.pipe);
	PL_TRY(pl_await_cue(sb, WRITE_NOW));
	PL_TRY(pl_await_blocked(sb, w, PL_OP_WRITE));
	pl_cue(sb, DRAIN);
	PL_TRY(pl_await_step_done(sb, w, PL_OP_WRITE));
	pl_cue(sb, CLOSE_READER);
	PL_TRY(pl_await_end(sb, r));
	const struct pl_step *getsz = pl_step_named(sb, w, "F_GETPIPE_SZ"), *fill = pl_step_named(sb, w, "fill");
	long sz = getsz ? getsz->ret : -1, filled = fill ? fill->ret : -1;
	pl_measure(c, "F_GETPIPE_SZ", sz, "bytes");
	pl_measure(c, "capacity_by_filling", filled, "bytes");
	pl_check(c, sz > 0 && sz == filled, "capacity: F_GETPIPE_SZ confirmed by filling", "equal",
		 "F_GETPIPE_SZ %ld, filled %ld", sz, filled);
	pl_expect_step(c, "the blocked write returns its full count", pl_last_step(sb, w, PL_OP_WRITE), 4096, 0);
	const struct pl_step *rest = pl_last_step(sb, r, PL_OP_READ);
	pl_check(c, rest && rest->ret == filled, "every byte arrives (capacity + 4096 - 4096 drained)", "capacity",
		 "%ld left after the drain", rest ? rest->ret : -1);
	pl_observed(c, "capacity %ld by F_GETPIPE_SZ and by filling; writer asleep in write() until 4096 bytes were drained; write returned 4096", sz);
}

PL_CASE(wakeup, full_pipe_blocks_writer_until_drained_pipe, "wakeup/full-pipe-blocks-writer-until-drained@pipe", "linux")
{
	static const struct pl_case_spec spec = {
		"wakeup/full-pipe-blocks-writer-until-drained", "C, C4, N", "linux", "write/open/full",
		"Verify that a full pipe blocks a writer until a page is drained, then the write completes",
		"write blocks; after draining 4096 bytes it returns 4096; nothing is lost" };
	pl_run(&spec, PL_PIPE, full_blocks_until_drained, NULL);
}

PL_CASE(wakeup, full_pipe_blocks_writer_until_drained_fifo, "wakeup/full-pipe-blocks-writer-until-drained@fifo", "linux")
{
	static const struct pl_case_spec spec = {
		"wakeup/full-pipe-blocks-writer-until-drained", "C, C4, N", "linux", "write/open/full",
		"Verify that a full FIFO blocks a writer until a page is drained, then the write completes",
		"write blocks; after draining 4096 bytes it returns 4096; nothing is lost" };
	pl_run(&spec, PL_FIFO, full_blocks_until_drained, NULL);
}

static void closing_reader(pl_actor *a, void *arg)
{
	struct setup *s = arg;
	int fd = pl_end(a, &s->pipe, PL_READ_END);
	pl_post_cue(a, OPENED);
	pl_wait_cue(a, CLOSE_READER);
	pl_close(a, fd);
}

static void blocked_writer(pl_actor *a, void *arg)
{
	struct setup *s = arg;
	static char big[1 << 20];
	memset(big, 'b', sizeof big);
	int fd = pl_end(a, &s->pipe, PL_WRITE_END);
	pl_catch(a, SIGPIPE); /* survive, so the write's return can be seen */
	pl_fcntl(a, fd, F_GETPIPE_SZ, 0, "F_GETPIPE_SZ");
	if (s->write_size == 0) {
		pl_fill(a, fd);
		pl_post_cue(a, WRITE_NOW);
		pl_write(a, fd, "x", 1);
	} else {
		pl_post_cue(a, WRITE_NOW);
		pl_write(a, fd, big, s->write_size);
	}
}

/* Verify that a writer blocked on a full pipe is woken when the last reader
 * closes: with nothing yet written by the call it gets -1 EPIPE, with part
 * written it gets the short count; SIGPIPE is raised either way.  Rule C
 * (last row), CLARIFICATIONS 6. */
static void woken_by_last_reader_close(pl_case *c, enum pl_kind kind, const void *data)
{
	bool partial = data != NULL;
	struct setup s = { 0 };
	pl_sandbox *sb = pl_sandbox_new(c, partial ? "writer blocked part-way, last reader closes"
						   : "writer blocked on a full pipe, last reader closes");
	PL_TRY(pl_pipe_make(sb, &s.pipe, kind));
	/* The partial case writes more than the pipe holds into an empty pipe: it
	 * transfers the capacity, then sleeps with that much already written. */
	s.write_size = partial ? (1 << 20) : 0;
	int r = pl_spawn(sb, "reader", closing_reader, &s);
	int w = pl_spawn(sb, "writer", blocked_writer, &s);
	pl_pipe_seal(sb, &s.pipe);
	PL_TRY(pl_await_cue(sb, OPENED));
	PL_TRY(pl_await_cue(sb, WRITE_NOW));
	PL_TRY(pl_await_blocked(sb, w, PL_OP_WRITE));
	pl_cue(sb, CLOSE_READER);
	PL_TRY(pl_await_end(sb, r));
	PL_TRY(pl_await_end(sb, w));
	struct pl_actor_rec *wr = pl_rec(sb, w);
	const struct pl_step *sz = pl_step_named(sb, w, "F_GETPIPE_SZ");
	const struct pl_step *wstep = pl_last_step(sb, w, PL_OP_WRITE);
	if (partial) {
		long cap = sz ? sz->ret : -1;
		pl_measure(c, "F_GETPIPE_SZ", cap, "bytes");
		pl_expect_step(c, "the woken write returns the short count it had transferred", wstep, cap, 0);
	} else {
		pl_expect_step(c, "the woken write, having written nothing, fails with EPIPE", wstep, -1, EPIPE);
	}
	pl_check(c, wr->caught[SIGPIPE] == 1, "SIGPIPE is raised", "caught once", "caught %d time(s)",
		 (int)wr->caught[SIGPIPE]);
	char out[64];
	pl_observed(c, "writer asleep in write(); after the last reader's close write returned %s and SIGPIPE was caught %d time(s)",
		    pl_step_outcome(wstep, out, sizeof out), (int)wr->caught[SIGPIPE]);
}

#define WOKEN_BY_CLOSE(name, cid, kind, kname, partial, expect)                                     \
	PL_CASE(wakeup, name##_##kname, cid "@" #kname, "linux")                                  \
	{                                                                                         \
		static const struct pl_case_spec spec = {                                         \
			cid, "C, D", "linux", "write/closed/full",                               \
			"Verify that a writer blocked on a full pipe is woken by the last reader's close", \
			expect };                                                                 \
		pl_run(&spec, kind, woken_by_last_reader_close, partial);                         \
	}

WOKEN_BY_CLOSE(blocked_writer_gets_epipe_when_last_reader_closes, "wakeup/blocked-writer-epipe-on-last-reader-close",
	       PL_PIPE, pipe, NULL, "-1 EPIPE and SIGPIPE")
WOKEN_BY_CLOSE(blocked_writer_gets_epipe_when_last_reader_closes, "wakeup/blocked-writer-epipe-on-last-reader-close",
	       PL_FIFO, fifo, NULL, "-1 EPIPE and SIGPIPE")
WOKEN_BY_CLOSE(blocked_writer_gets_short_count_when_last_reader_closes, "wakeup/blocked-writer-short-count-on-last-reader-close",
	       PL_PIPE, pipe, "partial", "the bytes already written (the capacity) and SIGPIPE")
WOKEN_BY_CLOSE(blocked_writer_gets_short_count_when_last_reader_closes, "wakeup/blocked-writer-short-count-on-last-reader-close",
	       PL_FIFO, fifo, "partial", "the bytes already written (the capacity) and SIGPIPE")
WOKEN_BY_CLOSE(blocked_writer_gets_epipe_when_last_reader_closes, "wakeup/blocked-writer-epipe-on-last-reader-close",
	       PL_PIPE2, pipe2, NULL, "-1 EPIPE and SIGPIPE")
WOKEN_BY_CLOSE(blocked_writer_gets_short_count_when_last_reader_closes, "wakeup/blocked-writer-short-count-on-last-reader-close",
	       PL_PIPE2, pipe2, "partial", "the bytes already written (the capacity) and SIGPIPE")

/* The same rules on a pipe made non-blocking by pipe2 and normalised to
 * blocking by each actor: the kind must not matter once the flag is cleared. */
PL_CASE(eof, withheld_while_child_holds_write_end_pipe2, "eof/withheld-while-child-holds-write-end@pipe2", "posix")
{
	static const struct pl_case_spec spec = {
		"eof/withheld-while-child-holds-write-end", "E1, G1", "posix", "read/open/no-data",
		"Verify that EOF is withheld while a forked child holds a write end, on a pipe2(O_NONBLOCK) pipe made blocking",
		"read blocks while any write end is open anywhere; returns 0 after the last close" };
	pl_run(&spec, PL_PIPE2, eof_withheld, NULL);
}

PL_CASE(wakeup, full_pipe_blocks_writer_until_drained_pipe2, "wakeup/full-pipe-blocks-writer-until-drained@pipe2", "linux")
{
	static const struct pl_case_spec spec = {
		"wakeup/full-pipe-blocks-writer-until-drained", "C, C4, N, G1", "linux", "write/open/full",
		"Verify that a full pipe blocks a writer until a page is drained, on a pipe2(O_NONBLOCK) pipe made blocking",
		"write blocks; after draining 4096 bytes it returns 4096; nothing is lost" };
	pl_run(&spec, PL_PIPE2, full_blocks_until_drained, NULL);
}

PL_CASE(wakeup, blocked_reader_gets_exactly_the_written_bytes_pipe2, "wakeup/reader-gets-exactly-the-written-bytes@pipe2", "posix")
{
	static const struct pl_case_spec spec = {
		"wakeup/reader-gets-exactly-the-written-bytes", "B, G1", "posix", "read/open/no-data",
		"Verify that a blocked reader is woken by a write and gets exactly those bytes, on a pipe2(O_NONBLOCK) pipe made blocking",
		"the woken read returns the 16 written bytes; a second read blocks again" };
	pl_run(&spec, PL_PIPE2, woken_reader, NULL);
}
