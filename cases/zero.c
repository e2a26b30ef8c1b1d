/* Zero-length read and write in every state of the notes' tables.
 * BEHAVIOURS.md S4.  POSIX read(): "if nbyte is zero, the read() function may
 * detect and return errors ... In the absence of errors ... shall return zero
 * and have no other results" (so it never waits).  POSIX write(): "If nbyte
 * is zero and the file is not a regular file, the results are unspecified":
 * what a zero-length write does to a pipe is Linux's answer (fs/pipe.c
 * pipe_write returns 0 before looking at readers or room). */
#include <signal.h>
#include <unistd.h>

#include "case.h"

static bool zero_ends(pl_actor *a, const pl_chan *ch, int fd[2])
{
	if (ch->kind != PL_FIFO)
		return pl_pipe(a, fd) == 0;
	fd[0] = pl_open(a, ch->path, O_RDONLY | O_NONBLOCK);
	fd[1] = pl_open(a, ch->path, O_WRONLY | O_NONBLOCK);
	return fd[0] >= 0 && fd[1] >= 0 && pl_set_nonblock(a, fd[0], false) == 0 && pl_set_nonblock(a, fd[1], false) == 0;
}

/* Every call the scenarios make: its mark, and its label in the evidence. */
enum zero_call { R_EMPTY, W_ROOM, AFTER_W0, R_EMPTY_NB, R_DATA, AFTER_R0, W_FULL, R_NOWRITER, AFTER_R0_NOWRITER, W_NOREADER, ALIVE };
static const char *const CALL[] = {
	[R_EMPTY] = "read 0, empty, writer open",
	[W_ROOM] = "write 0, reader open",
	[AFTER_W0] = "non-blocking read after the zero-length write",
	[R_EMPTY_NB] = "read 0, empty, non-blocking",
	[R_DATA] = "read 0, data queued",
	[AFTER_R0] = "read after the zero-length read",
	[W_FULL] = "write 0, full",
	[R_NOWRITER] = "read 0, no writer",
	[AFTER_R0_NOWRITER] = "read after the zero-length read, no writer",
	[W_NOREADER] = "write 0, no reader",
	[ALIVE] = "still running after the zero-length write",
};

enum zero_part { Z_READ_EMPTY, Z_READ_DATA, Z_READ_NOWRITER, Z_READ_NB, Z_WRITE_ROOM, Z_WRITE_FULL, Z_WRITE_NOREADER };

struct zero_arg {
	pl_chan ch;
	enum zero_part part;
};

/* One state per scenario, blocking descriptors unless said otherwise: a
 * zero-length call that waited would never return here (the case would end
 * at its deadline, and only that rule's case). */
static void zero_state(pl_actor *a, void *arg)
{
	const struct zero_arg *za = arg;
	int fd[2];
	char b[8];
	if (!zero_ends(a, &za->ch, fd))
		return;
	switch (za->part) {
	case Z_READ_EMPTY:
		PL_CALL_IN(a, CALL, R_EMPTY, fd[0], read(fd[0], b, 0));
		break;
	case Z_READ_DATA:
		pl_write(a, fd[1], "xy", 2);
		PL_CALL_IN(a, CALL, R_DATA, fd[0], read(fd[0], b, 0));
		PL_CALL_IN(a, CALL, AFTER_R0, fd[0], read(fd[0], b, sizeof b));
		break;
	case Z_READ_NOWRITER:
		pl_write(a, fd[1], "xy", 2);
		pl_close(a, fd[1]);
		PL_CALL_IN(a, CALL, R_NOWRITER, fd[0], read(fd[0], b, 0));
		PL_CALL_IN(a, CALL, AFTER_R0_NOWRITER, fd[0], read(fd[0], b, sizeof b));
		break;
	case Z_READ_NB:
		pl_set_nonblock(a, fd[0], true);
		PL_CALL_IN(a, CALL, R_EMPTY_NB, fd[0], read(fd[0], b, 0));
		break;
	case Z_WRITE_ROOM:
		PL_CALL_IN(a, CALL, W_ROOM, fd[1], write(fd[1], b, 0));
		pl_set_nonblock(a, fd[0], true);
		PL_CALL_IN(a, CALL, AFTER_W0, fd[0], read(fd[0], b, sizeof b));
		break;
	case Z_WRITE_FULL:
		pl_fill(a, fd[1]);
		PL_CALL_IN(a, CALL, W_FULL, fd[1], write(fd[1], b, 0));
		break;
	case Z_WRITE_NOREADER:
		pl_close(a, fd[0]);
		signal(SIGPIPE, SIG_DFL); /* a SIGPIPE would end this actor */
		PL_CALL_IN(a, CALL, W_NOREADER, fd[1], write(fd[1], b, 0));
		PL_CALL_IN(a, CALL, ALIVE, -1, 1);
		break;
	}
}

/* A rule's state, its calls and the result each must give. */
struct zero_rule {
	enum zero_part part;
	int n;
	enum zero_call call[2];
	long ret[2];
	int err[2];
};

static void zero_rule(pl_case *c, enum pl_kind kind, const void *data)
{
	const struct zero_rule *r = data;
	pl_sandbox *sb = pl_sandbox_new(c, "a zero-length read or write");
	struct zero_arg za = { .ch = { .kind = kind }, .part = r->part };
	if (kind == PL_FIFO)
		PL_TRY(pl_pipe_make(sb, &za.ch, kind));
	int a;
	PL_TRY(pl_run_actor(sb, "process", zero_state, &za, &a));
	char end[64];
	for (int i = 0; i < r->n; i++)
		pl_expect_marked(c, sb, a, r->call[i], r->ret[i], r->err[i], CALL[r->call[i]]);
	pl_observed(c, "each call gave the rule's result; the actor ended with %s",
		    pl_actor_end_text(pl_rec(sb, a), end, sizeof end));
}

/* ---- registrations ---------------------------------------------------- */

static const struct zero_rule Z_EMPTY = { Z_READ_EMPTY, 1, { R_EMPTY }, { 0 }, { 0 } };
static const struct zero_rule Z_DATA = { Z_READ_DATA, 2, { R_DATA, AFTER_R0 }, { 0, 2 }, { 0 } };
static const struct zero_rule Z_NOWRITER = { Z_READ_NOWRITER, 2, { R_NOWRITER, AFTER_R0_NOWRITER }, { 0, 2 }, { 0 } };
static const struct zero_rule Z_NB = { Z_READ_NB, 1, { R_EMPTY_NB }, { 0 }, { 0 } };
static const struct zero_rule Z_W_ROOM = { Z_WRITE_ROOM, 2, { W_ROOM, AFTER_W0 }, { 0, -1 }, { 0, EAGAIN } };
static const struct zero_rule Z_W_FULL = { Z_WRITE_FULL, 1, { W_FULL }, { 0 }, { 0 } };
static const struct zero_rule Z_W_NOREADER = { Z_WRITE_NOREADER, 2, { W_NOREADER, ALIVE }, { 0, 1 }, { 0 } };

PL_RULE(.id = "zero/read-0-empty-returns-0-at-once", .rule = "S4, B", .profile = "posix",
	.cell = "read/open/no-data", .kinds = PL_ON(PL_PIPE) | PL_ON(PL_FIFO), .body = zero_rule, .data = &Z_EMPTY,
	.title = "Verify that read(fd, buf, 0) on an empty pipe or FIFO with a writer returns 0 without waiting (POSIX read(): nbyte zero)",
	.expected = "0");

PL_RULE(.id = "zero/read-0-leaves-data", .rule = "S4, B", .profile = "posix",
	.cell = "read/open/data", .kinds = PL_ON(PL_PIPE) | PL_ON(PL_FIFO), .body = zero_rule, .data = &Z_DATA,
	.title = "Verify that read(fd, buf, 0) with data queued returns 0 and consumes nothing (POSIX read(): \"no other results\")",
	.expected = "0; the next read gets 2");

PL_RULE(.id = "zero/read-0-without-writer", .rule = "S4, B", .profile = "posix",
	.cell = "read/all-closed/data", .kinds = PL_ON(PL_PIPE), .body = zero_rule, .data = &Z_NOWRITER,
	.title = "Verify that read(fd, buf, 0) with no writer left and data queued returns 0 and leaves the data (POSIX read())",
	.expected = "0; the next read gets 2");

PL_RULE(.id = "zero/read-0-non-blocking-empty-gives-0", .rule = "S4, B", .profile = "linux",
	.kinds = PL_ON(PL_PIPE), .body = zero_rule, .data = &Z_NB,
	.title = "Verify that read(fd, buf, 0) on an empty non-blocking pipe gives 0, not EAGAIN (POSIX allows either: \"may detect and return errors\"; Linux returns 0)",
	.expected = "0");

PL_RULE(.id = "zero/write-0-writes-nothing", .rule = "S4, C", .profile = "linux",
	.cell = "write/open/not-full", .kinds = PL_ON(PL_PIPE) | PL_ON(PL_FIFO), .body = zero_rule, .data = &Z_W_ROOM,
	.title = "Verify that write(fd, buf, 0) to a pipe or FIFO returns 0 and queues nothing a reader could see (POSIX: unspecified; fs/pipe.c pipe_write)",
	.expected = "0; the reader then gets EAGAIN");

PL_RULE(.id = "zero/write-0-full-returns-0-at-once", .rule = "S4, C", .profile = "linux",
	.cell = "write/open/full", .kinds = PL_ON(PL_PIPE), .body = zero_rule, .data = &Z_W_FULL,
	.title = "Verify that write(fd, buf, 0) to a full pipe returns 0 without waiting for room (POSIX: unspecified; fs/pipe.c pipe_write)",
	.expected = "0");

PL_RULE(.id = "zero/write-0-without-reader-no-sigpipe", .rule = "S4, D", .profile = "linux",
	.cell = "write/closed/not-full", .kinds = PL_ON(PL_PIPE) | PL_ON(PL_FIFO), .body = zero_rule, .data = &Z_W_NOREADER,
	.title = "Verify that write(fd, buf, 0) with no reader returns 0, with no EPIPE and no SIGPIPE (POSIX: unspecified; fs/pipe.c pipe_write)",
	.expected = "0; the writer keeps running");
