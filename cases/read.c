/* The notes' read table (读管道), one case per cell and pipe kind.
 *
 *   | write ends     | data in pipe     | no data          |
 *   | all closed     | returns bytes    | returns 0 (EOF)  |
 *   | not all closed | returns bytes    | blocks           |
 *
 * Rule B of docs/rules.md (POSIX read(): "no process has the pipe open for
 * writing" gives 0; an empty pipe with a writer blocks). */
#include "case.h"
#include "notes_tables.h"

enum { READER_READY, WRITER_DONE, READ_NOW, WAKE_WRITE, FINISH };
enum mark { FIRST_READ, LATER_READ };

static const char PAYLOAD[] = "hello pipe"; /* the notes' own message */

struct read_setup {
	const struct pl_cell *cell;
	pl_chan pipe;
};

static void writer(pl_actor *a, void *arg)
{
	struct read_setup *s = arg;
	int fd = pl_end(a, &s->pipe, PL_WRITE_END);
	if (!s->cell->second_col)
		pl_write(a, fd, PAYLOAD, sizeof PAYLOAD - 1);
	if (s->cell->ends_closed) {
		pl_close(a, fd);
		pl_post_cue(a, WRITER_DONE);
		return;
	}
	pl_post_cue(a, WRITER_DONE);
	pl_wait_cue(a, WAKE_WRITE);
	pl_write(a, fd, "wake", 4);
	pl_wait_cue(a, FINISH);
}

static void reader(pl_actor *a, void *arg)
{
	struct read_setup *s = arg;
	char buf[64];
	int fd = pl_end(a, &s->pipe, PL_READ_END);
	pl_post_cue(a, READER_READY);
	pl_wait_cue(a, READ_NOW);
	PL_MARKED(a, FIRST_READ, pl_read(a, fd, buf, sizeof buf));
	if (s->cell->ends_closed)
		PL_MARKED(a, LATER_READ, pl_read(a, fd, buf, sizeof buf)); /* EOF again, every time */
	pl_wait_cue(a, FINISH);
}

static void read_cell(pl_case *c, enum pl_kind kind, const void *data)
{
	struct read_setup s = { .cell = data };
	pl_sandbox *sb = pl_sandbox_new(c, s.cell->id);
	PL_TRY(pl_pipe_make(sb, &s.pipe, kind));
	int w = pl_spawn(sb, "writer", writer, &s);
	int r = pl_spawn(sb, "reader", reader, &s);
	pl_pipe_seal(sb, &s.pipe);

	PL_TRY(pl_await_cue(sb, READER_READY));
	PL_TRY(pl_await_cue(sb, WRITER_DONE));
	if (s.cell->ends_closed)
		PL_TRY(pl_await_end(sb, w)); /* every write end is now closed */
	pl_cue(sb, READ_NOW);

	if (s.cell->second_col && !s.cell->ends_closed) {
		PL_TRY(pl_await_blocked_why(sb, r, PL_OP_READ, "the pipe was empty and a writer still had it open"));
		pl_observed(c, "reader asleep in read() on an empty pipe with a writer open");
		pl_cue(sb, WAKE_WRITE);
	}
	PL_TRY(pl_await_step_done(sb, r, PL_OP_READ));
	pl_cue(sb, FINISH);
	PL_TRY(pl_await_end(sb, r));

	const struct pl_step *first = pl_marked(c, sb, r, FIRST_READ, "read");
	if (!first)
		return;
	char out[64];
	if (!s.cell->second_col) {
		pl_expect_step(c, "read returns the bytes in the pipe", first, sizeof PAYLOAD - 1, 0);
		pl_check(c, !strcmp(first->preview, PAYLOAD), "bytes read", PAYLOAD, "%s", first->preview);
	} else if (s.cell->ends_closed) {
		pl_expect_step(c, "read on an empty pipe with no writer returns EOF", first, 0, 0);
	} else {
		pl_expect_step(c, "the blocked read returns the bytes of the waking write", first, 4, 0);
		pl_check(c, !strcmp(first->preview, "wake"), "bytes read", "wake", "%s", first->preview);
	}
	const struct pl_step *later = s.cell->ends_closed ? pl_marked(c, sb, r, LATER_READ, "the later read") : NULL;
	if (later)
		pl_expect_step(c, "a later read returns EOF too", later, 0, 0);
	pl_observed(c, "read returned %s", pl_step_outcome(first, out, sizeof out));
}

/* The four cells; rule, title and expected come from the notes' table. */
PL_RULE(.id = "read/all-closed/data", PL_NOTES_TABLE_CELL(read_cell));
PL_RULE(.id = "read/all-closed/no-data", PL_NOTES_TABLE_CELL(read_cell));
PL_RULE(.id = "read/open/data", PL_NOTES_TABLE_CELL(read_cell));
PL_RULE(.id = "read/open/no-data", PL_NOTES_TABLE_CELL(read_cell));
