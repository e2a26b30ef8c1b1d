/* Per-descriptor rules: seeking, the wrong end, what fstat says, FIONREAD.
 * docs/rules.md J, A4, A7, O. */
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "case.h"

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

enum seek_mark { LSEEK_READ_END, LSEEK_WRITE_END, PREAD, PWRITE, READ_WRITE_END, WRITE_READ_END, READ_BACK };

static void seek_calls(pl_actor *a, void *arg)
{
	int fd[2];
	char b[4] = "abc";
	if (!both_ends(a, arg, fd))
		return;
	pl_write(a, fd[1], "abc", 3);
	PL_CALL_AS(a, LSEEK_READ_END, "lseek(read end)", fd[0], lseek(fd[0], 0, SEEK_SET));
	PL_CALL_AS(a, LSEEK_WRITE_END, "lseek(write end)", fd[1], lseek(fd[1], 0, SEEK_CUR));
	PL_CALL_AS(a, PREAD, "pread", fd[0], pread(fd[0], b, 1, 0));
	PL_CALL_AS(a, PWRITE, "pwrite", fd[1], pwrite(fd[1], b, 1, 0));
	PL_CALL_AS(a, READ_WRITE_END, "read on the write end", fd[1], read(fd[1], b, 1));
	PL_CALL_AS(a, WRITE_READ_END, "write on the read end", fd[0], write(fd[0], b, 1));
	PL_MARKED(a, READ_BACK, pl_read(a, fd[0], b, 3)); /* still intact after all that */
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
	pl_expect_marked(c, sb, a, LSEEK_READ_END, -1, ESPIPE, "lseek on the read end");
	pl_expect_marked(c, sb, a, LSEEK_WRITE_END, -1, ESPIPE, "lseek on the write end");
	pl_expect_marked(c, sb, a, PREAD, -1, ESPIPE, "pread");
	pl_expect_marked(c, sb, a, PWRITE, -1, ESPIPE, "pwrite");
	pl_expect_marked(c, sb, a, READ_WRITE_END, -1, EBADF, "read on the write end");
	pl_expect_marked(c, sb, a, WRITE_READ_END, -1, EBADF, "write on the read end");
	const struct pl_step *r = pl_marked(c, sb, a, READ_BACK, "the read after them");
	if (!r)
		return;
	pl_check(c, r->ret == 3 && !strcmp(r->preview, "abc"), "the data is untouched", "3 \"abc\"", "%ld \"%s\"", r->ret,
		 r->preview);
	pl_observed(c, "lseek/pread/pwrite: ESPIPE; read on the write end and write on the read end: EBADF; data intact");
}

PL_RULE(.id = "fd/espipe-and-wrong-end-ebadf", .rule = "J1, J3, C5, A4", .profile = "linux",
	.kinds = PL_ON_ALL_KINDS, .body = seek_and_wrong_end,
	.title = "Verify that lseek, pread and pwrite give ESPIPE and I/O on the wrong end gives EBADF",
	.expected = "ESPIPE for seeking calls; EBADF for read on the write end and write on the read end "
		    "(Linux: one-way pipes)");

enum stat_mark { FSTAT_READ_END, FSTAT_WRITE_END, SAME_INODE, ST_SIZE, FIONREAD_READ_END, FIONREAD_WRITE_END };

static void stat_calls(pl_actor *a, void *arg)
{
	int fd[2];
	struct stat s0, s1;
	int n0 = -1, n1 = -1;
	if (!both_ends(a, arg, fd))
		return;
	pl_write(a, fd[1], "12345", 5);
	PL_CALL_AS(a, FSTAT_READ_END, "fstat(read end)", fd[0], fstat(fd[0], &s0) == 0 ? S_ISFIFO(s0.st_mode) : -1);
	PL_CALL_AS(a, FSTAT_WRITE_END, "fstat(write end)", fd[1], fstat(fd[1], &s1) == 0 ? S_ISFIFO(s1.st_mode) : -1);
	PL_CALL_AS(a, SAME_INODE, "same inode on both ends", -1, s0.st_ino == s1.st_ino && s0.st_dev == s1.st_dev);
	PL_CALL_AS(a, ST_SIZE, "st_size with 5 bytes in", fd[0], s0.st_size);
	PL_CALL_AS(a, FIONREAD_READ_END, "FIONREAD(read end)", fd[0], ioctl(fd[0], FIONREAD, &n0) == 0 ? n0 : -1);
	PL_CALL_AS(a, FIONREAD_WRITE_END, "FIONREAD(write end)", fd[1], ioctl(fd[1], FIONREAD, &n1) == 0 ? n1 : -1);
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
	pl_expect_marked(c, sb, a, FSTAT_READ_END, 1, 0, "fstat(read end) is S_ISFIFO");
	pl_expect_marked(c, sb, a, FSTAT_WRITE_END, 1, 0, "fstat(write end) is S_ISFIFO");
	pl_expect_marked(c, sb, a, SAME_INODE, 1, 0, "both ends share one inode");
	pl_expect_marked(c, sb, a, FIONREAD_READ_END, 5, 0, "FIONREAD on the read end counts unread bytes");
	pl_expect_marked(c, sb, a, FIONREAD_WRITE_END, 5, 0, "FIONREAD works on the write end too (Linux)");
	const struct pl_step *size = pl_marked(c, sb, a, ST_SIZE, "st_size");
	if (!size)
		return;
	pl_measure(c, "st_size with 5 unread bytes", size->ret, "bytes");
	pl_observed(c, "S_ISFIFO on both ends, one inode; FIONREAD 5 on both ends; st_size %ld (implementation-defined)",
		    size->ret);
}

PL_RULE(.id = "fd/fstat-fifo-and-fionread", .rule = "A7, I6, J2, O1", .profile = "linux", .labels = "impl",
	.kinds = PL_ON_ALL_KINDS, .body = stat_and_fionread,
	.title = "Verify that fstat shows one FIFO inode on both ends and FIONREAD counts unread bytes on either end",
	.expected = "S_ISFIFO, same st_ino; FIONREAD = 5 on both ends; st_size measured");
