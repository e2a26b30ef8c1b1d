/* End of file: who holds a write end decides when a reader sees EOF. */
#include "case.h"

enum { HOLDER_OPEN, READ_NOW, HOLDER_CLOSE };
enum mark { READ };

struct setup {
	pl_chan pipe;
};

static void eof_writer(pl_actor *a, void *arg)
{
	struct setup *s = arg;
	int fd = pl_end(a, &s->pipe, PL_WRITE_END);
	pl_wait_cue(a, HOLDER_OPEN);
	pl_close(a, fd);
}

static void eof_holder(pl_actor *a, void *arg)
{
	struct setup *s = arg;
	int fd = pl_end(a, &s->pipe, PL_WRITE_END);
	pl_post_cue(a, HOLDER_OPEN);
	pl_wait_cue(a, HOLDER_CLOSE);
	pl_close(a, fd);
}

static void eof_reader(pl_actor *a, void *arg)
{
	struct setup *s = arg;
	char buf[64];
	int fd = pl_end(a, &s->pipe, PL_READ_END);
	pl_wait_cue(a, READ_NOW);
	PL_MARKED(a, READ, pl_read(a, fd, buf, sizeof buf));
}

/* Verify that a reader gets no EOF while a forked child still holds a copy of
 * the write end, although the writer itself closed it; EOF comes with the
 * child's close.  Rule E1 (POSIX read(); pipe(7)); the notes' "write ends not
 * all closed" row.  On pipe2(O_NONBLOCK) made blocking too (G1): the kind must
 * not matter once the flag is cleared. */
static void eof_withheld(pl_case *c, enum pl_kind kind, const void *data)
{
	(void)data;
	struct setup s = { 0 };
	pl_sandbox *sb = pl_sandbox_new(c, "eof withheld while a child holds the write end");
	PL_TRY(pl_pipe_make(sb, &s.pipe, kind));
	int r = pl_spawn(sb, "reader", eof_reader, &s);
	int w = pl_spawn(sb, "writer", eof_writer, &s);
	int h = pl_spawn(sb, "child holding a write end", eof_holder, &s);
	pl_pipe_seal(sb, &s.pipe);
	PL_TRY(pl_await_cue(sb, HOLDER_OPEN));
	PL_TRY(pl_await_end(sb, w));
	pl_cue(sb, READ_NOW);
	PL_TRY(pl_await_blocked(sb, r, PL_OP_READ));
	pl_observed(c, "writer closed, child still holds a write end: reader asleep in read(), no EOF");
	pl_cue(sb, HOLDER_CLOSE);
	PL_TRY(pl_await_step_done(sb, r, PL_OP_READ));
	PL_TRY(pl_await_end(sb, h));
	pl_expect_marked(c, sb, r, READ, 0, 0, "read returns EOF once the last write end is closed");
	pl_observed(c, "after the child's close: read returned 0");
}

PL_RULE(.id = "eof/withheld-while-child-holds-write-end", .rule = "E1, G1", .profile = "posix",
	.cell = "read/open/no-data", .kinds = PL_ON_ALL_KINDS, .body = eof_withheld,
	.title = "Verify that EOF is withheld while another process holds a write end, and comes with its close",
	.expected = "read blocks while any write end is open anywhere; returns 0 after the last close");
