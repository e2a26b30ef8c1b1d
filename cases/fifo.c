/* Opening a FIFO: who waits for whom.  docs/rules.md H (POSIX open(), fifo(7)). */
#include <sys/stat.h>
#include <unistd.h>

#include "case.h"
#include "peer.h"

enum open_mark { OPEN };

struct opener {
	const char *path;
	int flags;
};

static void open_fifo(pl_actor *a, void *arg)
{
	const struct opener *o = arg;
	int fd = PL_MARKED(a, OPEN, pl_open(a, o->path, o->flags));
	pl_post_cue(a, a->index); /* opened (or failed) */
	pl_wait_cue(a, 0);
	if (fd >= 0)
		pl_close(a, fd);
}

/* Verify that a blocking open of one end waits (proven asleep in openat) until
 * the other end is opened, and then both opens succeed.  Rule H rows 1 and 4. */
static void open_blocks_until_partner(pl_case *c, enum pl_kind kind, const void *data)
{
	(void)kind;
	int first = *(const int *)data, second = first == O_RDONLY ? O_WRONLY : O_RDONLY;
	pl_sandbox *sb = pl_sandbox_new(c, first == O_RDONLY ? "reader opens first" : "writer opens first");
	pl_chan ch;
	PL_TRY(pl_pipe_make(sb, &ch, PL_FIFO));
	struct opener o1 = { ch.path, first }, o2 = { ch.path, second };
	int a = pl_spawn(sb, first == O_RDONLY ? "reader" : "writer", open_fifo, &o1);
	PL_TRY(pl_await_blocked(sb, a, PL_OP_OPEN));
	int b = pl_spawn(sb, first == O_RDONLY ? "writer" : "reader", open_fifo, &o2);
	PL_TRY(pl_await_cue(sb, a));
	PL_TRY(pl_await_cue(sb, b));
	const struct pl_step *s1 = pl_marked(c, sb, a, OPEN, "the waiting open");
	const struct pl_step *s2 = pl_marked(c, sb, b, OPEN, "the partner's open");
	pl_cue(sb, 0);
	if (!s1 || !s2)
		return;
	pl_check(c, s1->ret >= 0, "the waiting open succeeds once the other end opens", "a descriptor", "%ld", s1->ret);
	pl_check(c, s2->ret >= 0, "the partner's open succeeds at once", "a descriptor", "%ld", s2->ret);
	pl_observed(c, "%s open slept in openat until the %s opened; both got descriptors",
		    first == O_RDONLY ? "O_RDONLY" : "O_WRONLY", first == O_RDONLY ? "writer" : "reader");
}

static const int RD = O_RDONLY, WR = O_WRONLY;

PL_RULE(.id = "fifo/open-rdonly-blocks-until-writer", .rule = "H", .profile = "posix", .labels = "fifo",
	.body = open_blocks_until_partner, .data = &RD,
	.title = "Verify that opening a FIFO for reading blocks until a writer opens it",
	.expected = "open(O_RDONLY) sleeps in openat; returns a descriptor when a writer opens");
PL_RULE(.id = "fifo/open-wronly-blocks-until-reader", .rule = "H", .profile = "posix", .labels = "fifo",
	.body = open_blocks_until_partner, .data = &WR,
	.title = "Verify that opening a FIFO for writing blocks until a reader opens it",
	.expected = "open(O_WRONLY) sleeps in openat; returns a descriptor when a reader opens");

enum nonblocking_mark { WRITER_ALONE, READER, WRITER_WITH_READER, READ_WRITE };

static void nonblocking_opens(pl_actor *a, void *arg)
{
	const char *path = arg;
	PL_MARKED(a, WRITER_ALONE, pl_open(a, path, O_WRONLY | O_NONBLOCK)); /* no reader yet */
	PL_MARKED(a, READER, pl_open(a, path, O_RDONLY | O_NONBLOCK));       /* never waits */
	PL_MARKED(a, WRITER_WITH_READER, pl_open(a, path, O_WRONLY | O_NONBLOCK));
	PL_MARKED(a, READ_WRITE, pl_open(a, path, O_RDWR)); /* Linux: never blocks */
}

/* Verify the non-blocking opens: O_RDONLY|O_NONBLOCK succeeds at once,
 * O_WRONLY|O_NONBLOCK gives ENXIO with no reader and succeeds with one, and
 * (Linux) O_RDWR never blocks.  Rule H rows 3, 5, 6, 7. */
static void open_nonblocking(pl_case *c, enum pl_kind kind, const void *data)
{
	(void)kind;
	(void)data;
	pl_sandbox *sb = pl_sandbox_new(c, "non-blocking and O_RDWR opens");
	pl_chan ch;
	PL_TRY(pl_pipe_make(sb, &ch, PL_FIFO));
	int a;
	PL_TRY(pl_run_actor(sb, "process", nonblocking_opens, ch.path, &a));
	pl_expect_marked(c, sb, a, WRITER_ALONE, -1, ENXIO, "O_WRONLY|O_NONBLOCK with no reader");
	const struct pl_step *rd = pl_marked(c, sb, a, READER, "O_RDONLY|O_NONBLOCK");
	const struct pl_step *wr = pl_marked(c, sb, a, WRITER_WITH_READER, "O_WRONLY|O_NONBLOCK with a reader");
	const struct pl_step *rw = pl_marked(c, sb, a, READ_WRITE, "O_RDWR");
	if (!rd || !wr || !rw)
		return;
	pl_check(c, rd->ret >= 0, "O_RDONLY|O_NONBLOCK succeeds at once", "a descriptor", "%ld", rd->ret);
	pl_check(c, wr->ret >= 0, "O_WRONLY|O_NONBLOCK with a reader succeeds", "a descriptor", "%ld", wr->ret);
	pl_check(c, rw->done && rw->ret >= 0, "O_RDWR opens without blocking (Linux)", "a descriptor", "%ld", rw->ret);
	pl_observed(c, "O_WRONLY|O_NONBLOCK alone: ENXIO; O_RDONLY|O_NONBLOCK: ok at once; then O_WRONLY|O_NONBLOCK: ok; O_RDWR: ok");
}

PL_RULE(.id = "fifo/open-nonblocking-enxio-and-rdwr", .rule = "H", .profile = "linux", .labels = "fifo",
	.body = open_nonblocking,
	.title = "Verify the non-blocking FIFO opens (ENXIO for a writer without reader) and that O_RDWR never blocks",
	.expected = "ENXIO; then descriptors for O_RDONLY|O_NONBLOCK, O_WRONLY|O_NONBLOCK and O_RDWR");

enum mkfifo_mark { MADE, MODE, IS_FIFO, MADE_AGAIN, ON_SYMLINK, SIZE_HOLDING, READ_AFTER_CLOSE };

static void mkfifo_rules(pl_actor *a, void *arg)
{
	const char *dir = arg;
	char path[600], link[620];
	struct stat st;
	snprintf(path, sizeof path, "%s/made", dir);
	snprintf(link, sizeof link, "%s/dangling", dir);
	mode_t old = umask(022);
	PL_MARKED(a, MADE, pl_mkfifo(a, path, 0666));
	PL_CALL_AS(a, MODE, "mode after umask 022", -1, stat(path, &st) == 0 ? (long)(st.st_mode & 07777) : -1);
	PL_CALL_AS(a, IS_FIFO, "S_ISFIFO", -1, S_ISFIFO(st.st_mode));
	PL_MARKED(a, MADE_AGAIN, pl_mkfifo(a, path, 0600)); /* exists */
	PL_CALL(a, "symlink", -1, symlink("/nonexistent/pipelab", link));
	PL_CALL_AS(a, ON_SYMLINK, "mkfifo on a dangling symlink", -1, mkfifo(link, 0600));
	umask(old);
	/* Data written through the FIFO never reaches the filesystem. */
	int r = pl_open(a, path, O_RDONLY | O_NONBLOCK);
	int w = pl_open(a, path, O_WRONLY);
	pl_write(a, w, "gone", 4);
	PL_CALL_AS(a, SIZE_HOLDING, "st_size with 4 bytes in", -1, stat(path, &st) == 0 ? (long)st.st_size : -1);
	pl_close(a, w);
	pl_close(a, r);
	r = pl_open(a, path, O_RDONLY | O_NONBLOCK);
	char b[8];
	PL_CALL_AS(a, READ_AFTER_CLOSE, "read after the last close", r, read(r, b, sizeof b));
}

/* Verify mkfifo: mode & ~umask, S_ISFIFO, EEXIST on an existing path and on a
 * dangling symlink, and no data surviving the last close.  st_size while the
 * FIFO holds data is measured, not asserted: POSIX leaves st_size unspecified
 * for a FIFO (Linux says 0).  Rules I1, I2, I6. */
static void mkfifo_case(pl_case *c, enum pl_kind kind, const void *data)
{
	(void)kind;
	(void)data;
	pl_sandbox *sb = pl_sandbox_new(c, "mkfifo");
	const char *dir = pl_case_tmpdir(c);
	PL_TRY(dir);
	int a;
	PL_TRY(pl_run_actor(sb, "process", mkfifo_rules, (void *)dir, &a));
	pl_expect_marked(c, sb, a, MADE, 0, 0, "mkfifo succeeds");
	pl_expect_marked(c, sb, a, MODE, 0644, 0, "mode is 0666 & ~022");
	pl_expect_marked(c, sb, a, IS_FIFO, 1, 0, "the new file is a FIFO");
	pl_expect_marked(c, sb, a, MADE_AGAIN, -1, EEXIST, "mkfifo on an existing path");
	pl_expect_marked(c, sb, a, ON_SYMLINK, -1, EEXIST, "mkfifo on a dangling symlink");
	pl_expect_marked(c, sb, a, READ_AFTER_CLOSE, 0, 0, "nothing survives the last close (EOF, no data)");
	const struct pl_step *size = pl_marked(c, sb, a, SIZE_HOLDING, "st_size");
	if (size)
		pl_measure(c, "st_size while holding 4 bytes", size->ret, "bytes");
	pl_observed(c, "mode 0644 from 0666 & ~022; EEXIST twice; st_size %ld while holding data (unspecified by "
		       "POSIX); after the last close the data is gone", size ? size->ret : -1);
}

PL_RULE(.id = "fifo/mkfifo-mode-eexist-no-stored-data", .rule = "I1, I2, I6", .profile = "posix", .labels = "fifo",
	.body = mkfifo_case, .title = "Verify mkfifo's mode, EEXIST, and that a FIFO stores no data in the filesystem",
	.expected = "0644; EEXIST; EOF with no data after the last close; st_size measured");

/* Verify that two unrelated programs (each exec'd, sharing no descriptor)
 * talk through a FIFO opened by path.  Rule H; the notes' FIFO programs. */
static void unrelated(pl_case *c, enum pl_kind kind, const void *data)
{
	(void)kind;
	(void)data;
	if (!pl_exec_runs(c, PIPELAB_FIFO_PEER))
		return;
	pl_sandbox *sb = pl_sandbox_new(c, "writer and reader programs");
	int wr, rd;
	PL_TRY(run_peers(sb, "hello i = 0\n", false, &wr, &rd));
	pl_expect_exit0(c, "the writer program wrote", pl_rec(sb, wr));
	pl_expect_exit0(c, "the reader program read exactly the message", pl_rec(sb, rd));
	pl_observed(c, "the notes' FIFO writer and reader, as separate exec'd programs, exchanged \"hello i = 0\"");
}

PL_RULE(.id = "fifo/unrelated-programs", .rule = "H", .profile = "posix", .labels = "fifo", .body = unrelated,
	.title = "Verify that unrelated programs communicate through a FIFO",
	.expected = "both programs exit 0; the reader got exactly the message");
