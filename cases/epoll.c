/* Readiness through epoll(7) on pipes and FIFOs.  BEHAVIOURS.md K and S2.
 * epoll is Linux-only: every rule here is `linux`, and the one answer that
 * changed between kernel releases (which writes wake an edge-triggered
 * waiter) is measured, not asserted.  Sources: epoll(7), epoll_ctl(2),
 * fs/pipe.c pipe_poll. */
#include <sys/epoll.h>
#include <unistd.h>

#include "case.h"

/* An epoll instance watching one descriptor. */
static int watch(int fd, unsigned events)
{
	int ep = epoll_create1(EPOLL_CLOEXEC);
	struct epoll_event e = { .events = events, .data.u64 = (uint64_t)fd };
	if (ep >= 0 && epoll_ctl(ep, EPOLL_CTL_ADD, fd, &e) != 0) {
		close(ep);
		return -1;
	}
	return ep;
}

/* The events one epoll_wait without waiting reports: 0 none, -1 failed. */
static long events_now(int ep)
{
	struct epoll_event e;
	int n = epoll_wait(ep, &e, 1, 0);
	return n < 0 ? -1 : n == 0 ? 0 : (long)e.events;
}

/* Both ends, blocking: pipe() here, or the FIFO opened reader first (H2). */
static bool ep_ends(pl_actor *a, const pl_chan *ch, int fd[2])
{
	if (ch->kind != PL_FIFO)
		return pl_pipe(a, fd) == 0;
	fd[0] = pl_open(a, ch->path, O_RDONLY | O_NONBLOCK);
	fd[1] = pl_open(a, ch->path, O_WRONLY | O_NONBLOCK);
	return fd[0] >= 0 && fd[1] >= 0 && pl_set_nonblock(a, fd[0], false) == 0 && pl_set_nonblock(a, fd[1], false) == 0;
}

/* Empty the pipe; the descriptor stays non-blocking. */
static void drain(int fd)
{
	char b[4096];
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	while (read(fd, b, sizeof b) > 0)
		;
}

/* The states a level-triggered registration goes through, each one marked
 * call; the edge-triggered and flag scenarios have their own. */
enum level_mark { L_EMPTY, L_NOT_FULL, L_DATA, L_DATA_AGAIN, L_FULL, L_HUP_DATA, L_HUP_EMPTY, L_NOREADER, L_NOREADER_EV0 };
static const char *const LEVEL[] = {
	[L_EMPTY] = "read end, empty",
	[L_NOT_FULL] = "write end, not full",
	[L_DATA] = "read end, data",
	[L_DATA_AGAIN] = "read end, data, asked again",
	[L_FULL] = "write end, full",
	[L_HUP_DATA] = "read end, no writer, data left",
	[L_HUP_EMPTY] = "read end, no writer, drained",
	[L_NOREADER] = "write end, no reader",
	[L_NOREADER_EV0] = "write end, no reader (events 0)",
};
enum edge_mark { E_EMPTY, E_FIRST, E_AGAIN, E_SECOND, E_DRAINED, E_REFILLED };
static const char *const EDGE[] = {
	[E_EMPTY] = "empty",
	[E_FIRST] = "after the first write",
	[E_AGAIN] = "asked again, nothing new",
	[E_SECOND] = "after a second write, data unread",
	[E_DRAINED] = "drained",
	[E_REFILLED] = "after a write into the drained pipe",
};
enum flags_mark { F_FIRST, F_SECOND, F_REARM, F_REARMED, F_EX_ADD, F_EX_MOD, F_EX_ONESHOT, F_EX_DATA };
static const char *const FLAGS[] = {
	[F_FIRST] = "first wait",
	[F_SECOND] = "second wait, data still there",
	[F_REARM] = "EPOLL_CTL_MOD re-arms",
	[F_REARMED] = "wait after re-arming",
	[F_EX_ADD] = "EPOLL_CTL_ADD with EPOLLEXCLUSIVE",
	[F_EX_MOD] = "EPOLL_CTL_MOD with EPOLLEXCLUSIVE",
	[F_EX_ONESHOT] = "EPOLLEXCLUSIVE with EPOLLONESHOT",
	[F_EX_DATA] = "exclusive waiter sees data",
};

/* Level-triggered registrations through every state of the tables. */
static void level_states(pl_actor *a, void *arg)
{
	const pl_chan *ch = arg;
	int fd[2];
	if (!ep_ends(a, ch, fd))
		return;
	int epr = watch(fd[0], EPOLLIN), epw = watch(fd[1], EPOLLOUT);
	PL_CALL_IN(a, LEVEL, L_EMPTY, fd[0], events_now(epr));
	PL_CALL_IN(a, LEVEL, L_NOT_FULL, fd[1], events_now(epw));
	pl_write(a, fd[1], "ab", 2);
	PL_CALL_IN(a, LEVEL, L_DATA, fd[0], events_now(epr));
	PL_CALL_IN(a, LEVEL, L_DATA_AGAIN, fd[0], events_now(epr));
	pl_fill(a, fd[1]);
	PL_CALL_IN(a, LEVEL, L_FULL, fd[1], events_now(epw));
	pl_close(a, fd[1]);
	PL_CALL_IN(a, LEVEL, L_HUP_DATA, fd[0], events_now(epr));
	drain(fd[0]);
	PL_CALL_IN(a, LEVEL, L_HUP_EMPTY, fd[0], events_now(epr));
	pl_close(a, fd[0]);
	if (!ep_ends(a, ch, fd))
		return;
	epw = watch(fd[1], EPOLLOUT);
	int ep0 = watch(fd[1], 0);
	pl_close(a, fd[0]);
	PL_CALL_IN(a, LEVEL, L_NOREADER, fd[1], events_now(epw));
	PL_CALL_IN(a, LEVEL, L_NOREADER_EV0, fd[1], events_now(ep0));
}

/* "EPOLLIN|EPOLLHUP", "none", "failed" */
static const char *ev(long r, char *buf, size_t n)
{
	static const struct {
		long bit;
		const char *name;
	} EV[] = { { EPOLLIN, "EPOLLIN" }, { EPOLLOUT, "EPOLLOUT" }, { EPOLLHUP, "EPOLLHUP" }, { EPOLLERR, "EPOLLERR" } };
	size_t k = (size_t)snprintf(buf, n, "%s", r < 0 ? "failed" : r == 0 ? "none" : "");
	for (size_t i = 0; r > 0 && i < sizeof EV / sizeof EV[0] && k < n; i++)
		if (r & EV[i].bit)
			k += (size_t)snprintf(buf + k, n - k, "%s%s", k ? "|" : "", EV[i].name);
	return buf;
}

static void expect_ev(pl_case *c, pl_sandbox *sb, int a, int mark, const char *state, long want)
{
	const long M = EPOLLIN | EPOLLOUT | EPOLLHUP | EPOLLERR;
	const struct pl_step *s = pl_marked(c, sb, a, mark, state);
	char w[64], o[64];
	long got = s && s->done ? (s->ret < 0 ? -1 : s->ret & M) : -1;
	if (s)
		pl_check(c, got == want, state, ev(want, w, sizeof w), "%s", ev(got, o, sizeof o));
}

/* One rule's states and the events each must show. */
struct ep_rule {
	int n;
	enum level_mark state[4];
	long want[4];
};

static void level_rule(pl_case *c, enum pl_kind kind, const void *data)
{
	const struct ep_rule *r = data;
	pl_sandbox *sb = pl_sandbox_new(c, "epoll, level-triggered, each state");
	pl_chan ch = { .kind = kind };
	if (kind == PL_FIFO)
		PL_TRY(pl_pipe_make(sb, &ch, kind));
	int a;
	PL_TRY(pl_run_actor(sb, "process", level_states, &ch, &a));
	for (int i = 0; i < r->n; i++)
		expect_ev(c, sb, a, r->state[i], LEVEL[r->state[i]], r->want[i]);
	pl_observed(c, "epoll_wait reported the events of the rule in every state it names");
}

static void edge_actor(pl_actor *a, void *arg)
{
	const pl_chan *ch = arg;
	int fd[2];
	if (!ep_ends(a, ch, fd))
		return;
	int ep = watch(fd[0], EPOLLIN | EPOLLET);
	PL_CALL_IN(a, EDGE, E_EMPTY, fd[0], events_now(ep));
	pl_write(a, fd[1], "a", 1);
	PL_CALL_IN(a, EDGE, E_FIRST, fd[0], events_now(ep));
	PL_CALL_IN(a, EDGE, E_AGAIN, fd[0], events_now(ep));
	pl_write(a, fd[1], "b", 1);
	PL_CALL_IN(a, EDGE, E_SECOND, fd[0], events_now(ep));
	drain(fd[0]);
	PL_CALL_IN(a, EDGE, E_DRAINED, fd[0], events_now(ep));
	pl_write(a, fd[1], "c", 1);
	PL_CALL_IN(a, EDGE, E_REFILLED, fd[0], events_now(ep));
}

/* Verify that an edge-triggered registration reports an edge once: EPOLLIN
 * after a write into an empty pipe, nothing when asked again without a new
 * event, EPOLLIN again after draining and writing.  Measured, not asserted:
 * whether a write into a pipe that still holds unread data is a new edge
 * (it changed with the 5.5 pipe rework and the fixes after it). */
static void edge_rule(pl_case *c, enum pl_kind kind, const void *data)
{
	(void)data;
	pl_sandbox *sb = pl_sandbox_new(c, "epoll, edge-triggered");
	pl_chan ch = { .kind = kind };
	if (kind == PL_FIFO)
		PL_TRY(pl_pipe_make(sb, &ch, kind));
	int a;
	PL_TRY(pl_run_actor(sb, "process", edge_actor, &ch, &a));
	expect_ev(c, sb, a, E_EMPTY, EDGE[E_EMPTY], 0);
	expect_ev(c, sb, a, E_FIRST, EDGE[E_FIRST], EPOLLIN);
	expect_ev(c, sb, a, E_AGAIN, EDGE[E_AGAIN], 0);
	expect_ev(c, sb, a, E_DRAINED, EDGE[E_DRAINED], 0);
	expect_ev(c, sb, a, E_REFILLED, EDGE[E_REFILLED], EPOLLIN);
	const struct pl_step *s = pl_marked(c, sb, a, E_SECOND, EDGE[E_SECOND]);
	long again = s && s->done && s->ret > 0 && (s->ret & EPOLLIN);
	pl_measure(c, "edge-triggered waiter woken by a write into a non-empty pipe", again, "bool");
	pl_observed(c, "edge reported once; a write into a non-empty pipe %s a new edge on this kernel",
		    again ? "is" : "is not");
}

/* EPOLLONESHOT on the pipe under test, then EPOLLEXCLUSIVE's rules. */
static void flags_actor(pl_actor *a, void *arg)
{
	const pl_chan *ch = arg;
	int fd[2];
	if (!ep_ends(a, ch, fd))
		return;
	int ep = watch(fd[0], EPOLLIN | EPOLLONESHOT);
	pl_write(a, fd[1], "a", 1);
	PL_CALL_IN(a, FLAGS, F_FIRST, fd[0], events_now(ep));
	PL_CALL_IN(a, FLAGS, F_SECOND, fd[0], events_now(ep));
	struct epoll_event e = { .events = EPOLLIN | EPOLLONESHOT, .data.u64 = (uint64_t)fd[0] };
	PL_CALL_IN(a, FLAGS, F_REARM, fd[0], epoll_ctl(ep, EPOLL_CTL_MOD, fd[0], &e));
	PL_CALL_IN(a, FLAGS, F_REARMED, fd[0], events_now(ep));
	int ex = epoll_create1(EPOLL_CLOEXEC), ex2 = epoll_create1(EPOLL_CLOEXEC);
	e.events = EPOLLIN | EPOLLEXCLUSIVE;
	PL_CALL_IN(a, FLAGS, F_EX_ADD, fd[0], epoll_ctl(ex, EPOLL_CTL_ADD, fd[0], &e));
	PL_CALL_IN(a, FLAGS, F_EX_MOD, fd[0], epoll_ctl(ex, EPOLL_CTL_MOD, fd[0], &e));
	e.events = EPOLLIN | EPOLLEXCLUSIVE | EPOLLONESHOT;
	PL_CALL_IN(a, FLAGS, F_EX_ONESHOT, fd[0], epoll_ctl(ex2, EPOLL_CTL_ADD, fd[0], &e));
	PL_CALL_IN(a, FLAGS, F_EX_DATA, fd[0], events_now(ex));
}

/* Verify that EPOLLONESHOT disarms the descriptor after one event and
 * EPOLL_CTL_MOD re-arms it (epoll_ctl(2) EPOLLONESHOT); or (data != NULL)
 * EPOLLEXCLUSIVE's rules: accepted with EPOLL_CTL_ADD, EINVAL with
 * EPOLL_CTL_MOD and with EPOLLONESHOT (epoll_ctl(2) ERRORS, Linux >= 4.5). */
static void flags_rule(pl_case *c, enum pl_kind kind, const void *data)
{
	pl_sandbox *sb = pl_sandbox_new(c, "epoll, EPOLLONESHOT and EPOLLEXCLUSIVE");
	pl_chan ch = { .kind = kind == PL_NOKIND ? PL_PIPE : kind };
	int a;
	PL_TRY(pl_run_actor(sb, "process", flags_actor, &ch, &a));
	if (!data) {
		expect_ev(c, sb, a, F_FIRST, FLAGS[F_FIRST], EPOLLIN);
		expect_ev(c, sb, a, F_SECOND, FLAGS[F_SECOND], 0);
		pl_expect_marked(c, sb, a, F_REARM, 0, 0, "EPOLL_CTL_MOD");
		expect_ev(c, sb, a, F_REARMED, FLAGS[F_REARMED], EPOLLIN);
		pl_observed(c, "EPOLLIN once, then nothing until EPOLL_CTL_MOD, then EPOLLIN");
		return;
	}
	pl_expect_marked(c, sb, a, F_EX_ADD, 0, 0, FLAGS[F_EX_ADD]);
	pl_expect_marked(c, sb, a, F_EX_MOD, -1, EINVAL, FLAGS[F_EX_MOD]);
	pl_expect_marked(c, sb, a, F_EX_ONESHOT, -1, EINVAL, FLAGS[F_EX_ONESHOT]);
	expect_ev(c, sb, a, F_EX_DATA, FLAGS[F_EX_DATA], EPOLLIN);
	pl_observed(c, "ADD: 0; MOD: EINVAL; with EPOLLONESHOT: EINVAL; EPOLLIN with data");
}

static const char EXCLUSIVE = 1;

/* ---- registrations ---------------------------------------------------- */

static const struct ep_rule R_LEVEL = { 4, { L_EMPTY, L_DATA, L_DATA_AGAIN, L_NOT_FULL }, { 0, EPOLLIN, EPOLLIN, EPOLLOUT } };
static const struct ep_rule R_FULL = { 1, { L_FULL }, { 0 } };
static const struct ep_rule R_HUP = { 2, { L_HUP_DATA, L_HUP_EMPTY }, { EPOLLIN | EPOLLHUP, EPOLLHUP } };
static const struct ep_rule R_ERR = { 2, { L_NOREADER, L_NOREADER_EV0 }, { EPOLLOUT | EPOLLERR, EPOLLERR } };

PL_RULE(.id = "epoll/level-in-and-out", .rule = "S2, K", .profile = "linux",
	.kinds = PL_ON(PL_PIPE) | PL_ON(PL_FIFO), .body = level_rule, .data = &R_LEVEL,
	.title = "Verify that level-triggered epoll reports EPOLLIN while data is queued (on every wait) and EPOLLOUT while there is room (epoll(7))",
	.expected = "none when empty; EPOLLIN, EPOLLIN again; EPOLLOUT");

PL_RULE(.id = "epoll/no-epollout-when-full", .rule = "S2, K", .profile = "linux",
	.kinds = PL_ON(PL_PIPE), .body = level_rule, .data = &R_FULL,
	.title = "Verify that epoll reports no EPOLLOUT on the write end of a full pipe (fs/pipe.c pipe_poll)",
	.expected = "none");

PL_RULE(.id = "epoll/hup-on-read-end-without-writer", .rule = "S2, K", .profile = "linux",
	.kinds = PL_ON(PL_PIPE) | PL_ON(PL_FIFO), .body = level_rule, .data = &R_HUP,
	.title = "Verify that epoll reports EPOLLHUP on a read end with no writer left, with EPOLLIN while data remains (epoll_ctl(2) EPOLLHUP)",
	.expected = "EPOLLIN|EPOLLHUP; EPOLLHUP");

PL_RULE(.id = "epoll/err-on-write-end-without-reader", .rule = "S2, K, K2", .profile = "linux",
	.kinds = PL_ON(PL_PIPE) | PL_ON(PL_FIFO), .body = level_rule, .data = &R_ERR,
	.title = "Verify that epoll reports EPOLLERR on a write end with no reader left, even when not asked for (epoll_ctl(2) EPOLLERR)",
	.expected = "EPOLLOUT|EPOLLERR; EPOLLERR with events 0");

PL_RULE(.id = "epoll/edge-triggered-reports-edges", .rule = "S2", .profile = "linux",
	.kinds = PL_ON(PL_PIPE) | PL_ON(PL_FIFO), .labels = "measured", .body = edge_rule,
	.title = "Verify that EPOLLET reports an edge once and measure whether a write into a non-empty pipe is a new edge (epoll(7))",
	.expected = "EPOLLIN once, then none; EPOLLIN after drain and write; measured: write while unread");

PL_RULE(.id = "epoll/oneshot-disarms-until-rearmed", .rule = "S2", .profile = "linux",
	.kinds = PL_ON(PL_PIPE), .body = flags_rule,
	.title = "Verify that EPOLLONESHOT reports one event and nothing more until EPOLL_CTL_MOD re-arms it (epoll_ctl(2))",
	.expected = "EPOLLIN; none; MOD 0; EPOLLIN");

PL_RULE(.id = "epoll/exclusive-add-only", .rule = "S2", .profile = "linux",
	.body = flags_rule, .data = &EXCLUSIVE,
	.title = "Verify that EPOLLEXCLUSIVE is accepted with EPOLL_CTL_ADD only and never with EPOLLONESHOT (epoll_ctl(2) EINVAL)",
	.expected = "0; -1 EINVAL; -1 EINVAL; EPOLLIN");
