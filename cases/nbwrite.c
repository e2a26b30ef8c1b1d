/* Non-blocking writes exactly: all or nothing at a byte boundary, and how
 * much a large write transfers.  BEHAVIOURS.md C, F4, S5.  POSIX write(),
 * O_NONBLOCK set: n <= PIPE_BUF "if there is sufficient space available in
 * the pipe, write() shall transfer all the data ... Otherwise, write() shall
 * transfer no data and return -1 with errno set to [EAGAIN]"; n > PIPE_BUF
 * "when at least one byte can be written, transfer what it can ...  When all
 * data previously written to the pipe is read, it shall transfer at least
 * {PIPE_BUF} bytes". */
#include <sys/ioctl.h>
#include <unistd.h>

#include "case.h"

static int queued(int fd)
{
	int n = -1;
	ioctl(fd, FIONREAD, &n);
	return n;
}

enum room_mark {
	SET_ONE_PAGE, FILL_4000, WRITE_200, QUEUED_AFTER, WRITE_97, WRITE_96, WRITE_1_FULL,
	SET_TWO_PAGES, WRITE_3000, WRITE_PIPE_BUF, QUEUED_AFTER_PIPE_BUF,
};

static void byte_room(pl_actor *a, void *arg)
{
	int fd[2];
	static char buf[4096];
	if (!pl_nonblocking_ends(a, arg, fd))
		return;
	PL_CALL_AS(a, SET_ONE_PAGE, "F_SETPIPE_SZ 4096", fd[1], fcntl(fd[1], F_SETPIPE_SZ, 4096));
	PL_CALL_AS(a, FILL_4000, "write 4000 into the one-page pipe", fd[1], write(fd[1], buf, 4000));
	PL_CALL_AS(a, WRITE_200, "write 200 with 96 bytes free", fd[1], write(fd[1], buf, 200));
	PL_CALL_AS(a, QUEUED_AFTER, "bytes queued after the refused write", fd[0], queued(fd[0]));
	PL_CALL_AS(a, WRITE_97, "write 97 with 96 bytes free", fd[1], write(fd[1], buf, 97));
	PL_CALL_AS(a, WRITE_96, "write 96 with 96 bytes free", fd[1], write(fd[1], buf, 96));
	PL_CALL_AS(a, WRITE_1_FULL, "write 1 into the full page", fd[1], write(fd[1], buf, 1));
	/* A whole PIPE_BUF against 1096 free bytes: a library that writes in
	 * small chunks gets part of it in and must not report that. */
	PL_CALL_AS(a, SET_TWO_PAGES, "F_SETPIPE_SZ 8192", fd[1], fcntl(fd[1], F_SETPIPE_SZ, 8192));
	PL_CALL_AS(a, WRITE_3000, "write 3000 into the second page", fd[1], write(fd[1], buf, 3000));
	PL_CALL_AS(a, WRITE_PIPE_BUF, "write 4096 (PIPE_BUF) with 1096 free", fd[1], write(fd[1], buf, sizeof buf));
	PL_CALL_AS(a, QUEUED_AFTER_PIPE_BUF, "bytes queued after the refused PIPE_BUF write", fd[0], queued(fd[0]));
}

/* Verify all-or-nothing at a byte boundary: a one-page pipe holding 4000
 * bytes refuses non-blocking writes of 200 and 97 bytes whole (EAGAIN,
 * nothing added), takes 96 whole, then refuses 1.  POSIX write() O_NONBLOCK
 * n <= PIPE_BUF; Linux for F_SETPIPE_SZ (S5; V618). */
static void byte_room_rule(pl_case *c, enum pl_kind kind, const void *data)
{
	(void)data;
	pl_sandbox *sb = pl_sandbox_new(c, "non-blocking writes with part of the room");
	pl_chan ch = { .kind = kind };
	if (kind == PL_FIFO)
		PL_TRY(pl_pipe_make(sb, &ch, kind));
	int a;
	PL_TRY(pl_run_actor(sb, "process", byte_room, &ch, &a));
	const struct pl_step *sz = pl_find_marked(sb, a, SET_ONE_PAGE);
	if (!sz || sz->ret != 4096) {
		pl_skip(c, "a one-page pipe is not available (F_SETPIPE_SZ gave %ld)", sz ? sz->ret : -1);
		return;
	}
	pl_expect_marked(c, sb, a, FILL_4000, 4000, 0, "setting up 96 free bytes");
	pl_expect_marked(c, sb, a, WRITE_200, -1, EAGAIN, "200 bytes with 96 free: refused whole");
	pl_expect_marked(c, sb, a, QUEUED_AFTER, 4000, 0, "the refused write added nothing");
	pl_expect_marked(c, sb, a, WRITE_97, -1, EAGAIN, "97 bytes with 96 free: refused whole");
	pl_expect_marked(c, sb, a, WRITE_96, 96, 0, "96 bytes with 96 free: written whole");
	pl_expect_marked(c, sb, a, WRITE_1_FULL, -1, EAGAIN, "1 byte into the full one-page pipe");
	pl_expect_marked(c, sb, a, SET_TWO_PAGES, 8192, 0, "growing the full pipe to two pages");
	pl_expect_marked(c, sb, a, WRITE_3000, 3000, 0, "setting up 1096 free bytes");
	pl_expect_marked(c, sb, a, WRITE_PIPE_BUF, -1, EAGAIN, "4096 (PIPE_BUF) bytes with 1096 free: refused whole");
	pl_expect_marked(c, sb, a, QUEUED_AFTER_PIPE_BUF, 7096, 0, "the refused PIPE_BUF write added nothing");
	pl_observed(c, "200 and 97 bytes with 96 free: EAGAIN, nothing added; 96: written; then 1: EAGAIN; "
		    "4096 with 1096 free: EAGAIN, nothing added");
}

enum large_mark { LARGE_EMPTY, LARGE_QUEUED, LARGE_FULL };

static void large_write(pl_actor *a, void *arg)
{
	int fd[2];
	static char buf[200000];
	if (!pl_nonblocking_ends(a, arg, fd))
		return;
	PL_CALL_AS(a, LARGE_EMPTY, "200000 bytes into the empty pipe", fd[1], write(fd[1], buf, sizeof buf));
	PL_CALL_AS(a, LARGE_QUEUED, "bytes queued after the large write", fd[0], queued(fd[0]));
	PL_CALL_AS(a, LARGE_FULL, "200000 bytes into the full pipe", fd[1], write(fd[1], buf, sizeof buf));
}

/* Verify that a non-blocking write of more than PIPE_BUF bytes into an empty
 * pipe transfers at least PIPE_BUF bytes and returns that count (what is
 * queued), and into a full pipe gives EAGAIN.  POSIX write() O_NONBLOCK
 * n > PIPE_BUF.  The count itself is the capacity: measured. */
static void large_write_rule(pl_case *c, enum pl_kind kind, const void *data)
{
	(void)data;
	pl_sandbox *sb = pl_sandbox_new(c, "non-blocking write larger than the pipe");
	pl_chan ch = { .kind = kind };
	if (kind == PL_FIFO)
		PL_TRY(pl_pipe_make(sb, &ch, kind));
	int a;
	PL_TRY(pl_run_actor(sb, "process", large_write, &ch, &a));
	const struct pl_step *w = pl_find_marked(sb, a, LARGE_EMPTY);
	const struct pl_step *q = pl_find_marked(sb, a, LARGE_QUEUED);
	long got = w && w->done ? w->ret : -2;
	pl_check(c, got >= 4096 && got < 200000, "a large write into an empty pipe", "PIPE_BUF (4096) .. 199999 bytes", "%ld%s%s",
		 got, got < 0 ? " " : "", got < 0 && w ? pl_errno_name(w->err) : "");
	pl_check(c, q && q->ret == got, "the count returned is what was queued", "equal", "%ld returned, %ld queued", got,
		 q ? q->ret : -1);
	pl_expect_marked(c, sb, a, LARGE_FULL, -1, EAGAIN, "a large write into the full pipe");
	pl_measure(c, "non-blocking 200000-byte write into an empty pipe", got, "bytes");
	pl_observed(c, "wrote %ld of 200000 into the empty pipe, then EAGAIN", got);
}

/* ---- registrations ---------------------------------------------------- */

PL_RULE(.id = "nbwrite/pipe-buf-all-or-nothing-at-a-byte-boundary", .rule = "S5, F4, C", .profile = "linux",
	.kinds = PL_ON(PL_PIPE2) | PL_ON(PL_FIFO), .body = byte_room_rule,
	.title = "Verify that a non-blocking write of n <= PIPE_BUF with room for fewer than n bytes is refused whole (POSIX write() O_NONBLOCK; F_SETPIPE_SZ)",
	.expected = "200 and 97 with 96 free: -1 EAGAIN, nothing added; 96: 96; 1 into a full page: -1 EAGAIN; "
		    "4096 with 1096 free (two pages): -1 EAGAIN, nothing added");

PL_RULE(.id = "nbwrite/large-write-into-empty-pipe-transfers-at-least-pipe-buf", .rule = "C, F4", .profile = "posix",
	.kinds = PL_ON(PL_PIPE2) | PL_ON(PL_FIFO), .body = large_write_rule,
	.title = "Verify that a non-blocking write above PIPE_BUF into an empty pipe transfers at least PIPE_BUF bytes, and into a full one gives EAGAIN (POSIX write())",
	.expected = ">= 4096 and < 200000, equal to what is queued; then -1 EAGAIN");
