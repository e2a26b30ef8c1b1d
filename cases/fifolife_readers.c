/* Many FIFO readers in processes of their own, each opening the FIFO by its
 * path, coming and going while one writer writes.  docs/rules.md S6, H, D.
 * Part of the fifolife suite (ids fifolife/...), in a file of its own.
 * POSIX open(): a reader's open without O_NONBLOCK waits for a writer;
 * POSIX write(): EPIPE (and SIGPIPE to the writer) only when the FIFO "is
 * not open for reading by any process"; so a reader that opens later, while
 * the writer still holds the FIFO, makes writing work again. */
#include <signal.h>
#include <unistd.h>

#include "case.h"

enum { READERS = 3 };
/* The writer's stages: the judge cues each, the writer posts when done. */
enum stage { OPEN_W, WRITE_ABC, WRITE_ONE_LEFT, WRITE_NONE_LEFT, WRITE_AFTER_LATE_OPEN, STAGES };
enum cue { STAGE = 1, STAGE_DONE = STAGE + STAGES, LEAVE = STAGE_DONE + STAGES, GOT = LEAVE + READERS + 1,
	   LATE_OPEN = GOT + READERS + 1, READ_AGAIN, GOT_AGAIN };
enum mark { OPEN, READ_FIRST, READ_SECOND, W_OPEN, W_ABC, W_ONE_LEFT, PENDING_ONE_LEFT, W_NONE_LEFT,
	    PENDING_NONE_LEFT, W_AGAIN };

struct reader_arg {
	const pl_chan *ch;
	int ordinal; /* 0 .. READERS - 1; the last stays after the others leave; READERS: the late one */
};

static int sigpipe_pending(void)
{
	sigset_t set;
	return sigpending(&set) == 0 && sigismember(&set, SIGPIPE) == 1;
}

static void reader(pl_actor *a, void *arg)
{
	const struct reader_arg *ra = arg;
	char b[4] = "";
	if (ra->ordinal == READERS)
		pl_wait_cue(a, LATE_OPEN);
	int fd = PL_MARKED(a, OPEN, pl_open(a, ra->ch->path, O_RDONLY));
	if (fd < 0)
		return;
	PL_MARKED(a, READ_FIRST, pl_read(a, fd, b, 1));
	pl_post_cue(a, GOT + ra->ordinal);
	if (ra->ordinal == READERS - 1) { /* not before the others had their byte */
		pl_wait_cue(a, READ_AGAIN);
		PL_MARKED(a, READ_SECOND, pl_read(a, fd, b, 1));
		pl_post_cue(a, GOT_AGAIN);
	}
	if (ra->ordinal < READERS)
		pl_wait_cue(a, LEAVE + ra->ordinal);
	pl_close(a, fd);
}

static void stage(pl_actor *a, enum stage s)
{
	pl_wait_cue(a, STAGE + (int)s);
}

static void writer(pl_actor *a, void *arg)
{
	const pl_chan *ch = arg;
	pl_block(a, SIGPIPE); /* EPIPE comes back; the signal stays pending */
	stage(a, OPEN_W);
	int fd = PL_MARKED(a, W_OPEN, pl_open(a, ch->path, O_WRONLY));
	pl_post_cue(a, STAGE_DONE + OPEN_W);
	if (fd < 0)
		return;
	stage(a, WRITE_ABC);
	PL_MARKED(a, W_ABC, pl_write(a, fd, "abc", 3));
	pl_post_cue(a, STAGE_DONE + WRITE_ABC);
	stage(a, WRITE_ONE_LEFT);
	PL_MARKED(a, W_ONE_LEFT, pl_write(a, fd, "x", 1));
	PL_CALL_AS(a, PENDING_ONE_LEFT, "sigpending: SIGPIPE", -1, sigpipe_pending());
	pl_post_cue(a, STAGE_DONE + WRITE_ONE_LEFT);
	stage(a, WRITE_NONE_LEFT);
	PL_MARKED(a, W_NONE_LEFT, pl_write(a, fd, "y", 1));
	PL_CALL_AS(a, PENDING_NONE_LEFT, "sigpending: SIGPIPE", -1, sigpipe_pending());
	pl_post_cue(a, STAGE_DONE + WRITE_NONE_LEFT);
	stage(a, WRITE_AFTER_LATE_OPEN);
	PL_MARKED(a, W_AGAIN, pl_write(a, fd, "z", 1));
	pl_post_cue(a, STAGE_DONE + WRITE_AFTER_LATE_OPEN);
	pl_close(a, fd);
}

static bool run_stage(pl_sandbox *sb, enum stage s)
{
	pl_cue(sb, STAGE + (int)s);
	return pl_await_cue(sb, STAGE_DONE + (int)s);
}

/* The bytes the three first readers got, one each, sorted: "abc" expected. */
static void first_bytes(pl_case *c, pl_sandbox *sb, const int *r, char got[READERS + 1])
{
	for (int i = 0; i < READERS; i++) {
		const struct pl_step *s = pl_marked(c, sb, r[i], READ_FIRST, "a reader's first read");
		got[i] = s && s->ret == 1 ? s->preview[0] : '-';
	}
	got[READERS] = '\0';
	for (int i = 1; i < READERS; i++) /* insertion sort of three */
		for (int j = i; j > 0 && got[j - 1] > got[j]; j--) {
			char t = got[j];
			got[j] = got[j - 1];
			got[j - 1] = t;
		}
}

/* A reader's one-byte read: what it got, checked. */
static bool read_byte(pl_case *c, pl_sandbox *sb, int r, int mark, char want, const char *what)
{
	const struct pl_step *s = pl_marked(c, sb, r, mark, what);
	return s && pl_check(c, s->ret == 1 && s->preview[0] == want, what, want == 'x' ? "1 \"x\"" : "1 \"z\"",
			     "%ld \"%s\"", s->ret, s->ret > 0 ? s->preview : "");
}

struct scene {
	pl_case *c;
	pl_sandbox *sb;
	int r[READERS + 1], w;
};

/* Three readers meet the writer: asleep in open() until it opens, then in
 * read() until it writes 3 bytes, one for each. */
static bool meet(struct scene *s)
{
	for (int i = 0; i < READERS; i++)
		PL_TRY_FALSE(pl_await_blocked_why(s->sb, s->r[i], PL_OP_OPEN, "no process had the FIFO open for writing"));
	PL_TRY_FALSE(run_stage(s->sb, OPEN_W));
	const struct pl_step *wo = pl_marked(s->c, s->sb, s->w, W_OPEN, "the writer's open");
	PL_TRY_FALSE(wo && pl_check(s->c, wo->ret >= 0, "the writer's open with readers waiting", "a descriptor", "%s",
				    wo->ret >= 0 ? "a descriptor" : pl_errno_name(wo->err)));
	for (int i = 0; i < READERS; i++)
		PL_TRY_FALSE(pl_await_blocked_why(s->sb, s->r[i], PL_OP_READ, "the FIFO was empty and the writer had it open"));
	PL_TRY_FALSE(run_stage(s->sb, WRITE_ABC));
	PL_TRY_FALSE(pl_expect_marked(s->c, s->sb, s->w, W_ABC, 3, 0, "the write of 3 bytes to 3 readers"));
	for (int i = 0; i < READERS; i++)
		PL_TRY_FALSE(pl_await_cue(s->sb, GOT + i));
	char got[READERS + 1];
	first_bytes(s->c, s->sb, s->r, got);
	return pl_check(s->c, !strcmp(got, "abc"), "3 blocked readers of a 3-byte write get one byte each",
			"a, b and c", "\"%s\"", got);
}

/* Two readers leave; the writer still has one. */
static bool one_left(struct scene *s)
{
	for (int i = 0; i < READERS - 1; i++) {
		pl_cue(s->sb, LEAVE + i);
		PL_TRY_FALSE(pl_await_end(s->sb, s->r[i]));
	}
	const int last = s->r[READERS - 1];
	pl_cue(s->sb, READ_AGAIN);
	PL_TRY_FALSE(pl_await_blocked_why(s->sb, last, PL_OP_READ, "one reader left, the FIFO empty, the writer there"));
	PL_TRY_FALSE(run_stage(s->sb, WRITE_ONE_LEFT));
	PL_TRY_FALSE(pl_expect_marked(s->c, s->sb, s->w, W_ONE_LEFT, 1, 0, "a write while 1 of 3 readers remains"));
	pl_expect_marked(s->c, s->sb, s->w, PENDING_ONE_LEFT, 0, 0, "SIGPIPE pending while a reader remains (0: no)");
	PL_TRY_FALSE(pl_await_cue(s->sb, GOT_AGAIN));
	return read_byte(s->c, s->sb, last, READ_SECOND, 'x', "the remaining reader gets the byte");
}

/* The last reader leaves: EPIPE; a new one opens: the writer writes again. */
static bool none_left_then_late(struct scene *s)
{
	pl_cue(s->sb, LEAVE + READERS - 1);
	PL_TRY_FALSE(pl_await_end(s->sb, s->r[READERS - 1]));
	PL_TRY_FALSE(run_stage(s->sb, WRITE_NONE_LEFT));
	pl_expect_marked(s->c, s->sb, s->w, W_NONE_LEFT, -1, EPIPE, "a write after the last reader closed");
	pl_expect_marked(s->c, s->sb, s->w, PENDING_NONE_LEFT, 1, 0, "SIGPIPE pending after the EPIPE (1: yes)");
	const int late = s->r[READERS];
	pl_cue(s->sb, LATE_OPEN);
	PL_TRY_FALSE(pl_await_blocked_why(s->sb, late, PL_OP_READ,
					  "a new reader opened while the writer held the FIFO; nothing written since"));
	PL_TRY_FALSE(run_stage(s->sb, WRITE_AFTER_LATE_OPEN));
	PL_TRY_FALSE(pl_expect_marked(s->c, s->sb, s->w, W_AGAIN, 1, 0, "a write once a new reader opened"));
	PL_TRY_FALSE(pl_await_end(s->sb, late));
	return read_byte(s->c, s->sb, late, READ_FIRST, 'z', "the late reader gets the byte");
}

/* Verify that 3 reader processes, each opening the FIFO by path, wait in
 * open() until the writer comes and in read() until it writes; that the
 * writer writes without EPIPE or SIGPIPE while one reader remains, gets EPIPE
 * (SIGPIPE pending) once the last has closed, and writes again once a new
 * reader has opened, which reads it.  Each stage stops the case when it
 * fails: the next would wait for what cannot come. */
static void readers_rule(pl_case *c, enum pl_kind kind, const void *data)
{
	(void)kind;
	(void)data;
	struct scene s = { .c = c, .sb = pl_sandbox_new(c, "3 reader processes come and go, a 4th comes late") };
	pl_chan ch;
	PL_TRY(pl_pipe_make(s.sb, &ch, PL_FIFO));
	struct reader_arg ra[READERS + 1];
	for (int i = 0; i <= READERS; i++) {
		ra[i] = (struct reader_arg){ &ch, i };
		s.r[i] = pl_spawn(s.sb, i < READERS ? "reader" : "late reader", reader, &ra[i]);
	}
	s.w = pl_spawn(s.sb, "writer", writer, &ch);
	PL_TRY(meet(&s) && one_left(&s) && none_left_then_late(&s));
	PL_TRY(pl_await_end(s.sb, s.w));
	pl_observed(c, "3 readers asleep in open() then read() got a, b, c; with 1 left a write went through, no SIGPIPE; "
		       "with none, EPIPE (SIGPIPE pending); a late reader opened at once and got \"z\"");
}

PL_RULE(.id = "fifolife/readers-in-many-processes-come-and-go", .rule = "S6, H, D", .profile = "posix",
	.labels = "fifo", .body = readers_rule,
	.title = "Verify that a FIFO's writer goes on while any of 3 reader processes remains, gets EPIPE after the last leaves, and writes again to a reader that opens later (POSIX open(), write())",
	.expected = "opens and reads proven asleep; a, b, c; 1 with 1 reader left, no SIGPIPE; -1 EPIPE, SIGPIPE pending; late reader opens at once; 1, read \"z\"");
