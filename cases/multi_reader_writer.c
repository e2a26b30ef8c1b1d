/* Many readers, many writers.  BEHAVIOURS.md E4, F2, F3, B3, R4. */
#include <unistd.h>

#include "case.h"
#include "readers_share.h"

enum { GO = 1 };

/* ---- E4: the last writer's close wakes every blocked reader ---- */

static void blocked_reader(pl_actor *a, void *arg)
{
	char b;
	int fd = pl_end(a, arg, PL_READ_END);
	pl_read(a, fd, &b, 1);
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
		const struct pl_step *s = pl_last_step(sb, r[i], PL_OP_READ);
		eof += s && s->done && s->ret == 0;
	}
	pl_check(c, eof == n, "every blocked reader wakes with EOF", "all", "%d of %d", eof, n);
	pl_observed(c, "%d readers proven asleep in read(); after the last writer's close %d of them returned 0", n, eof);
}

#define WOKEN(n)                                                                                          \
	PL_CASE(multi, all_##n##_blocked_readers_woken_by_last_writer_close,                              \
		"multi/all-" #n "-blocked-readers-woken-by-last-close@pipe", "linux")                     \
	{                                                                                                \
		static const int count = n;                                                               \
		static const struct pl_case_spec spec = { "multi/all-" #n "-blocked-readers-woken-by-last-close", \
			"E4", "linux", NULL, "Verify that the last writer's close wakes all " #n " blocked readers", \
			"every reader returns 0" };                                                        \
		pl_run(&spec, PL_PIPE, all_readers_woken, &count);                                        \
	}
WOKEN(2)
WOKEN(10)
WOKEN(50)

/* ---- F2: many writers of records <= PIPE_BUF ---- */

struct records {
	pl_chan ch;
	int writers, per_writer, size, rounds;
};

static void record_writer(pl_actor *a, void *arg)
{
	const struct records *r = arg;
	int fd = pl_end(a, (pl_chan *)&r->ch, PL_WRITE_END);
	static char rec[1 << 17];
	if (r->size > (int)sizeof rec) {
		pl_note(a, "record size %d too large", r->size);
		return;
	}
	/* Every writer holds its end before any writes: on a FIFO, EOF comes as
	 * soon as the writers open so far have all closed. */
	pl_post_cue(a, 4 + a->index);
	pl_wait_cue(a, GO);
	for (int i = 0; i < r->per_writer; i++) {
		/* Tagged with writer and sequence, filled with the writer's letter. */
		memset(rec, 'A' + a->index % 26, (size_t)r->size);
		snprintf(rec, 24, "<%03d:%06d>", a->index, i); /* 12 characters */
		rec[12] = (char)('A' + a->index % 26);
		if (write(fd, rec, (size_t)r->size) != r->size) /* one call per record */
			pl_note(a, "short write at record %d", i);
	}
	pl_close(a, fd);
}

static void drain_all(pl_actor *a, void *arg)
{
	const struct records *r = arg;
	int fd = pl_end(a, (pl_chan *)&r->ch, PL_READ_END);
	static char buf[65536];
	/* The first read is recorded: the judge proves it asleep on the empty
	 * pipe before any writer starts, so the reader drains from the first
	 * record on (and a read that does not wait cannot pass unseen). */
	ssize_t n = pl_read(a, fd, buf, sizeof buf);
	while (n > 0) {
		if (!pl_share(a, buf, (size_t)n))
			pl_note(a, "shared buffer full");
		n = read(fd, buf, sizeof buf);
	}
}

/* One reader asleep in read(), all writers holding their ends, then all
 * writing at once.  Returns the reader's index, or -1 when the case has been
 * marked. */
static int start_writers(pl_sandbox *sb, struct records *r, enum pl_kind kind)
{
	if (!pl_pipe_make(sb, &r->ch, kind))
		return -1;
	int rd = pl_spawn(sb, "reader", drain_all, r);
	for (int i = 0; i < r->writers; i++)
		pl_spawn(sb, "writer", record_writer, r);
	pl_pipe_seal(sb, &r->ch);
	if (!pl_await_blocked(sb, rd, PL_OP_READ))
		return -1;
	for (int i = 0; i < r->writers; i++)
		if (!pl_await_cue(sb, 4 + rd + 1 + i))
			return -1;
	pl_cue(sb, GO);
	return rd;
}

struct tally {
	int intact, mixed, ordered, total;
	long bytes;
};

static struct tally check_stream(const unsigned char *d, size_t len, int size, int writers_from, int writers)
{
	struct tally t = { 0 };
	int next[PL_MAX_ACTORS] = { 0 };
	t.bytes = (long)len;
	for (size_t off = 0; off + (size_t)size <= len; off += (size_t)size) {
		int who = -1, seq = -1;
		t.total++;
		if (sscanf((const char *)d + off, "<%d:%d>", &who, &seq) != 2 || who < writers_from ||
		    who >= writers_from + writers) {
			t.mixed++;
			continue;
		}
		bool whole = true;
		for (int i = 12; i < size; i++)
			whole = whole && d[off + (size_t)i] == 'A' + who % 26;
		if (!whole) {
			t.mixed++;
			continue;
		}
		t.intact++;
		t.ordered += seq == next[who];
		next[who] = seq + 1;
	}
	return t;
}

/* Verify that records of n <= PIPE_BUF bytes from many concurrent writers
 * (each record one write) arrive whole, none lost or duplicated, each
 * writer's in its own order.  Repeated over several rounds.  Rules F2, R4. */
static void small_records(pl_case *c, enum pl_kind kind, const void *data)
{
	struct records r = *(const struct records *)data;
	int lost = 0, mixed = 0, unordered = 0, total = 0;
	for (int round = 0; round < r.rounds; round++) {
		char name[96];
		snprintf(name, sizeof name, "round %d: %d writers x %d records of %d bytes", round + 1, r.writers,
			 r.per_writer, r.size);
		pl_sandbox *sb = pl_sandbox_new(c, name);
		int rd = start_writers(sb, &r, kind);
		PL_TRY(rd >= 0);
		PL_TRY(pl_await_end(sb, rd));
		size_t len;
		const unsigned char *d = pl_shared_data(sb, &len);
		struct tally t = check_stream(d, len, r.size, rd + 1, r.writers);
		lost += r.writers * r.per_writer - t.intact;
		mixed += t.mixed;
		unordered += t.intact - t.ordered;
		total += t.total;
	}
	int want = r.rounds * r.writers * r.per_writer;
	pl_check(c, mixed == 0, "no record is interleaved with another writer's", "0 mixed", "%d of %d", mixed, total);
	pl_check(c, lost == 0, "no record is lost", "0 lost", "%d of %d", lost, want);
	pl_check(c, unordered == 0, "each writer's records arrive in its own order", "0 out of order", "%d", unordered);
	pl_observed(c, "%d rounds, %d records of %d bytes from %d concurrent writers: all whole, none lost, each writer's order kept",
		    r.rounds, want, r.size, r.writers);
}

static const struct records SMALL = { .writers = 8, .per_writer = 200, .size = 512, .rounds = 3 };
static const struct records AT_PIPE_BUF = { .writers = 8, .per_writer = 25, .size = 4096, .rounds = 3 };

PL_CASE(multi, eight_writers_512_byte_records_arrive_whole_pipe, "multi/writers-512-byte-records-whole@pipe", "posix")
{
	static const struct pl_case_spec spec = { "multi/writers-512-byte-records-whole", "F2", "posix", NULL,
		"Verify that 512-byte records from 8 concurrent writers arrive whole, in each writer's order",
		"0 mixed, 0 lost, 0 out of order" };
	pl_run(&spec, PL_PIPE, small_records, &SMALL);
}

PL_CASE(multi, eight_writers_pipe_buf_records_arrive_whole_fifo, "multi/writers-pipe-buf-records-whole@fifo", "posix")
{
	static const struct pl_case_spec spec = { "multi/writers-pipe-buf-records-whole", "F2", "posix", NULL,
		"Verify that PIPE_BUF-sized records from 8 concurrent writers arrive whole, in each writer's order",
		"0 mixed, 0 lost, 0 out of order" };
	pl_run(&spec, PL_FIFO, small_records, &AT_PIPE_BUF);
}

/* Measures (never asserts) how often records larger than PIPE_BUF get
 * interleaved; asserts only that no byte is lost.  Rule F3 (impl). */
static void large_records(pl_case *c, enum pl_kind kind, const void *data)
{
	struct records r = *(const struct records *)data;
	char name[96];
	snprintf(name, sizeof name, "%d writers x %d records of %d bytes", r.writers, r.per_writer, r.size);
	pl_sandbox *sb = pl_sandbox_new(c, name);
	int rd = start_writers(sb, &r, kind);
	PL_TRY(rd >= 0);
	PL_TRY(pl_await_end(sb, rd));
	size_t len;
	const unsigned char *d = pl_shared_data(sb, &len);
	/* Count bytes per writer letter: all must arrive even if interleaved. */
	long want = (long)r.writers * r.per_writer * r.size;
	struct tally t = check_stream(d, len, r.size, rd + 1, r.writers);
	pl_check(c, (long)len == want, "every byte arrives", "all bytes", "%zu of %ld", len, want);
	pl_measure(c, "records not whole at their offset", t.mixed, "records");
	pl_measure(c, "records checked", t.total, "records");
	pl_observed(c, "records of %d bytes (> PIPE_BUF): %d of %d interleaved with another writer's bytes (measured, not a rule); no byte lost",
		    r.size, t.mixed, t.total);
}

static const struct records JUST_OVER = { .writers = 4, .per_writer = 40, .size = 4097, .rounds = 1 };
static const struct records HUGE = { .writers = 4, .per_writer = 2, .size = 100000, .rounds = 1 };

PL_CASE(multi, records_over_pipe_buf_may_interleave_4097, "multi/records-over-pipe-buf-interleaving-4097@pipe", "impl")
{
	static const struct pl_case_spec spec = { "multi/records-over-pipe-buf-interleaving-4097", "F3", "impl", NULL,
		"Measure how often 4097-byte records (just over PIPE_BUF) from 4 writers interleave",
		"no byte lost; interleaving measured, never asserted" };
	pl_run(&spec, PL_PIPE, large_records, &JUST_OVER);
}

PL_CASE(multi, records_over_pipe_buf_may_interleave_100000, "multi/records-over-pipe-buf-interleaving-100000@pipe", "impl")
{
	static const struct pl_case_spec spec = { "multi/records-over-pipe-buf-interleaving-100000", "F3", "impl", NULL,
		"Measure how often 100000-byte records from 4 writers interleave",
		"no byte lost; interleaving measured, never asserted" };
	pl_run(&spec, PL_PIPE, large_records, &HUGE);
}

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
	pl_read_full(a, fd, buf, sizeof buf);
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
		snprintf(seen[order], sizeof seen[order], "%s", pl_last_step(sb, r, PL_OP_READ)->preview);
		got[order] = seen[order];
	}
	pl_check(c, !strcmp(got[0], "AB"), "A then B gives \"AB\"", "AB", "%s", got[0]);
	pl_check(c, !strcmp(got[1], "BA"), "B then A gives \"BA\"", "BA", "%s", got[1]);
	pl_observed(c, "schedule A-then-B read \"%s\"; schedule B-then-A read \"%s\": the order between writers is the order of their writes",
		    got[0], got[1]);
}

PL_CASE(multi, cross_writer_order_follows_the_schedule, "multi/cross-writer-order-follows-schedule@pipe", "posix")
{
	static const struct pl_case_spec spec = { "multi/cross-writer-order-follows-schedule", "F", "posix", NULL,
		"Verify that the order between two writers follows the order of their writes (two schedules, two orders)",
		"\"AB\" and \"BA\"" };
	pl_run(&spec, PL_PIPE, schedules, NULL);
}

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

PL_CASE(multi, each_record_read_by_exactly_one_of_several_readers_fifo, "multi/each-record-to-exactly-one-reader@fifo", "linux")
{
	static const struct pl_case_spec spec = { "multi/each-record-to-exactly-one-reader", "B3", "linux", NULL,
		"Verify that with several readers of one FIFO every record is read by exactly one of them",
		"0 duplicated, 0 missing" };
	pl_run(&spec, PL_FIFO, readers_share, NULL);
}
