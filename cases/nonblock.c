/* O_NONBLOCK: EAGAIN instead of blocking, all-or-nothing small writes, and the
 * flag living on the open file description.  docs/rules.md B, C, G, F4. */
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "case.h"

enum table_mark {
	READ_EMPTY_WRITER_OPEN, WRITE_1_FULL, WRITE_PIPE_BUF_FULL, DRAIN_100, WRITE_200, BYTES_ADDED, DRAIN_REST,
	WRITE_LARGE, READ_EMPTY_NO_WRITER
};

static void eagain_calls(pl_actor *a, void *arg)
{
	int fd[2];
	char buf[8192];
	static char big[65536 + 8192];
	if (!pl_nonblocking_ends(a, arg, fd))
		return;
	PL_CALL_AS(a, READ_EMPTY_WRITER_OPEN, "read empty, writer open", fd[0], read(fd[0], buf, sizeof buf));
	long cap = pl_fill(a, fd[1]);
	PL_CALL_AS(a, WRITE_1_FULL, "write 1 byte into a full pipe", fd[1], write(fd[1], "x", 1));
	PL_CALL_AS(a, WRITE_PIPE_BUF_FULL, "write PIPE_BUF bytes into a full pipe", fd[1], write(fd[1], big, 4096));
	/* 100 bytes out: by bytes there is room for 100, but a 200-byte write
	 * (<= PIPE_BUF) must go in whole or not at all. */
	PL_CALL_AS(a, DRAIN_100, "drain 100", fd[0], read(fd[0], buf, 100));
	int before = -1, after = -1;
	ioctl(fd[0], FIONREAD, &before);
	PL_CALL_AS(a, WRITE_200, "200-byte write with 100 bytes drained", fd[1], write(fd[1], big, 200));
	ioctl(fd[0], FIONREAD, &after);
	PL_CALL_AS(a, BYTES_ADDED, "bytes added by the refused write", fd[0], after - before);
	/* The rest of the first page out: one page slot is free. */
	PL_CALL_AS(a, DRAIN_REST, "drain the rest of a page", fd[0], read(fd[0], buf, 4096 - 100));
	PL_CALL_AS(a, WRITE_LARGE, "large write (> PIPE_BUF) with one page of room", fd[1], write(fd[1], big, 8192 + 1));
	(void)cap;
	/* Drain everything, then close the writer: EOF, not EAGAIN. */
	while (read(fd[0], buf, sizeof buf) > 0)
		;
	pl_close(a, fd[1]);
	PL_CALL_AS(a, READ_EMPTY_NO_WRITER, "read empty, no writer", fd[0], read(fd[0], buf, sizeof buf));
}

/* Verify the non-blocking table: empty with a writer gives EAGAIN, empty with
 * no writer gives 0; a full pipe gives EAGAIN; a write of n <= PIPE_BUF that
 * does not fit is refused whole (EAGAIN, nothing written); a write of
 * n > PIPE_BUF writes what fits.  Rules B, C, F4, G3.  Free room is never
 * computed from FIONREAD (C3): the case frees exactly one page. */
static void nonblocking_table(pl_case *c, enum pl_kind kind, const void *data)
{
	(void)data;
	pl_sandbox *sb = pl_sandbox_new(c, "non-blocking read and write");
	pl_chan ch = { .kind = kind };
	if (kind == PL_FIFO)
		PL_TRY(pl_pipe_make(sb, &ch, kind));
	int a;
	PL_TRY(pl_run_actor(sb, "process", eagain_calls, &ch, &a));
	pl_expect_marked(c, sb, a, READ_EMPTY_WRITER_OPEN, -1, EAGAIN, "read on an empty pipe with a writer");
	pl_expect_marked(c, sb, a, WRITE_1_FULL, -1, EAGAIN, "write into a full pipe");
	pl_expect_marked(c, sb, a, WRITE_PIPE_BUF_FULL, -1, EAGAIN, "PIPE_BUF-byte write into a full pipe");
	pl_expect_marked(c, sb, a, DRAIN_100, 100, 0, "draining 100 bytes");
	pl_expect_marked(c, sb, a, WRITE_200, -1, EAGAIN,
			"a 200-byte write (<= PIPE_BUF) that does not fit is refused whole");
	pl_expect_marked(c, sb, a, BYTES_ADDED, 0, 0, "the refused write added nothing");
	const struct pl_step *big = pl_marked(c, sb, a, WRITE_LARGE, "large write (> PIPE_BUF) with one page of room");
	if (big)
		pl_check(c, big->ret >= 1 && big->ret < 8193, "a write > PIPE_BUF writes part when some room is free",
			 "1..8192 bytes (a partial count)", "%ld", big->ret);
	pl_expect_marked(c, sb, a, READ_EMPTY_NO_WRITER, 0, 0, "read on an empty pipe with no writer: EOF, not EAGAIN");
	pl_measure(c, "partial count of a non-blocking 8193-byte write with one free page", big ? big->ret : -1, "bytes");
	pl_observed(c, "EAGAIN (empty, writer open); EAGAIN (full); 200 bytes after draining 100: EAGAIN, 0 bytes added; 8193 bytes with one free page: wrote %ld; empty without writer: 0",
		    big ? big->ret : -1);
}

PL_RULE(.id = "nonblock/eagain-eof-and-atomicity", .rule = "B, C, F4, G3", .profile = "posix",
	.kinds = PL_ON(PL_FIFO) | PL_ON(PL_PIPE2), .body = nonblocking_table,
	.title = "Verify the O_NONBLOCK table on a non-blocking pipe (pipe2(O_NONBLOCK), or a FIFO opened O_NONBLOCK)",
	.expected = "EAGAIN when empty with a writer, 0 with none; EAGAIN when full; n <= PIPE_BUF all or nothing; "
		    "n > PIPE_BUF partial");

enum flag_mark { READ_ORIGINAL, FLAG_AFTER_CHILD };

static void shared_flag(pl_actor *a, void *arg)
{
	(void)arg;
	int fd[2];
	char b;
	if (pl_pipe(a, fd) < 0)
		return;
	int dupfd = dup(fd[0]);
	pl_set_nonblock(a, dupfd, true);
	PL_CALL_AS(a, READ_ORIGINAL, "read on the original fd after F_SETFL on its dup", fd[0], read(fd[0], &b, 1));
	pid_t child = fork();
	if (child == 0) {
		/* The child clears it on its inherited copy ... */
		int fl = fcntl(fd[0], F_GETFL);
		_exit(fcntl(fd[0], F_SETFL, fl & ~O_NONBLOCK) == 0 ? 0 : 1);
	}
	waitpid(child, NULL, 0);
	/* ... and the parent's descriptors see it cleared. */
	PL_CALL_AS(a, FLAG_AFTER_CHILD, "O_NONBLOCK after the child cleared it", fd[0], (fcntl(fd[0], F_GETFL) & O_NONBLOCK) != 0);
}

/* Verify that O_NONBLOCK lives on the open file description: set through a
 * dup, it affects the original; cleared in a forked child, the parent sees
 * it cleared.  Rule G1. */
static void flag_shared(pl_case *c, enum pl_kind kind, const void *data)
{
	(void)kind;
	(void)data;
	pl_sandbox *sb = pl_sandbox_new(c, "dup and fork share O_NONBLOCK");
	int a;
	PL_TRY(pl_run_actor(sb, "process", shared_flag, NULL, &a));
	pl_expect_marked(c, sb, a, READ_ORIGINAL, -1, EAGAIN,
			"O_NONBLOCK set on a dup applies to the original");
	pl_expect_marked(c, sb, a, FLAG_AFTER_CHILD, 0, 0, "a forked child's F_SETFL applies to the parent");
	pl_observed(c, "set on a dup: the original read gave EAGAIN; cleared by a child: cleared for the parent");
}

PL_RULE(.id = "nonblock/flag-shared-by-dup-and-fork", .rule = "G1", .profile = "posix", .body = flag_shared,
	.title = "Verify that O_NONBLOCK is shared by dup'd and forked descriptors (one open file description)",
	.expected = "EAGAIN on the original after setting it on the dup; cleared for the parent after the child clears it");
