/* Who an epoll wake-up reaches: several processes, each asleep in
 * epoll_wait on its own epoll instance watching the same read end with
 * EPOLLEXCLUSIVE.  docs/rules.md S2.  (The epoll suite continues here:
 * epoll.c holds the readiness states and the flags' EINVAL rules.)
 *
 * epoll_ctl(2) EPOLLEXCLUSIVE (Linux >= 4.5): "when a wakeup event occurs
 * and multiple epoll file descriptors are attached to the same target file
 * using EPOLLEXCLUSIVE, one or more of the epoll file descriptors will
 * receive an event with epoll_wait(2).  The default in this scenario (when
 * EPOLLEXCLUSIVE is not set) is for all epoll file descriptors to receive an
 * event."  So every write must wake at least one of the waiters still
 * asleep; how many it wakes is measured (fs/eventpoll.c wakes one waiter
 * that sleeps and wants the event), never asserted. */
#include <sys/epoll.h>

#include "case.h"

enum { WAITERS = 4 };
/* Cues: WRITE_NOW + i makes write i; WROTE + i says it has returned; the
 * writer keeps its end open until DONE (its close would wake waiters too).
 * WRITER_OPEN: the FIFO's writer is there before anyone waits (a FIFO that
 * has had no writer yet reports EPOLLHUP, not the empty pipe under test). */
enum cue { WRITE_NOW, WROTE = WRITE_NOW + WAITERS, DONE = WROTE + WAITERS, WRITER_OPEN };
enum mark { ADD, WAIT, EVENTS, TAKE, WRITE };

static void waiter(pl_actor *a, void *arg)
{
	char buf[16];
	int fd = pl_end(a, arg, PL_READ_END);
	pl_wait_cue(a, WRITER_OPEN);
	int ep = epoll_create1(EPOLL_CLOEXEC);
	struct epoll_event e = { .events = EPOLLIN | EPOLLEXCLUSIVE, .data.u64 = (uint64_t)fd };
	PL_CALL_AS(a, ADD, "epoll_ctl ADD EPOLLIN|EPOLLEXCLUSIVE", fd, epoll_ctl(ep, EPOLL_CTL_ADD, fd, &e));
	struct pl_step *s = pl_begin(a, "epoll_wait", ep);
	pl_mark_step(a, WAIT, s);
	long n;
	do
		n = epoll_wait(ep, &e, 1, -1);
	while (pl_probe_retry(s, n < 0 && errno == EINTR));
	pl_finish(a, s, n);
	PL_CALL_AS(a, EVENTS, "its events", fd, n == 1 ? (long)e.events : 0);
	/* Take the byte (a waiter woken with another may find it gone), so the
	 * next write starts from an empty pipe on every kernel. */
	pl_set_nonblock(a, fd, true);
	PL_MARKED(a, TAKE, pl_read(a, fd, buf, sizeof buf));
}

/* Writes on cue; the writes left over when every waiter was woken sooner
 * go into a pipe with no reader (EPIPE, not judged). */
static void writer(pl_actor *a, void *arg)
{
	int fd = pl_end(a, arg, PL_WRITE_END);
	pl_post_cue(a, WRITER_OPEN);
	pl_ignore(a, SIGPIPE);
	for (int i = 0; i < WAITERS; i++) {
		pl_wait_cue(a, WRITE_NOW + i);
		PL_MARKED(a, WRITE, pl_write(a, fd, "x", 1));
		pl_post_cue(a, WROTE + i);
	}
	pl_wait_cue(a, DONE);
}

/* The waiters the write just made woke: each either returned from
 * epoll_wait with the event (then it ends, having taken the byte) or is
 * asleep in it (never woken, or woken after another had taken the byte:
 * epoll checks the pipe again before it reports).  Returns how many
 * returned, or -1 when the case has been marked. */
static int woken_now(pl_case *c, pl_sandbox *sb, const int *w, bool *asleep)
{
	int k = 0;
	for (int j = 0; j < WAITERS; j++) {
		if (!asleep[j] || pl_probe_still_blocked(sb, w[j], PL_OP_CALL, "epoll_wait", 0))
			continue;
		asleep[j] = false;
		k++;
		if (!pl_await_end(sb, w[j]))
			return -1;
		const struct pl_step *ev = pl_marked(c, sb, w[j], EVENTS, "the woken waiter's events");
		if (!ev)
			return -1;
		pl_expect_marked(c, sb, w[j], WAIT, 1, 0, "a woken epoll_wait returns one event");
		pl_check(c, ev->ret & EPOLLIN, "the woken waiter's event is EPOLLIN", "EPOLLIN", "%#lx", ev->ret);
	}
	return k;
}

/* Verify that with several processes asleep in epoll_wait on their own
 * epoll instances, each watching the read end with EPOLLEXCLUSIVE, every
 * write into the empty pipe wakes at least one of those still asleep, the
 * rest proven still asleep; measured: how many the first write wakes. */
static void each_write_wakes_one_or_more(pl_case *c, enum pl_kind kind, const void *data)
{
	(void)data;
	pl_sandbox *sb = pl_sandbox_new(c, "4 exclusive epoll waiters, one write at a time");
	pl_chan ch;
	PL_TRY(pl_pipe_make(sb, &ch, kind));
	int wr = pl_spawn(sb, "writer", writer, &ch);
	int w[WAITERS];
	bool asleep[WAITERS];
	for (int j = 0; j < WAITERS; j++)
		w[j] = pl_spawn(sb, "waiter", waiter, &ch);
	pl_pipe_seal(sb, &ch);
	for (int j = 0; j < WAITERS; j++) {
		if (!pl_await_blocked_in(sb, w[j], "epoll_wait")) {
			pl_expect_marked(c, sb, w[j], ADD, 0, 0, "epoll_ctl ADD with EPOLLEXCLUSIVE");
			return;
		}
		asleep[j] = true;
	}
	int left = WAITERS, first = -1, writes = 0;
	char counts[64] = "";
	for (int i = 0; i < WAITERS && left > 0; i++) {
		pl_cue(sb, WRITE_NOW + i);
		PL_TRY(pl_await_cue(sb, WROTE + i));
		writes++;
		int k = woken_now(c, sb, w, asleep);
		if (k < 0)
			return;
		char what[96];
		snprintf(what, sizeof what, "write %d wakes at least one of the %d waiters still asleep", i + 1, left);
		if (!pl_check(c, k >= 1, what, ">= 1", "%d woken; the others proven still asleep in epoll_wait", k))
			return;
		first = first < 0 ? k : first;
		left -= k;
		size_t used = strlen(counts);
		snprintf(counts + used, sizeof counts - used, "%s%d", used ? ", " : "", k);
	}
	for (int i = writes; i < WAITERS; i++)
		pl_cue(sb, WRITE_NOW + i);
	pl_cue(sb, DONE);
	PL_TRY(pl_await_end(sb, wr));
	pl_measure(c, "exclusive epoll waiters returning from one write (of 4 asleep)", first, "waiters");
	pl_measure(c, "writes to wake 4 exclusive epoll waiters", writes, "writes");
	pl_observed(c, "4 waiters proven asleep in epoll_wait; woken per write: %s (the rest proven still asleep each time)",
		    counts);
}

PL_RULE(.id = "epoll/exclusive-each-write-wakes-one-or-more", .rule = "S2", .profile = "linux",
	.kinds = PL_ON_ALL_KINDS, .labels = "measured", .body = each_write_wakes_one_or_more,
	.title = "Verify that with 4 processes asleep in epoll_wait on their own instances watching the read end with EPOLLEXCLUSIVE, each write wakes at least one still asleep (epoll_ctl(2) EPOLLEXCLUSIVE)",
	.expected = ">= 1 woken per write, the others still asleep; measured: woken by the first write (Linux: 1)");
