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
	   LATE_OPEN = GOT + READERS + 1, READ_AGAIN };
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

/* Verify that 3 reader processes, each opening the FIFO by path, wait in
 * open() until the writer comes and in read() until it writes; that the
 * writer writes without EPIPE or SIGPIPE while one reader remains, gets EPIPE
 * (SIGPIPE pending) once the last has closed, and writes again once a new
 * reader has opened, which it reads. */
static void readers_rule(pl_case *c, enum pl_kind kind, const void *data)
{
	(void)kind;
	(void)data;
	pl_sandbox *sb = pl_sandbox_new(c, "3 reader processes come and go, a 4th comes late");
	pl_chan ch;
	PL_TRY(pl_pipe_make(sb, &ch, PL_FIFO));
	struct reader_arg ra[READERS + 1];
	int r[READERS + 1];
	for (int i = 0; i <= READERS; i++) {
		ra[i] = (struct reader_arg){ &ch, i };
		r[i] = pl_spawn(sb, i < READERS ? "reader" : "late reader", reader, &ra[i]);
	}
	int w = pl_spawn(sb, "writer", writer, &ch);
	for (int i = 0; i < READERS; i++)
		PL_TRY(pl_await_blocked_why(sb, r[i], PL_OP_OPEN, "no process had the FIFO open for writing"));
	PL_TRY(run_stage(sb, OPEN_W));
	for (int i = 0; i < READERS; i++)
		PL_TRY(pl_await_blocked_why(sb, r[i], PL_OP_READ, "the FIFO was empty and the writer had it open"));
	PL_TRY(run_stage(sb, WRITE_ABC));
	for (int i = 0; i < READERS; i++)
		PL_TRY(pl_await_cue(sb, GOT + i));
	for (int i = 0; i < READERS - 1; i++) {
		pl_cue(sb, LEAVE + i);
		PL_TRY(pl_await_end(sb, r[i]));
	}
	const int last = r[READERS - 1], late = r[READERS];
	pl_cue(sb, READ_AGAIN);
	PL_TRY(pl_await_blocked_why(sb, last, PL_OP_READ, "one reader left, the FIFO empty, the writer there"));
	PL_TRY(run_stage(sb, WRITE_ONE_LEFT));
	PL_TRY(pl_await_cue(sb, GOT + READERS - 1));
	pl_cue(sb, LEAVE + READERS - 1);
	PL_TRY(pl_await_end(sb, last));
	PL_TRY(run_stage(sb, WRITE_NONE_LEFT));
	pl_cue(sb, LATE_OPEN);
	PL_TRY(pl_await_blocked_why(sb, late, PL_OP_READ, "a new reader opened while the writer held the FIFO; nothing written since"));
	PL_TRY(run_stage(sb, WRITE_AFTER_LATE_OPEN));
	PL_TRY(pl_await_end(sb, late));
	PL_TRY(pl_await_end(sb, w));

	char got[READERS + 1];
	first_bytes(c, sb, r, got);
	pl_check(c, !strcmp(got, "abc"), "3 blocked readers of a 3-byte write get one byte each", "a, b and c",
		 "\"%s\"", got);
	const struct pl_step *wo = pl_marked(c, sb, w, W_OPEN, "the writer's open");
	if (wo)
		pl_check(c, wo->ret >= 0, "the writer's open with readers waiting", "a descriptor", "%s",
			 wo->ret >= 0 ? "a descriptor" : pl_errno_name(wo->err));
	pl_expect_marked(c, sb, w, W_ABC, 3, 0, "the write of 3 bytes to 3 readers");
	pl_expect_marked(c, sb, w, W_ONE_LEFT, 1, 0, "a write while 1 of 3 readers remains");
	pl_expect_marked(c, sb, w, PENDING_ONE_LEFT, 0, 0, "SIGPIPE pending while a reader remains (0: no)");
	const struct pl_step *x = pl_marked(c, sb, last, READ_SECOND, "the remaining reader's read");
	if (x)
		pl_check(c, x->ret == 1 && x->preview[0] == 'x', "the remaining reader gets the byte", "1 \"x\"",
			 "%ld \"%s\"", x->ret, x->preview);
	pl_expect_marked(c, sb, w, W_NONE_LEFT, -1, EPIPE, "a write after the last reader closed");
	pl_expect_marked(c, sb, w, PENDING_NONE_LEFT, 1, 0, "SIGPIPE pending after the EPIPE (1: yes)");
	pl_expect_marked(c, sb, w, W_AGAIN, 1, 0, "a write once a new reader opened");
	const struct pl_step *z = pl_marked(c, sb, late, READ_FIRST, "the late reader's read");
	if (z)
		pl_check(c, z->ret == 1 && z->preview[0] == 'z', "the late reader gets the byte", "1 \"z\"",
			 "%ld \"%s\"", z->ret, z->preview);
	pl_observed(c, "3 readers asleep in open() then read(); they got \"%s\"; with 1 left a write gave %ld; "
		       "with none, EPIPE; a late reader opened at once and got \"%s\"",
		    got, x ? x->ret : -1L, z ? z->preview : "");
}

PL_RULE(.id = "fifolife/readers-in-many-processes-come-and-go", .rule = "S6, H, D", .profile = "posix",
	.labels = "fifo", .body = readers_rule,
	.title = "Verify that a FIFO's writer goes on while any of 3 reader processes remains, gets EPIPE after the last leaves, and writes again to a reader that opens later (POSIX open(), write())",
	.expected = "opens and reads proven asleep; a, b, c; 1 with 1 reader left, no SIGPIPE; -1 EPIPE, SIGPIPE pending; late reader opens at once; 1, read \"z\"");
