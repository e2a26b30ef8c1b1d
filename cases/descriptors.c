/* Per-descriptor rules: seeking, the wrong end, what fstat says, FIONREAD.
 * BEHAVIOURS.md J, A4, A7, O. */
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "case.h"

struct fds {
	pl_chan ch;
};

/* An actor holding both ends of the pipe under test (for a FIFO: opened
 * non-blocking reader first, then the writer, then blocking again: H2). */
static bool both_ends(pl_actor *a, pl_chan *ch, int fd[2])
{
	if (ch->kind == PL_PIPE || ch->kind == PL_PIPE2) {
		fd[0] = ch->fd[0];
		fd[1] = ch->fd[1];
		if (ch->kind == PL_PIPE2) { /* pipe2(O_NONBLOCK), made blocking like the others */
			pl_set_nonblock(a, fd[0], false);
			pl_set_nonblock(a, fd[1], false);
		}
		return true;
	}
	fd[0] = pl_open(a, ch->path, O_RDONLY | O_NONBLOCK);
	fd[1] = pl_open(a, ch->path, O_WRONLY | O_NONBLOCK);
	if (fd[0] < 0 || fd[1] < 0)
		return false;
	pl_set_nonblock(a, fd[0], false);
	pl_set_nonblock(a, fd[1], false);
	return true;
}

static void seek_calls(pl_actor *a, void *arg)
{
	int fd[2];
	char b[4] = "abc";
	if (!both_ends(a, arg, fd))
		return;
	pl_write(a, fd[1], "abc", 3);
	PL_CALL(a, "lseek(read end)", fd[0], lseek(fd[0], 0, SEEK_SET));
	PL_CALL(a, "lseek(write end)", fd[1], lseek(fd[1], 0, SEEK_CUR));
	PL_CALL(a, "pread", fd[0], pread(fd[0], b, 1, 0));
	PL_CALL(a, "pwrite", fd[1], pwrite(fd[1], b, 1, 0));
	PL_CALL(a, "read on the write end", fd[1], read(fd[1], b, 1));
	PL_CALL(a, "write on the read end", fd[0], write(fd[0], b, 1));
	pl_read(a, fd[0], b, 3); /* still intact after all that */
}

/* Verify that seeking calls fail with ESPIPE and wrong-end I/O with EBADF,
 * leaving the data in place.  Rules J1, J3, C5, A4 (Linux pipes are one-way). */
static void seek_and_wrong_end(pl_case *c, enum pl_kind kind, const void *data)
{
	(void)data;
	pl_sandbox *sb = pl_sandbox_new(c, "lseek, pread, pwrite, wrong ends");
	pl_chan ch;
	PL_TRY(pl_pipe_make(sb, &ch, kind));
	int a;
	PL_TRY(pl_run_actor(sb, "process", seek_calls, &ch, &a));
	pl_expect_named(c, sb, a, "lseek(read end)", -1, ESPIPE, "lseek on the read end");
	pl_expect_named(c, sb, a, "lseek(write end)", -1, ESPIPE, "lseek on the write end");
	pl_expect_named(c, sb, a, "pread", -1, ESPIPE, "pread");
	pl_expect_named(c, sb, a, "pwrite", -1, ESPIPE, "pwrite");
	pl_expect_named(c, sb, a, "read on the write end", -1, EBADF, "read on the write end");
	pl_expect_named(c, sb, a, "write on the read end", -1, EBADF, "write on the read end");
	const struct pl_step *r = pl_last_step(sb, a, PL_OP_READ);
	pl_check(c, r && r->ret == 3 && !strcmp(r->preview, "abc"), "the data is untouched", "3 \"abc\"", "%ld \"%s\"",
		 r ? r->ret : -1, r ? r->preview : "");
	pl_observed(c, "lseek/pread/pwrite: ESPIPE; read on the write end and write on the read end: EBADF; data intact");
}

PL_CASE(descriptors, seeking_gives_espipe_and_wrong_end_gives_ebadf_pipe, "fd/espipe-and-wrong-end-ebadf@pipe", "linux")
{
	static const struct pl_case_spec spec = { "fd/espipe-and-wrong-end-ebadf", "J1, J3, C5, A4", "linux", NULL,
		"Verify that lseek, pread and pwrite give ESPIPE and I/O on the wrong end gives EBADF",
		"ESPIPE for seeking calls; EBADF for read on the write end and write on the read end (Linux: one-way pipes)" };
	pl_run(&spec, PL_PIPE, seek_and_wrong_end, NULL);
}

PL_CASE(descriptors, seeking_gives_espipe_and_wrong_end_gives_ebadf_fifo, "fd/espipe-and-wrong-end-ebadf@fifo", "linux")
{
	static const struct pl_case_spec spec = { "fd/espipe-and-wrong-end-ebadf", "J1, J3, C5", "linux", NULL,
		"Verify that lseek, pread and pwrite give ESPIPE and I/O on the wrong end gives EBADF, on a FIFO",
		"ESPIPE for seeking calls; EBADF for read on the write-only fd and write on the read-only fd" };
	pl_run(&spec, PL_FIFO, seek_and_wrong_end, NULL);
}

PL_CASE(descriptors, seeking_gives_espipe_and_wrong_end_gives_ebadf_pipe2, "fd/espipe-and-wrong-end-ebadf@pipe2", "linux")
{
	static const struct pl_case_spec spec = { "fd/espipe-and-wrong-end-ebadf", "J1, J3, C5, A4", "linux", NULL,
		"Verify that lseek, pread and pwrite give ESPIPE and I/O on the wrong end gives EBADF, on a pipe2(O_NONBLOCK) pipe",
		"ESPIPE for seeking calls; EBADF for read on the write end and write on the read end (Linux: one-way pipes)" };
	pl_run(&spec, PL_PIPE2, seek_and_wrong_end, NULL);
}

static void stat_calls(pl_actor *a, void *arg)
{
	int fd[2];
	struct stat s0, s1;
	int n0 = -1, n1 = -1;
	if (!both_ends(a, arg, fd))
		return;
	pl_write(a, fd[1], "12345", 5);
	PL_CALL(a, "fstat(read end)", fd[0], fstat(fd[0], &s0) == 0 ? S_ISFIFO(s0.st_mode) : -1);
	PL_CALL(a, "fstat(write end)", fd[1], fstat(fd[1], &s1) == 0 ? S_ISFIFO(s1.st_mode) : -1);
	PL_CALL(a, "same inode on both ends", -1, s0.st_ino == s1.st_ino && s0.st_dev == s1.st_dev);
	PL_CALL(a, "st_size with 5 bytes in", fd[0], s0.st_size);
	PL_CALL(a, "FIONREAD(read end)", fd[0], ioctl(fd[0], FIONREAD, &n0) == 0 ? n0 : -1);
	PL_CALL(a, "FIONREAD(write end)", fd[1], ioctl(fd[1], FIONREAD, &n1) == 0 ? n1 : -1);
}

/* Verify that both ends are one FIFO-type inode, and that FIONREAD counts the
 * unread bytes on either end; st_size is reported, not asserted (impl: Linux
 * says 0, FreeBSD the byte count).  Rules A7, I6/J2, O1. */
static void stat_and_fionread(pl_case *c, enum pl_kind kind, const void *data)
{
	(void)data;
	pl_sandbox *sb = pl_sandbox_new(c, "fstat and FIONREAD");
	pl_chan ch;
	PL_TRY(pl_pipe_make(sb, &ch, kind));
	int a;
	PL_TRY(pl_run_actor(sb, "process", stat_calls, &ch, &a));
	pl_expect_named(c, sb, a, "fstat(read end)", 1, 0, "fstat(read end) is S_ISFIFO");
	pl_expect_named(c, sb, a, "fstat(write end)", 1, 0, "fstat(write end) is S_ISFIFO");
	pl_expect_named(c, sb, a, "same inode on both ends", 1, 0, "both ends share one inode");
	pl_expect_named(c, sb, a, "FIONREAD(read end)", 5, 0, "FIONREAD on the read end counts unread bytes");
	pl_expect_named(c, sb, a, "FIONREAD(write end)", 5, 0, "FIONREAD works on the write end too (Linux)");
	long size = pl_step_named(sb, a, "st_size with 5 bytes in")->ret;
	pl_measure(c, "st_size with 5 unread bytes", size, "bytes");
	pl_observed(c, "S_ISFIFO on both ends, one inode; FIONREAD 5 on both ends; st_size %ld (implementation-defined)", size);
}

PL_CASE(descriptors, fstat_and_fionread_pipe, "fd/fstat-fifo-and-fionread@pipe", "linux impl")
{
	static const struct pl_case_spec spec = { "fd/fstat-fifo-and-fionread", "A7, J2, O1", "linux", NULL,
		"Verify that fstat shows one FIFO inode on both ends and FIONREAD counts unread bytes on either end",
		"S_ISFIFO, same st_ino; FIONREAD = 5 on both ends; st_size measured" };
	pl_run(&spec, PL_PIPE, stat_and_fionread, NULL);
}

PL_CASE(descriptors, fstat_and_fionread_fifo, "fd/fstat-fifo-and-fionread@fifo", "linux impl")
{
	static const struct pl_case_spec spec = { "fd/fstat-fifo-and-fionread", "I6, J2, O1", "linux", NULL,
		"Verify that fstat shows one FIFO inode on both ends and FIONREAD counts unread bytes on either end",
		"S_ISFIFO, same st_ino; FIONREAD = 5 on both ends; st_size measured" };
	pl_run(&spec, PL_FIFO, stat_and_fionread, NULL);
}

PL_CASE(descriptors, fstat_and_fionread_pipe2, "fd/fstat-fifo-and-fionread@pipe2", "linux impl")
{
	static const struct pl_case_spec spec = { "fd/fstat-fifo-and-fionread", "A7, J2, O1", "linux", NULL,
		"Verify that fstat shows one FIFO inode on both ends and FIONREAD counts unread bytes, on a pipe2(O_NONBLOCK) pipe",
		"S_ISFIFO, same st_ino; FIONREAD = 5 on both ends; st_size measured" };
	pl_run(&spec, PL_PIPE2, stat_and_fionread, NULL);
}
