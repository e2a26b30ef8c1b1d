/* O_APPEND on a pipe or FIFO write end.  docs/rules.md J.  Part of the
 * pipefd suite (ids pipefd/...), in a file of its own to stay short.
 * POSIX fcntl() F_SETFL sets the file status flags, O_APPEND among them
 * (<fcntl.h>), and F_GETFL returns them.  POSIX write(): with O_APPEND "the
 * file offset shall be set to the end of the file prior to each write", but
 * "On a file not capable of seeking, writing shall always take place starting
 * at the current position"; ESPIPE is an error of pwrite() and lseek() only,
 * so on a pipe O_APPEND changes nothing. */
#include <unistd.h>

#include "case.h"

enum mark { SETFL_APPEND, GETFL_AFTER, WRITE_FIRST, WRITE_SECOND, READ_ALL };
enum { WRITTEN = 1 };

static void appender(pl_actor *a, void *arg)
{
	int fd = pl_end(a, arg, PL_WRITE_END);
	int fl = fcntl(fd, F_GETFL);
	if (fl < 0) {
		pl_note(a, "F_GETFL before: %s", pl_errno_name(errno));
		return;
	}
	PL_MARKED(a, SETFL_APPEND, pl_fcntl(a, fd, F_SETFL, fl | O_APPEND, "F_SETFL +O_APPEND"));
	PL_MARKED(a, GETFL_AFTER, pl_fcntl(a, fd, F_GETFL, 0, "F_GETFL after"));
	PL_MARKED(a, WRITE_FIRST, pl_write(a, fd, "abc", 3));
	PL_MARKED(a, WRITE_SECOND, pl_write(a, fd, "def", 3));
	pl_close(a, fd);
}

static void reader(pl_actor *a, void *arg)
{
	char buf[16] = "";
	int fd = pl_end(a, arg, PL_READ_END);
	/* Not before the writer is done: the rule is O_APPEND's, not the open's. */
	pl_wait_cue(a, WRITTEN);
	PL_MARKED(a, READ_ALL, pl_read_full(a, fd, buf, sizeof buf - 1));
}

/* Verify that F_SETFL O_APPEND on a write end is accepted, F_GETFL then
 * shows O_APPEND with the access mode still O_WRONLY, and two writes return
 * 3 each (no ESPIPE) and are read in order. */
static void append_rule(pl_case *c, enum pl_kind kind, const void *data)
{
	(void)data;
	pl_sandbox *sb = pl_sandbox_new(c, "O_APPEND set on the write end, then two writes");
	pl_chan ch;
	PL_TRY(pl_pipe_make(sb, &ch, kind));
	int r = pl_spawn(sb, "reader", reader, &ch);
	int w = pl_spawn(sb, "writer", appender, &ch);
	pl_pipe_seal(sb, &ch);
	PL_TRY(pl_await_end(sb, w));
	pl_cue(sb, WRITTEN);
	PL_TRY(pl_await_end(sb, r));
	pl_expect_marked(c, sb, w, SETFL_APPEND, 0, 0, "F_SETFL with O_APPEND added");
	const struct pl_step *g = pl_marked(c, sb, w, GETFL_AFTER, "F_GETFL after F_SETFL");
	if (g)
		pl_check(c, g->ret >= 0 && (g->ret & O_APPEND) && (g->ret & O_ACCMODE) == O_WRONLY,
			 "F_GETFL shows O_APPEND on the write end", "O_WRONLY | O_APPEND", "%s%s%s",
			 g->ret < 0 ? pl_errno_name(g->err) : (g->ret & O_ACCMODE) == O_WRONLY ? "O_WRONLY" : "another access mode",
			 g->ret >= 0 && (g->ret & O_APPEND) ? " | O_APPEND" : "", g->ret >= 0 && !(g->ret & O_APPEND) ? ", no O_APPEND" : "");
	pl_expect_marked(c, sb, w, WRITE_FIRST, 3, 0, "the first write with O_APPEND");
	pl_expect_marked(c, sb, w, WRITE_SECOND, 3, 0, "the second write with O_APPEND");
	const struct pl_step *rd = pl_marked(c, sb, r, READ_ALL, "the reader's read to end of file");
	if (rd)
		pl_check(c, rd->ret == 6 && !strcmp(rd->preview, "abcdef"), "the reader gets both writes in order",
			 "6 \"abcdef\"", "%ld \"%s\"", rd->ret, rd->preview);
	pl_observed(c, "F_SETFL O_APPEND accepted; F_GETFL %#lx; writes of 3 and 3; read \"%s\"", g ? g->ret : -1L,
		    rd ? rd->preview : "");
}

PL_RULE(.id = "pipefd/o-append-accepted-writes-unchanged", .rule = "J", .profile = "posix",
	.kinds = PL_ON_ALL_KINDS, .body = append_rule,
	.title = "Verify that O_APPEND set with F_SETFL on a write end is kept, and writes go on as without it (POSIX fcntl(), write())",
	.expected = "F_SETFL 0; F_GETFL O_WRONLY | O_APPEND; writes 3 and 3, no ESPIPE; read 6 \"abcdef\"");
