/* Readiness seen by one process while another is asleep in read() on the
 * same read end.  docs/rules.md K, S1, B.  (The readiness suite continues
 * here: readiness.c holds the closed-descriptor rules.)
 *
 * POSIX poll(): POLLIN "Data other than high-priority data may be read
 * without blocking"; POSIX pselect(): a descriptor is ready for reading "when
 * a call to an input function with O_NONBLOCK clear would not block".  A
 * reader waiting for data adds none: the pipe is not readable.  POSIX read():
 * a read of an empty pipe with a writer "shall block the calling thread until
 * some data is written", so the write wakes the blocked reader, the only
 * process that reads, and it gets the bytes.  Whether the poller, also
 * asleep, sees POLLIN before the reader takes them is scheduling: POSIX
 * allows both, and the case records which it saw. */
#include <poll.h>
#include <sys/select.h>

#include "case.h"

/* WRITER_OPEN: the FIFO's writer is there, so no reader ever sees a FIFO
 * that has had no writer yet (EOF, not the empty pipe under test). */
enum cue { WRITER_OPEN, OPENED, READ_NOW, POLL_NOW, POLLED, WRITE_NOW, CLOSE_NOW };
enum mark { READ, POLL_EMPTY, POLL_EMPTY_REVENTS, SELECT_EMPTY, POLL_WAIT, POLL_WAIT_REVENTS, WRITE };

static const char MESSAGE[] = "abc";

static void reader(pl_actor *a, void *arg)
{
	char buf[256];
	int fd = pl_end(a, arg, PL_READ_END);
	pl_wait_cue(a, WRITER_OPEN);
	pl_wait_cue(a, READ_NOW);
	PL_MARKED(a, READ, pl_read(a, fd, buf, sizeof buf));
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

/* poll's first argument is its array, not the descriptor: the blocking
 * proof of "poll" is recorded without one (fd -1). */
static void poller(pl_actor *a, void *arg)
{
	int fd = pl_end(a, arg, PL_READ_END);
	pl_wait_cue(a, WRITER_OPEN);
	pl_post_cue(a, OPENED);
	pl_wait_cue(a, POLL_NOW);
	struct pollfd p = { .fd = fd, .events = POLLIN };
	PL_CALL_AS(a, POLL_EMPTY, "poll, no timeout", fd, poll(&p, 1, 0));
	PL_CALL_AS(a, POLL_EMPTY_REVENTS, "its revents", fd, p.revents);
	fd_set r;
	FD_ZERO(&r);
	FD_SET(fd, &r);
	struct timeval none = { 0, 0 };
	PL_CALL_AS(a, SELECT_EMPTY, "select, no timeout", fd, select(fd + 1, &r, NULL, NULL, &none));
	pl_post_cue(a, POLLED);
	struct pl_step *s = pl_begin(a, "poll", -1);
	pl_mark_step(a, POLL_WAIT, s);
	long n;
	do
		n = poll(&p, 1, -1);
	while (pl_probe_retry(s, n < 0 && errno == EINTR));
	pl_finish(a, s, n);
	PL_CALL_AS(a, POLL_WAIT_REVENTS, "the waiting poll's revents", fd, p.revents);
}

/* Verify that while one process is asleep in read() on an empty pipe,
 * another sees the read end not readable (poll and select); that a write
 * then wakes the blocked reader with exactly its bytes; and record whether
 * the second process, asleep in poll() meanwhile, saw POLLIN first or
 * stayed asleep once the reader had taken them (both allowed). */
static void not_readable_while_blocked(pl_case *c, enum pl_kind kind, const void *data)
{
	(void)data;
	pl_sandbox *sb = pl_sandbox_new(c, "a reader asleep in read(), a poller beside it");
	pl_chan ch;
	PL_TRY(pl_pipe_make(sb, &ch, kind));
	int w = pl_spawn(sb, "writer", writer, &ch);
	int r = pl_spawn(sb, "reader", reader, &ch);
	int p = pl_spawn(sb, "poller", poller, &ch);
	pl_pipe_seal(sb, &ch);
	/* The poller has its end (pipe2: made blocking, flags shared with the
	 * reader's) before the reader reads. */
	PL_TRY(pl_await_cue(sb, OPENED));
	pl_cue(sb, READ_NOW);
	PL_TRY(pl_await_blocked_why(sb, r, PL_OP_READ, "the pipe was empty and a writer had it open"));
	pl_cue(sb, POLL_NOW);
	PL_TRY(pl_await_cue(sb, POLLED));
	pl_expect_marked(c, sb, p, POLL_EMPTY, 0, 0, "poll while another process blocks in read: nothing ready");
	pl_expect_marked(c, sb, p, POLL_EMPTY_REVENTS, 0, 0, "its revents (no POLLIN)");
	pl_expect_marked(c, sb, p, SELECT_EMPTY, 0, 0, "select while another process blocks in read: not ready");
	PL_TRY(pl_await_blocked_in(sb, p, "poll"));
	pl_cue(sb, WRITE_NOW);
	PL_TRY(pl_await_step_done(sb, w, PL_OP_WRITE));
	pl_expect_marked(c, sb, w, WRITE, sizeof MESSAGE - 1, 0, "the write");
	/* The write has returned: a reader it woke is no longer asleep. */
	bool reader_asleep = pl_probe_still_blocked(sb, r, PL_OP_READ, NULL, 0);
	pl_check(c, !reader_asleep, "the write wakes the blocked reader", "its read returns",
		 "%s", reader_asleep ? "still asleep in read() with the bytes in the pipe" : "returned");
	const struct pl_step *rd = pl_marked(c, sb, r, READ, "the blocked read");
	if (reader_asleep || !rd)
		return;
	pl_expect_step(c, "the woken read returns the write's bytes", rd, sizeof MESSAGE - 1, 0);
	pl_check(c, !strcmp(rd->preview, MESSAGE), "the woken read returns exactly those bytes", MESSAGE, "%s",
		 rd->preview);
	bool poller_asleep = pl_probe_still_blocked(sb, p, PL_OP_CALL, "poll", 0);
	if (!poller_asleep) {
		const struct pl_step *ps = pl_marked(c, sb, p, POLL_WAIT, "the waiting poll");
		PL_TRY(ps && pl_await_end(sb, p));
		const struct pl_step *pw = pl_find_marked(sb, p, POLL_WAIT_REVENTS);
		pl_expect_step(c, "the woken poll reports one descriptor", ps, 1, 0);
		pl_check(c, pw && (pw->ret & POLLIN), "the woken poll reports POLLIN", "POLLIN", "%#lx",
			 pw ? pw->ret : -1);
	}
	pl_measure(c, "poller saw POLLIN before the reader took the bytes", !poller_asleep, "bool");
	pl_cue(sb, CLOSE_NOW);
	PL_TRY(pl_await_end(sb, p));
	pl_observed(c, "reader asleep in read(); poll and select beside it: not readable; the write woke the reader with \"%s\"; "
		       "the poller %s", rd->preview,
		    poller_asleep ? "stayed asleep (the reader took the bytes first) until the writer closed"
				  : "returned POLLIN before the reader took them");
}

PL_RULE(.id = "readiness/not-readable-while-another-reader-blocks", .rule = "K, S1, B", .profile = "posix",
	.kinds = PL_ON_ALL_KINDS, .body = not_readable_while_blocked,
	.title = "Verify that a read end is not readable to poll or select while another process is asleep in read() on it, and that a write wakes that reader with its bytes (POSIX poll(), pselect(), read())",
	.expected = "poll 0, revents 0; select 0; the woken read returns \"abc\"; measured: the poller saw POLLIN first or stayed asleep");
