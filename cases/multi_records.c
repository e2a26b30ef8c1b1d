/* Many writers of records at once: records <= PIPE_BUF arrive whole, larger
 * ones may interleave (measured).  docs/rules.md F2, F3, R4.  Part of the
 * multi suite (ids multi/...), in a file of its own to stay short. */
#include <unistd.h>

#include "case.h"

enum { GO = 1 };
enum mark { PIPE_BUF_SIZE };

/* ---- F2: many writers of records <= PIPE_BUF ---- */

struct records {
	pl_chan ch;
	int writers, per_writer, size, rounds;
	bool pipe_buf_sized; /* size = PIPE_BUF, as fpathconf tells the writers */
};

static void record_writer(pl_actor *a, void *arg)
{
	const struct records *r = arg;
	int fd = pl_end(a, (pl_chan *)&r->ch, PL_WRITE_END);
	static char rec[1 << 17];
	int size = r->size;
	if (r->pipe_buf_sized) { /* this system's PIPE_BUF, not Linux's 4096 */
		struct pl_step *s = pl_begin(a, "fpathconf(_PC_PIPE_BUF)", fd);
		pl_mark_step(a, PIPE_BUF_SIZE, s);
		size = (int)pl_finish(a, s, fpathconf(fd, _PC_PIPE_BUF));
	}
	/* Every writer holds its end before any writes: on a FIFO, EOF comes as
	 * soon as the writers open so far have all closed. */
	pl_post_cue(a, 4 + a->index);
	pl_wait_cue(a, GO);
	if (size < 16 || size > (int)sizeof rec) {
		pl_note(a, "record size %d out of range", size);
		pl_close(a, fd);
		return;
	}
	for (int i = 0; i < r->per_writer; i++) {
		/* Tagged with writer and sequence, filled with the writer's letter. */
		memset(rec, 'A' + a->index % 26, (size_t)size);
		snprintf(rec, 24, "<%03d:%06d>", a->index, i); /* 12 characters */
		rec[12] = (char)('A' + a->index % 26);
		if (write(fd, rec, (size_t)size) != size) /* one call per record */
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
		char head[13]; /* sscanf on the stream itself would strlen all that follows, every record */
		memcpy(head, d + off, sizeof head - 1);
		head[sizeof head - 1] = '\0';
		t.total++;
		if (sscanf(head, "<%d:%d>", &who, &seq) != 2 || who < writers_from ||
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

/* One round in a sandbox of its own: the writers write, the reader drains to
 * EOF, and the stream is tallied.  False when the case has been marked. */
static bool one_round(pl_case *c, enum pl_kind kind, struct records *r, const char *name, struct tally *t)
{
	pl_sandbox *sb = pl_sandbox_new(c, name);
	int rd = start_writers(sb, r, kind);
	PL_TRY_FALSE(rd >= 0);
	PL_TRY_FALSE(pl_await_end(sb, rd));
	if (r->pipe_buf_sized) {
		const struct pl_step *pb = pl_marked(c, sb, rd + 1, PIPE_BUF_SIZE, "fpathconf(_PC_PIPE_BUF)");
		if (!pb)
			return false;
		if (r->size == 0) /* the first round */
			pl_measure(c, "PIPE_BUF (fpathconf), the record size", pb->ret, "bytes");
		if (!pl_check(c, pb->ret >= 512 && pb->ret <= (1 << 17), "PIPE_BUF is usable as a record size",
			      "512 (_POSIX_PIPE_BUF) .. 131072", "%ld", pb->ret))
			return false;
		r->size = (int)pb->ret;
	}
	size_t len;
	const unsigned char *d = pl_shared_data(sb, &len);
	*t = check_stream(d, len, r->size, rd + 1, r->writers);
	return true;
}

/* Verify that records of n <= PIPE_BUF bytes from many concurrent writers
 * (each record one write) arrive whole, none lost or duplicated, each
 * writer's in its own order.  Repeated over several rounds.  Rules F2, R4. */
static void small_records(pl_case *c, enum pl_kind kind, const void *data)
{
	struct records r = *(const struct records *)data;
	int lost = 0, mixed = 0, unordered = 0, total = 0;
	for (int round = 0; round < r.rounds; round++) {
		/* PIPE_BUF-sized records: the writers learn the size in the first
		 * round (fpathconf), so it is not known when the round is named. */
		char name[96], size[32];
		if (r.pipe_buf_sized)
			snprintf(size, sizeof size, "PIPE_BUF");
		else
			snprintf(size, sizeof size, "%d", r.size);
		snprintf(name, sizeof name, "round %d: %d writers x %d records of %s bytes", round + 1, r.writers,
			 r.per_writer, size);
		struct tally t;
		PL_TRY(one_round(c, kind, &r, name, &t));
		lost += r.writers * r.per_writer - t.intact;
		mixed += t.mixed;
		unordered += t.intact - t.ordered;
		total += t.total;
	}
	int want = r.rounds * r.writers * r.per_writer;
	pl_check(c, mixed == 0, "no record is interleaved with another writer's", "0 mixed", "%d of %d mixed", mixed, total);
	/* A record is lost when it does not arrive whole at its place in the
	 * stream: missing, cut short or mixed with another writer's bytes. */
	char all[32];
	snprintf(all, sizeof all, "all %d", want);
	pl_check(c, lost == 0, "every record written arrives whole", all, "%d of %d (%d missing or torn)", want - lost, want,
		 lost);
	pl_check(c, unordered == 0, "each writer's records arrive in its own order", "0 out of order", "%d", unordered);
	pl_observed(c, "%d rounds, %d records of %d bytes from %d concurrent writers: all whole, none lost, each writer's order kept",
		    r.rounds, want, r.size, r.writers);
}

static const struct records SMALL = { .writers = 8, .per_writer = 200, .size = 512, .rounds = 3 };
static const struct records AT_PIPE_BUF = { .writers = 8, .per_writer = 25, .pipe_buf_sized = true, .rounds = 3 };

PL_RULE(.id = "multi/writers-512-byte-records-whole", .rule = "F2", .profile = "posix", .kinds = PL_ON(PL_PIPE),
	.body = small_records, .data = &SMALL, .expected = "0 mixed, 0 lost, 0 out of order",
	.title = "Verify that 512-byte records from 8 concurrent writers arrive whole, in each writer's order");
PL_RULE(.id = "multi/writers-pipe-buf-records-whole", .rule = "F2", .profile = "posix", .kinds = PL_ON(PL_FIFO),
	.body = small_records, .data = &AT_PIPE_BUF, .expected = "0 mixed, 0 lost, 0 out of order",
	.title = "Verify that PIPE_BUF-sized records from 8 concurrent writers arrive whole, in each writer's order");

/* Measures (never asserts) how often records larger than PIPE_BUF get
 * interleaved; asserts only that no byte is lost.  Rule F3 (impl). */
static void large_records(pl_case *c, enum pl_kind kind, const void *data)
{
	struct records r = *(const struct records *)data;
	char name[96];
	snprintf(name, sizeof name, "%d writers x %d records of %d bytes", r.writers, r.per_writer, r.size);
	struct tally t;
	PL_TRY(one_round(c, kind, &r, name, &t));
	/* All bytes must arrive even if interleaved. */
	long want = (long)r.writers * r.per_writer * r.size;
	pl_check(c, t.bytes == want, "every byte arrives", "all bytes", "%ld of %ld", t.bytes, want);
	pl_measure(c, "records not whole at their offset", t.mixed, "records");
	pl_measure(c, "records checked", t.total, "records");
	pl_observed(c, "records of %d bytes (> PIPE_BUF): %d of %d interleaved with another writer's bytes (measured, not a rule); no byte lost",
		    r.size, t.mixed, t.total);
}

static const struct records JUST_OVER = { .writers = 4, .per_writer = 40, .size = 4097, .rounds = 1 };
static const struct records HUGE = { .writers = 4, .per_writer = 2, .size = 100000, .rounds = 1 };

PL_RULE(.id = "multi/records-over-pipe-buf-interleaving-4097", .rule = "F3", .profile = "impl", .kinds = PL_ON(PL_PIPE),
	.body = large_records, .data = &JUST_OVER, .expected = "no byte lost; interleaving measured, never asserted",
	.title = "Measure how often 4097-byte records (just over PIPE_BUF) from 4 writers interleave");
PL_RULE(.id = "multi/records-over-pipe-buf-interleaving-100000", .rule = "F3", .profile = "impl",
	.kinds = PL_ON(PL_PIPE), .body = large_records, .data = &HUGE,
	.title = "Measure how often 100000-byte records from 4 writers interleave",
	.expected = "no byte lost; interleaving measured, never asserted");
