/* Wake-ups around the notes' tables: what wakes a blocked reader or writer,
 * and what the woken call returns. */
#include "case.h"

enum { OPENED, READ_NOW, WRITE_NOW, DRAIN, CLOSE_READER, FINISH };
enum mark { FIRST_READ, REST, GET_SIZE, FILL, WRITE };

struct setup {
	pl_chan pipe;
	size_t write_size; /* for the writer-side scenarios */
};

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
	PL_MARKED(a, FIRST_READ, pl_read(a, fd, buf, sizeof buf));
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
	const struct pl_step *first = pl_marked(c, sb, r, FIRST_READ, "the woken read");
	if (!first)
		return;
	pl_expect_step(c, "the woken read returns the write's byte count", first, sizeof MESSAGE - 1, 0);
	pl_check(c, !strcmp(first->preview, MESSAGE), "the woken read returns exactly those bytes", MESSAGE, "%s",
		 first->preview);
	pl_observed(c, "woken read returned %ld bytes \"%s\"; the next read blocked again", first->ret, first->preview);
}

PL_RULE(.id = "wakeup/reader-gets-exactly-the-written-bytes", .rule = "B, G1", .profile = "posix",
	.cell = "read/open/no-data", .kinds = PL_ON_ALL_KINDS, .body = woken_reader,
	.title = "Verify that a blocked reader is woken by a write and gets exactly those bytes",
	.expected = "the woken read returns the 16 written bytes; a second read blocks again");

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
	PL_MARKED(a, REST, pl_read_full(a, fd, buf, sizeof buf));
}

static void full_writer(pl_actor *a, void *arg)
{
	struct setup *s = arg;
	static char big[1 << 20];
	memset(big, 'w', sizeof big);
	int fd = pl_end(a, &s->pipe, PL_WRITE_END);
	PL_MARKED(a, GET_SIZE, pl_fcntl(a, fd, F_GETPIPE_SZ, 0, "F_GETPIPE_SZ"));
	PL_MARKED(a, FILL, pl_fill(a, fd));
	pl_post_cue(a, WRITE_NOW);
	PL_MARKED(a, WRITE, pl_write(a, fd, big, s->write_size));
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
	const struct pl_step *getsz = pl_marked(c, sb, w, GET_SIZE, "F_GETPIPE_SZ");
	const struct pl_step *fill = pl_marked(c, sb, w, FILL, "fill");
	const struct pl_step *wr = pl_marked(c, sb, w, WRITE, "write");
	const struct pl_step *rest = pl_marked(c, sb, r, REST, "the read of what is left");
	if (!getsz || !fill || !wr || !rest)
		return;
	long sz = getsz->ret, filled = fill->ret;
	pl_measure(c, "F_GETPIPE_SZ", sz, "bytes");
	pl_measure(c, "capacity_by_filling", filled, "bytes");
	pl_check(c, sz > 0 && sz == filled, "capacity: F_GETPIPE_SZ confirmed by filling", "equal",
		 "F_GETPIPE_SZ %ld, filled %ld", sz, filled);
	pl_expect_step(c, "the blocked write returns its full count", wr, 4096, 0);
	pl_check(c, rest->ret == filled, "every byte arrives (capacity + 4096 - 4096 drained)", "capacity",
		 "%ld left after the drain", rest->ret);
	pl_observed(c, "capacity %ld by F_GETPIPE_SZ and by filling; writer asleep in write() until 4096 bytes were drained; write returned 4096", sz);
}

PL_RULE(.id = "wakeup/full-pipe-blocks-writer-until-drained", .rule = "C, C4, N, G1", .profile = "linux",
	.cell = "write/open/full", .kinds = PL_ON_ALL_KINDS, .body = full_blocks_until_drained,
	.title = "Verify that a full pipe blocks a writer until a page is drained, then the write completes",
	.expected = "write blocks; after draining 4096 bytes it returns 4096; nothing is lost");

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
	PL_MARKED(a, GET_SIZE, pl_fcntl(a, fd, F_GETPIPE_SZ, 0, "F_GETPIPE_SZ"));
	if (s->write_size == 0) {
		pl_fill(a, fd);
		pl_post_cue(a, WRITE_NOW);
		PL_MARKED(a, WRITE, pl_write(a, fd, "x", 1));
	} else {
		pl_post_cue(a, WRITE_NOW);
		PL_MARKED(a, WRITE, pl_write(a, fd, big, s->write_size));
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
	const struct pl_step *wstep = pl_marked(c, sb, w, WRITE, "write");
	if (!wstep)
		return;
	if (partial) {
		const struct pl_step *sz = pl_marked(c, sb, w, GET_SIZE, "F_GETPIPE_SZ");
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

PL_RULE(.id = "wakeup/blocked-writer-epipe-on-last-reader-close", .rule = "C, D", .profile = "linux",
	.cell = "write/closed/full", .kinds = PL_ON_ALL_KINDS, .body = woken_by_last_reader_close,
	.title = "Verify that a writer blocked on a full pipe is woken by the last reader's close",
	.expected = "-1 EPIPE and SIGPIPE");

PL_RULE(.id = "wakeup/blocked-writer-short-count-on-last-reader-close", .rule = "C, D", .profile = "linux",
	.cell = "write/closed/full", .kinds = PL_ON_ALL_KINDS, .body = woken_by_last_reader_close, .data = "partial",
	.title = "Verify that a writer blocked on a full pipe is woken by the last reader's close",
	.expected = "the bytes already written (the capacity) and SIGPIPE");
