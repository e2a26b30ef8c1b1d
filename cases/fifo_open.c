/* Opening a FIFO: who waits for whom.  BEHAVIOURS.md H (POSIX open(), fifo(7)). */
#include <sys/stat.h>
#include <unistd.h>

#include "case.h"
#include "peer.h"

struct opener {
	const char *path;
	int flags;
};

static void open_fifo(pl_actor *a, void *arg)
{
	const struct opener *o = arg;
	int fd = pl_open(a, o->path, o->flags);
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
	const struct pl_step *s1 = pl_last_step(sb, a, PL_OP_OPEN), *s2 = pl_last_step(sb, b, PL_OP_OPEN);
	pl_check(c, s1->ret >= 0, "the waiting open succeeds once the other end opens", "a descriptor", "%ld", s1->ret);
	pl_check(c, s2->ret >= 0, "the partner's open succeeds at once", "a descriptor", "%ld", s2->ret);
	pl_observed(c, "%s open slept in openat until the %s opened; both got descriptors",
		    first == O_RDONLY ? "O_RDONLY" : "O_WRONLY", first == O_RDONLY ? "writer" : "reader");
	pl_cue(sb, 0);
}

static const int RD = O_RDONLY, WR = O_WRONLY;

PL_CASE(fifo_open, rdonly_open_blocks_until_a_writer_opens, "fifo/open-rdonly-blocks-until-writer", "posix fifo")
{
	static const struct pl_case_spec spec = { "fifo/open-rdonly-blocks-until-writer", "H", "posix", NULL,
		"Verify that opening a FIFO for reading blocks until a writer opens it",
		"open(O_RDONLY) sleeps in openat; returns a descriptor when a writer opens" };
	pl_run(&spec, PL_NOKIND, open_blocks_until_partner, &RD);
}

PL_CASE(fifo_open, wronly_open_blocks_until_a_reader_opens, "fifo/open-wronly-blocks-until-reader", "posix fifo")
{
	static const struct pl_case_spec spec = { "fifo/open-wronly-blocks-until-reader", "H", "posix", NULL,
		"Verify that opening a FIFO for writing blocks until a reader opens it",
		"open(O_WRONLY) sleeps in openat; returns a descriptor when a reader opens" };
	pl_run(&spec, PL_NOKIND, open_blocks_until_partner, &WR);
}

static void nonblocking_opens(pl_actor *a, void *arg)
{
	const char *path = arg;
	int w = pl_open(a, path, O_WRONLY | O_NONBLOCK); /* no reader yet */
	int r = pl_open(a, path, O_RDONLY | O_NONBLOCK); /* never waits */
	int w2 = pl_open(a, path, O_WRONLY | O_NONBLOCK); /* a reader exists now */
	int rw = pl_open(a, path, O_RDWR);               /* Linux: never blocks */
	(void)w;
	(void)r;
	(void)w2;
	(void)rw;
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
	struct pl_actor_rec *r = pl_rec(sb, a);
	if (r->nsteps < 4) {
		pl_broken(c, "only %d opens recorded", r->nsteps);
		return;
	}
	pl_expect_step(c, "O_WRONLY|O_NONBLOCK with no reader", &r->steps[0], -1, ENXIO);
	pl_check(c, r->steps[1].ret >= 0, "O_RDONLY|O_NONBLOCK succeeds at once", "a descriptor", "%ld", r->steps[1].ret);
	pl_check(c, r->steps[2].ret >= 0, "O_WRONLY|O_NONBLOCK with a reader succeeds", "a descriptor", "%ld", r->steps[2].ret);
	pl_check(c, r->steps[3].done && r->steps[3].ret >= 0, "O_RDWR opens without blocking (Linux)", "a descriptor",
		 "%ld", r->steps[3].ret);
	pl_observed(c, "O_WRONLY|O_NONBLOCK alone: ENXIO; O_RDONLY|O_NONBLOCK: ok at once; then O_WRONLY|O_NONBLOCK: ok; O_RDWR: ok");
}

PL_CASE(fifo_open, nonblocking_opens_and_rdwr, "fifo/open-nonblocking-enxio-and-rdwr", "linux fifo")
{
	static const struct pl_case_spec spec = { "fifo/open-nonblocking-enxio-and-rdwr", "H", "linux", NULL,
		"Verify the non-blocking FIFO opens (ENXIO for a writer without reader) and that O_RDWR never blocks",
		"ENXIO; then descriptors for O_RDONLY|O_NONBLOCK, O_WRONLY|O_NONBLOCK and O_RDWR" };
	pl_run(&spec, PL_NOKIND, open_nonblocking, NULL);
}

static void mkfifo_rules(pl_actor *a, void *arg)
{
	const char *dir = arg;
	char path[600], link[620];
	struct stat st;
	snprintf(path, sizeof path, "%s/made", dir);
	snprintf(link, sizeof link, "%s/dangling", dir);
	mode_t old = umask(022);
	pl_mkfifo(a, path, 0666);
	PL_CALL(a, "mode after umask 022", -1, stat(path, &st) == 0 ? (long)(st.st_mode & 07777) : -1);
	PL_CALL(a, "S_ISFIFO", -1, S_ISFIFO(st.st_mode));
	pl_mkfifo(a, path, 0600);                              /* exists */
	PL_CALL(a, "symlink", -1, symlink("/nonexistent/pipelab", link));
	PL_CALL(a, "mkfifo on a dangling symlink", -1, mkfifo(link, 0600));
	umask(old);
	/* Data written through the FIFO never reaches the filesystem. */
	int r = pl_open(a, path, O_RDONLY | O_NONBLOCK);
	int w = pl_open(a, path, O_WRONLY);
	pl_write(a, w, "gone", 4);
	PL_CALL(a, "st_size with 4 bytes in", -1, stat(path, &st) == 0 ? (long)st.st_size : -1);
	pl_close(a, w);
	pl_close(a, r);
	r = pl_open(a, path, O_RDONLY | O_NONBLOCK);
	char b[8];
	PL_CALL(a, "read after the last close", r, read(r, b, sizeof b));
}

/* Verify mkfifo: mode & ~umask, S_ISFIFO, EEXIST on an existing path and on a
 * dangling symlink, st_size 0, and no data surviving the last close.
 * Rules I1, I2, I6. */
static void mkfifo_case(pl_case *c, enum pl_kind kind, const void *data)
{
	(void)kind;
	(void)data;
	pl_sandbox *sb = pl_sandbox_new(c, "mkfifo");
	const char *dir = pl_case_tmpdir(c);
	PL_TRY(dir);
	int a;
	PL_TRY(pl_run_actor(sb, "process", mkfifo_rules, (void *)dir, &a));
	pl_expect_step(c, "mkfifo succeeds", &pl_rec(sb, a)->steps[0], 0, 0);
	pl_expect_named(c, sb, a, "mode after umask 022", 0644, 0, "mode is 0666 & ~022");
	pl_expect_named(c, sb, a, "S_ISFIFO", 1, 0, "the new file is a FIFO");
	pl_expect_step(c, "mkfifo on an existing path", pl_last_step(sb, a, PL_OP_MKFIFO), -1, EEXIST);
	pl_expect_named(c, sb, a, "mkfifo on a dangling symlink", -1, EEXIST, "mkfifo on a dangling symlink");
	pl_expect_named(c, sb, a, "st_size with 4 bytes in", 0, 0, "st_size stays 0 (Linux)");
	pl_expect_named(c, sb, a, "read after the last close", 0, 0, "nothing survives the last close (EOF, no data)");
	pl_observed(c, "mode 0644 from 0666 & ~022; EEXIST twice; st_size 0 while holding data; after the last close the data is gone");
}

PL_CASE(fifo_open, mkfifo_mode_eexist_and_no_stored_data, "fifo/mkfifo-mode-eexist-no-stored-data", "posix linux fifo")
{
	static const struct pl_case_spec spec = { "fifo/mkfifo-mode-eexist-no-stored-data", "I1, I2, I6", "posix", NULL,
		"Verify mkfifo's mode, EEXIST, and that a FIFO stores no data in the filesystem",
		"0644; EEXIST; st_size 0; EOF with no data after the last close" };
	pl_run(&spec, PL_NOKIND, mkfifo_case, NULL);
}

/* Verify that two unrelated programs (each exec'd, sharing no descriptor)
 * talk through a FIFO opened by path.  Rule H; the notes' FIFO programs. */
static void unrelated(pl_case *c, enum pl_kind kind, const void *data)
{
	(void)kind;
	(void)data;
	pl_sandbox *sb = pl_sandbox_new(c, "writer and reader programs");
	pl_chan ch;
	PL_TRY(pl_pipe_make(sb, &ch, PL_FIFO));
	struct peer w = { "write", ch.path, "hello i = 0\n" }, r = { "read", ch.path, "hello i = 0\n" };
	int wr = pl_spawn(sb, "writer program", exec_peer, &w);
	int rd = pl_spawn(sb, "reader program", exec_peer, &r);
	PL_TRY(pl_await_end(sb, wr));
	PL_TRY(pl_await_end(sb, rd));
	pl_expect_exit0(c, "the writer program wrote", pl_rec(sb, wr));
	pl_expect_exit0(c, "the reader program read exactly the message", pl_rec(sb, rd));
	pl_observed(c, "the notes' FIFO writer and reader, as separate exec'd programs, exchanged \"hello i = 0\"");
}

PL_CASE(fifo_open, unrelated_programs_talk_through_a_fifo, "fifo/unrelated-programs", "posix fifo")
{
	static const struct pl_case_spec spec = { "fifo/unrelated-programs", "H", "posix", NULL,
		"Verify that unrelated programs communicate through a FIFO",
		"both programs exit 0; the reader got exactly the message" };
	pl_run(&spec, PL_NOKIND, unrelated, NULL);
}
