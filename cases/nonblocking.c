/* O_NONBLOCK: EAGAIN instead of blocking, all-or-nothing small writes, and the
 * flag living on the open file description.  BEHAVIOURS.md B, C, G, F4. */
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "case.h"

/* Both ends in one actor: an anonymous pipe made with pipe2(O_NONBLOCK), or a
 * FIFO opened non-blocking (reader first, H2). */
static bool nb_ends(pl_actor *a, const pl_chan *ch, int fd[2])
{
	if (ch->kind == PL_PIPE2) {
		PL_CALL(a, "pipe2(O_NONBLOCK)", -1, pipe2(fd, O_NONBLOCK));
		return pl_step_named(a->sb, a->index, "pipe2(O_NONBLOCK)")->ret == 0;
	}
	fd[0] = pl_open(a, ch->path, O_RDONLY | O_NONBLOCK);
	fd[1] = pl_open(a, ch->path, O_WRONLY | O_NONBLOCK);
	return fd[0] >= 0 && fd[1] >= 0;
}

static void eagain_calls(pl_actor *a, void *arg)
{
	int fd[2];
	char buf[8192];
	static char big[65536 + 8192];
	if (!nb_ends(a, arg, fd))
		return;
	PL_CALL(a, "read empty, writer open", fd[0], read(fd[0], buf, sizeof buf));
	long cap = pl_fill(a, fd[1]);
	PL_CALL(a, "write 1 byte into a full pipe", fd[1], write(fd[1], "x", 1));
	PL_CALL(a, "write PIPE_BUF bytes into a full pipe", fd[1], write(fd[1], big, 4096));
	/* 100 bytes out: by bytes there is room for 100, but a 200-byte write
	 * (<= PIPE_BUF) must go in whole or not at all. */
	PL_CALL(a, "drain 100", fd[0], read(fd[0], buf, 100));
	int before = -1, after = -1;
	ioctl(fd[0], FIONREAD, &before);
	PL_CALL(a, "200-byte write with 100 bytes drained", fd[1], write(fd[1], big, 200));
	ioctl(fd[0], FIONREAD, &after);
	PL_CALL(a, "bytes added by the refused write", fd[0], after - before);
	/* The rest of the first page out: one page slot is free. */
	PL_CALL(a, "drain the rest of a page", fd[0], read(fd[0], buf, 4096 - 100));
	PL_CALL(a, "large write (> PIPE_BUF) with one page of room", fd[1], write(fd[1], big, 8192 + 1));
	(void)cap;
	/* Drain everything, then close the writer: EOF, not EAGAIN. */
	while (read(fd[0], buf, sizeof buf) > 0)
		;
	pl_close(a, fd[1]);
	PL_CALL(a, "read empty, no writer", fd[0], read(fd[0], buf, sizeof buf));
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
	pl_expect_named(c, sb, a, "read empty, writer open", -1, EAGAIN, "read on an empty pipe with a writer");
	pl_expect_named(c, sb, a, "write 1 byte into a full pipe", -1, EAGAIN, "write into a full pipe");
	pl_expect_named(c, sb, a, "write PIPE_BUF bytes into a full pipe", -1, EAGAIN, "PIPE_BUF-byte write into a full pipe");
	pl_expect_named(c, sb, a, "drain 100", 100, 0, "draining 100 bytes");
	pl_expect_named(c, sb, a, "200-byte write with 100 bytes drained", -1, EAGAIN,
			"a 200-byte write (<= PIPE_BUF) that does not fit is refused whole");
	pl_expect_named(c, sb, a, "bytes added by the refused write", 0, 0, "the refused write added nothing");
	const struct pl_step *big = pl_step_named(sb, a, "large write (> PIPE_BUF) with one page of room");
	pl_check(c, big && big->ret >= 1 && big->ret < 8193, "a write > PIPE_BUF writes part when some room is free",
		 "1..8192 bytes (a partial count)", "%ld", big ? big->ret : -2);
	pl_expect_named(c, sb, a, "read empty, no writer", 0, 0, "read on an empty pipe with no writer: EOF, not EAGAIN");
	pl_measure(c, "partial count of a non-blocking 8193-byte write with one free page", big ? big->ret : -1, "bytes");
	pl_observed(c, "EAGAIN (empty, writer open); EAGAIN (full); 200 bytes after draining 100: EAGAIN, 0 bytes added; 8193 bytes with one free page: wrote %ld; empty without writer: 0",
		    big ? big->ret : -1);
}

PL_CASE(nonblocking, nonblocking_read_and_write_table_pipe2, "nonblock/eagain-eof-and-atomicity@pipe2", "posix")
{
	static const struct pl_case_spec spec = { "nonblock/eagain-eof-and-atomicity", "B, C, F4, G3", "posix", NULL,
		"Verify the O_NONBLOCK table on a pipe2(O_NONBLOCK) pipe",
		"EAGAIN when empty with a writer, 0 with none; EAGAIN when full; n <= PIPE_BUF all or nothing; n > PIPE_BUF partial" };
	pl_run(&spec, PL_PIPE2, nonblocking_table, NULL);
}

PL_CASE(nonblocking, nonblocking_read_and_write_table_fifo, "nonblock/eagain-eof-and-atomicity@fifo", "posix")
{
	static const struct pl_case_spec spec = { "nonblock/eagain-eof-and-atomicity", "B, C, F4, G3", "posix", NULL,
		"Verify the O_NONBLOCK table on a FIFO opened with O_NONBLOCK",
		"EAGAIN when empty with a writer, 0 with none; EAGAIN when full; n <= PIPE_BUF all or nothing; n > PIPE_BUF partial" };
	pl_run(&spec, PL_FIFO, nonblocking_table, NULL);
}

static void shared_flag(pl_actor *a, void *arg)
{
	(void)arg;
	int fd[2];
	char b;
	if (pl_pipe(a, fd) < 0)
		return;
	int dupfd = dup(fd[0]);
	pl_set_nonblock(a, dupfd, true);
	PL_CALL(a, "read on the original fd after F_SETFL on its dup", fd[0], read(fd[0], &b, 1));
	pid_t child = fork();
	if (child == 0) {
		/* The child clears it on its inherited copy ... */
		int fl = fcntl(fd[0], F_GETFL);
		_exit(fcntl(fd[0], F_SETFL, fl & ~O_NONBLOCK) == 0 ? 0 : 1);
	}
	waitpid(child, NULL, 0);
	/* ... and the parent's descriptors see it cleared. */
	PL_CALL(a, "O_NONBLOCK after the child cleared it", fd[0], (fcntl(fd[0], F_GETFL) & O_NONBLOCK) != 0);
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
	pl_expect_named(c, sb, a, "read on the original fd after F_SETFL on its dup", -1, EAGAIN,
			"O_NONBLOCK set on a dup applies to the original");
	pl_expect_named(c, sb, a, "O_NONBLOCK after the child cleared it", 0, 0, "a forked child's F_SETFL applies to the parent");
	pl_observed(c, "set on a dup: the original read gave EAGAIN; cleared by a child: cleared for the parent");
}

PL_CASE(nonblocking, nonblock_flag_is_shared_by_dup_and_fork, "nonblock/flag-shared-by-dup-and-fork", "posix")
{
	static const struct pl_case_spec spec = { "nonblock/flag-shared-by-dup-and-fork", "G1", "posix", NULL,
		"Verify that O_NONBLOCK is shared by dup'd and forked descriptors (one open file description)",
		"EAGAIN on the original after setting it on the dup; cleared for the parent after the child clears it" };
	pl_run(&spec, PL_NOKIND, flag_shared, NULL);
}
