/* Many readers, many writers: wake-ups, order between writers, readers
 * sharing one FIFO.  docs/rules.md E4, F, B3.  (Records from many writers,
 * F2/F3, are in multi_records.c: the same suite, split to stay short.) */
#include <unistd.h>

#include "case.h"
#include "readers_share.h"

enum { GO = 1 };
enum mark { READ };

/* ---- E4: the last writer's close wakes every blocked reader ---- */

static void blocked_reader(pl_actor *a, void *arg)
{
	char b;
	int fd = pl_end(a, arg, PL_READ_END);
	PL_MARKED(a, READ, pl_read(a, fd, &b, 1));
}

static void last_writer(pl_actor *a, void *arg)
{
	int fd = pl_end(a, arg, PL_WRITE_END);
	pl_wait_cue(a, GO);
	pl_close(a, fd);
}

static void all_readers_woken(pl_case *c, enum pl_kind kind, const void *data)
{
	int n = *(const int *)data;
	char name[64];
	snprintf(name, sizeof name, "%d blocked readers, one writer closes", n);
	pl_sandbox *sb = pl_sandbox_new(c, name);
	pl_chan ch;
	PL_TRY(pl_pipe_make(sb, &ch, kind));
	int w = pl_spawn(sb, "writer", last_writer, &ch);
	int r[PL_MAX_ACTORS];
	for (int i = 0; i < n; i++)
		r[i] = pl_spawn(sb, "reader", blocked_reader, &ch);
	pl_pipe_seal(sb, &ch);
	for (int i = 0; i < n; i++)
		PL_TRY(pl_await_blocked(sb, r[i], PL_OP_READ));
	pl_cue(sb, GO);
	PL_TRY(pl_await_end(sb, w));
	int eof = 0;
	for (int i = 0; i < n; i++) {
		PL_TRY(pl_await_end(sb, r[i]));
		const struct pl_step *s = pl_marked(c, sb, r[i], READ, "a blocked reader's read");
		eof += s && s->done && s->ret == 0;
	}
	pl_check(c, eof == n, "every blocked reader wakes with EOF", "all", "%d of %d", eof, n);
	pl_observed(c, "%d readers proven asleep in read(); after the last writer's close %d of them returned 0", n, eof);
}

static const int TWO = 2, TEN = 10, FIFTY = 50;
#define WOKEN_RULE(n, count)                                                                            \
	PL_RULE(.id = "multi/all-" #n "-blocked-readers-woken-by-last-close", .rule = "E4", .profile = "linux", \
		.kinds = PL_ON(PL_PIPE), .body = all_readers_woken, .data = &(count),                    \
		.title = "Verify that the last writer's close wakes all " #n " blocked readers",          \
		.expected = "every reader returns 0")
WOKEN_RULE(2, TWO);
WOKEN_RULE(10, TEN);
WOKEN_RULE(50, FIFTY);

/* ---- cross-writer order follows the schedule ---- */

static void cued_writer(pl_actor *a, void *arg)
{
	int fd = pl_end(a, arg, PL_WRITE_END);
	char tag[2] = { (char)('A' + a->index - 1), 0 };
	pl_wait_cue(a, 10 + a->index);
	pl_write(a, fd, tag, 1);
	pl_close(a, fd);
}

static void read_to_eof(pl_actor *a, void *arg)
{
	char buf[16];
	int fd = pl_end(a, arg, PL_READ_END);
	pl_wait_cue(a, GO);
	PL_MARKED(a, READ, pl_read_full(a, fd, buf, sizeof buf));
}

/* Verify that the order between writers is the order in which their writes
 * happen: two controlled schedules give the two orders.  Rule F; the notes'
 * "order not guaranteed" made precise. */
static void schedules(pl_case *c, enum pl_kind kind, const void *data)
{
	(void)data;
	const char *got[2] = { NULL, NULL };
	char seen[2][8] = { "", "" };
	for (int order = 0; order < 2; order++) {
		pl_sandbox *sb = pl_sandbox_new(c, order ? "B writes first" : "A writes first");
		pl_chan ch;
		PL_TRY(pl_pipe_make(sb, &ch, kind));
		int a = pl_spawn(sb, "writer A", cued_writer, &ch);
		int b = pl_spawn(sb, "writer B", cued_writer, &ch);
		int r = pl_spawn(sb, "reader", read_to_eof, &ch);
		pl_pipe_seal(sb, &ch);
		int first = order ? b : a, second = order ? a : b;
		pl_cue(sb, 10 + first);
		PL_TRY(pl_await_end(sb, first));
		pl_cue(sb, 10 + second);
		PL_TRY(pl_await_end(sb, second));
		pl_cue(sb, GO);
		PL_TRY(pl_await_end(sb, r));
		const struct pl_step *rd = pl_marked(c, sb, r, READ, "the reader's read");
		if (!rd)
			return;
		snprintf(seen[order], sizeof seen[order], "%s", rd->preview);
		got[order] = seen[order];
	}
	pl_check(c, !strcmp(got[0], "AB"), "A then B gives \"AB\"", "AB", "%s", got[0]);
	pl_check(c, !strcmp(got[1], "BA"), "B then A gives \"BA\"", "BA", "%s", got[1]);
	pl_observed(c, "schedule A-then-B read \"%s\"; schedule B-then-A read \"%s\": the order between writers is the order of their writes",
		    got[0], got[1]);
}

PL_RULE(.id = "multi/cross-writer-order-follows-schedule", .rule = "F", .profile = "posix", .kinds = PL_ON(PL_PIPE),
	.body = schedules, .expected = "\"AB\" and \"BA\"",
	.title = "Verify that the order between two writers follows the order of their writes (two schedules, two orders)");

/* ---- B3: several readers, one writer (the notes' last FIFO lines) ---- */

/* Verify that with several readers on one FIFO every record is read by
 * exactly one of them: nothing lost, nothing read twice.  Rule B3 (Linux);
 * the notes' "多读一些 ... 进程1读了的进程2读不到". */
static void readers_share(pl_case *c, enum pl_kind kind, const void *data)
{
	(void)data;
	struct share_tally t;
	PL_TRY(share_records(c, kind, &t));
	pl_check(c, t.dup == 0, "no record is read by two readers", "0", "%d", t.dup);
	pl_check(c, t.missing == 0, "every record is read by some reader", "0 missing", "%d", t.missing);
	pl_observed(c, "%d records over 3 readers (proven asleep in read() first), each read once (%d duplicated, %d missing)",
		    t.got, t.dup, t.missing);
}

PL_RULE(.id = "multi/each-record-to-exactly-one-reader", .rule = "B3", .profile = "linux", .kinds = PL_ON(PL_FIFO),
	.body = readers_share, .expected = "0 duplicated, 0 missing",
	.title = "Verify that with several readers of one FIFO every record is read by exactly one of them");
