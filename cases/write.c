/* The notes' write table (写管道), one case per cell and pipe kind.
 *
 *   | read ends      | pipe not full | pipe full |
 *   | not all closed | writes        | blocks    |
 *   | all closed     | SIGPIPE       | SIGPIPE   |
 *
 * Rules C and D of docs/rules.md (POSIX write(): EPIPE and SIGPIPE when no
 * process has the pipe open for reading; a full pipe blocks the writer).
 * The "all closed" row is checked under each SIGPIPE disposition, because the
 * notes claim the writer survives ("进程不终止"): it does only when SIGPIPE is
 * ignored, caught or blocked. */
#include <fcntl.h>

#include "case.h"
#include "notes_tables.h"

enum { READER_OPEN, FILLED, CLOSE_READER, WRITE_NOW, DRAIN, FINISH };
enum mark { READ, GET_SIZE, FILL, WRITE };

static const char PAYLOAD[] = "hello pipe";

enum disposition { SIGPIPE_DEFAULT, SIGPIPE_IGNORED, SIGPIPE_CAUGHT, SIGPIPE_BLOCKED };
static const char *const disposition_name[] = { "default", "ignored", "caught", "blocked" };

struct write_setup {
	const struct pl_cell *cell;
	enum disposition disp;
	pl_chan pipe;
};

static void reader(pl_actor *a, void *arg)
{
	struct write_setup *s = arg;
	static char buf[4096];
	int fd = pl_end(a, &s->pipe, PL_READ_END);
	pl_post_cue(a, READER_OPEN);
	if (s->cell->ends_closed) {
		pl_wait_cue(a, CLOSE_READER);
		pl_close(a, fd);
		return;
	}
	pl_wait_cue(a, DRAIN);
	if (s->cell->second_col) {
		/* Up to a page in one read: on Linux a whole page (less may free no
		 * slot, C3); from a pipe that holds less, all it holds. */
		PL_MARKED(a, READ, pl_read(a, fd, buf, sizeof buf));
	} else {
		PL_MARKED(a, READ, pl_read(a, fd, buf, 64));
	}
	pl_wait_cue(a, FINISH);
}

static void writer(pl_actor *a, void *arg)
{
	struct write_setup *s = arg;
	int fd = pl_end(a, &s->pipe, PL_WRITE_END);
	if (s->cell->second_col) {
		PL_MARKED(a, GET_SIZE, pl_fcntl(a, fd, F_GETPIPE_SZ, 0, "F_GETPIPE_SZ"));
		PL_MARKED(a, FILL, pl_fill(a, fd));
	}
	pl_post_cue(a, FILLED);
	pl_wait_cue(a, WRITE_NOW);
	switch (s->disp) {
	case SIGPIPE_DEFAULT: break;
	case SIGPIPE_IGNORED: pl_ignore(a, SIGPIPE); break;
	case SIGPIPE_CAUGHT: pl_catch(a, SIGPIPE); break;
	case SIGPIPE_BLOCKED: pl_block(a, SIGPIPE); break;
	}
	PL_MARKED(a, WRITE, pl_write(a, fd, PAYLOAD, sizeof PAYLOAD - 1));
	pl_record_pending(a);
	pl_wait_cue(a, FINISH);
}

/* Capacity by filling, reported (never compared with a fixed number); where
 * the system has F_GETPIPE_SZ (Linux), the two must agree. */
static void check_fill(pl_case *c, pl_sandbox *sb, int w)
{
	const struct pl_step *sz = pl_find_marked(sb, w, GET_SIZE), *fill = pl_marked(c, sb, w, FILL, "fill");
	if (!fill)
		return;
	if (fill->ret <= 0) {
		/* The writes of the implementation under test failed: its fault. */
		pl_check(c, false, "the pipe can be filled by non-blocking writes", "some bytes, then EAGAIN",
			 "%ld bytes (%s)", fill->ret, pl_rec(sb, w)->note);
		return;
	}
	pl_measure(c, "capacity_by_filling", fill->ret, "bytes");
	if (sz && sz->ret > 0) {
		pl_measure(c, "F_GETPIPE_SZ", sz->ret, "bytes");
		pl_check(c, sz->ret == fill->ret, "filling with page-sized writes confirms F_GETPIPE_SZ",
			 "equal", "F_GETPIPE_SZ %ld, filled %ld", sz->ret, fill->ret);
	} else {
		pl_observed(c, "F_GETPIPE_SZ unsupported here (%s); capacity by filling only", pl_errno_name(sz ? sz->err : 0));
	}
}

/* Readers still open: the write goes in at once, or blocks on a full pipe
 * until the reader drains a page, then returns its full count. */
static void open_row(pl_case *c, enum pl_kind kind, struct write_setup *s)
{
	pl_sandbox *sb = pl_sandbox_new(c, s->cell->id);
	PL_TRY(pl_pipe_make(sb, &s->pipe, kind));
	int r = pl_spawn(sb, "reader", reader, s);
	int w = pl_spawn(sb, "writer", writer, s);
	pl_pipe_seal(sb, &s->pipe);
	PL_TRY(pl_await_cue(sb, READER_OPEN));
	PL_TRY(pl_await_cue(sb, FILLED));
	if (s->cell->second_col)
		check_fill(c, sb, w);
	pl_cue(sb, WRITE_NOW);
	if (s->cell->second_col) {
		PL_TRY(pl_await_blocked(sb, w, PL_OP_WRITE));
		pl_observed(c, "writer asleep in write() on a full pipe");
		pl_cue(sb, DRAIN);
		PL_TRY(pl_await_step_done(sb, r, PL_OP_READ));
	}
	PL_TRY(pl_await_step_done(sb, w, PL_OP_WRITE));
	if (!s->cell->second_col) {
		pl_cue(sb, DRAIN);
		PL_TRY(pl_await_step_done(sb, r, PL_OP_READ));
		const struct pl_step *rd = pl_marked(c, sb, r, READ, "read");
		if (rd)
			pl_check(c, rd->ret == sizeof PAYLOAD - 1 && !strcmp(rd->preview, PAYLOAD), "the reader gets the bytes written",
			 PAYLOAD, "%ld bytes \"%s\"", rd->ret, rd->preview);
	}
	pl_cue(sb, FINISH);
	PL_TRY(pl_await_end(sb, w));
	PL_TRY(pl_await_end(sb, r));
	const struct pl_step *wr = pl_marked(c, sb, w, WRITE, "write");
	if (!wr)
		return;
	char out[64];
	pl_expect_step(c, s->cell->second_col ? "the blocked write returns its full count once a page is drained"
					      : "write returns the full count",
		       wr, sizeof PAYLOAD - 1, 0);
	pl_expect_exit0(c, "writer survives", pl_rec(sb, w));
	pl_observed(c, "write returned %s", pl_step_outcome(wr, out, sizeof out));
}

/* No reader left: SIGPIPE, whose effect depends on the writer's disposition. */
static void closed_row(pl_case *c, enum pl_kind kind, struct write_setup *s)
{
	char name[96];
	snprintf(name, sizeof name, "%s, SIGPIPE %s", s->cell->id, disposition_name[s->disp]);
	pl_sandbox *sb = pl_sandbox_new(c, name);
	PL_TRY(pl_pipe_make(sb, &s->pipe, kind));
	int r = pl_spawn(sb, "reader", reader, s);
	int w = pl_spawn(sb, "writer", writer, s);
	pl_pipe_seal(sb, &s->pipe);
	PL_TRY(pl_await_cue(sb, READER_OPEN));
	PL_TRY(pl_await_cue(sb, FILLED)); /* full, if the cell wants it, while a reader exists */
	if (s->cell->second_col)
		check_fill(c, sb, w);
	pl_cue(sb, CLOSE_READER);
	PL_TRY(pl_await_end(sb, r)); /* now every read end is closed */
	pl_cue(sb, WRITE_NOW);
	PL_TRY(pl_await_step_done(sb, w, PL_OP_WRITE));
	pl_cue(sb, FINISH);
	PL_TRY(pl_await_end(sb, w));

	struct pl_actor_rec *wrec = pl_rec(sb, w);
	const struct pl_step *wr = pl_marked(c, sb, w, WRITE, "write");
	if (!wr)
		return;
	char what[128], out[96];
	if (s->disp == SIGPIPE_DEFAULT) {
		snprintf(what, sizeof what, "SIGPIPE %s: the writer dies", disposition_name[s->disp]);
		pl_expect_killed_by(c, what, wrec, SIGPIPE);
		/* The signal comes from inside write(): a writer that survives it
		 * is told nothing else, so write() never gets back to the program. */
		pl_check(c, !wr->done, "SIGPIPE default: writer's write() does not return (SIGPIPE ends the writer inside it)",
			 "no return", "write() %s%s", wr->done ? "returned " : "", pl_step_outcome(wr, out, sizeof out));
		pl_observed(c, "default: writer %s", pl_actor_end_text(wrec, out, sizeof out));
		return;
	}
	snprintf(what, sizeof what, "SIGPIPE %s: write fails with EPIPE", disposition_name[s->disp]);
	pl_expect_step(c, what, wr, -1, EPIPE);
	snprintf(what, sizeof what, "SIGPIPE %s: the writer survives", disposition_name[s->disp]);
	pl_expect_exit0(c, what, wrec);
	if (s->disp == SIGPIPE_CAUGHT)
		pl_check(c, wrec->caught[SIGPIPE] == 1, "SIGPIPE caught: writer's write() raises it, the handler runs once",
			 "1 run", "%d run%s", (int)wrec->caught[SIGPIPE], wrec->caught[SIGPIPE] == 1 ? "" : "s");
	if (s->disp == SIGPIPE_BLOCKED)
		pl_check(c, wrec->pending_sigpipe == 1, "SIGPIPE blocked: writer's write() raises it, it stays pending", "pending",
			 "%s", wrec->pending_sigpipe ? "pending" : "not pending");
	pl_observed(c, "%s: write %s", disposition_name[s->disp], pl_step_outcome(wr, out, sizeof out));
}

static void write_cell(pl_case *c, enum pl_kind kind, const void *data)
{
	struct write_setup s = { .cell = data };
	if (!s.cell->ends_closed) {
		open_row(c, kind, &s);
		return;
	}
	for (s.disp = SIGPIPE_DEFAULT; s.disp <= SIGPIPE_BLOCKED; s.disp++) {
		closed_row(c, kind, &s);
		if (pl_case_verdict(c) == PL_TIMEOUT || pl_case_verdict(c) == PL_BROKEN)
			return;
	}
}

/* The four cells; rule, title and expected come from the notes' table. */
PL_RULE(.id = "write/open/not-full", PL_NOTES_TABLE_CELL(write_cell));
PL_RULE(.id = "write/open/full", PL_NOTES_TABLE_CELL(write_cell));
PL_RULE(.id = "write/closed/not-full", PL_NOTES_TABLE_CELL(write_cell));
PL_RULE(.id = "write/closed/full", PL_NOTES_TABLE_CELL(write_cell));
