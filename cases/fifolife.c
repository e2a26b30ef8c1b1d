/* FIFO open and lifetime: O_RDWR alone, many readers coming and going, the
 * name removed or renamed while open, a non-blocking reader before any
 * writer.  BEHAVIOURS.md H, E, S6.  A FIFO's name only finds the pipe: once
 * open, I/O goes through the open file description (POSIX open(), unlink(),
 * rename(); fifo(7)). */
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include "case.h"

enum { READERS = 8 };

enum rdwr_mark { RDWR_OPEN, RDWR_READ };

static void rdwr_alone(pl_actor *a, void *arg)
{
	const pl_chan *ch = arg;
	char b[8] = "";
	int fd = PL_MARKED(a, RDWR_OPEN, pl_open(a, ch->path, O_RDWR));
	if (fd < 0)
		return;
	pl_write(a, fd, "abc", 3);
	PL_MARKED(a, RDWR_READ, pl_read(a, fd, b, sizeof b - 1));
}

/* Verify that a FIFO opened O_RDWR by its only user opens at once and
 * carries data from its own writes to its own reads.  POSIX leaves O_RDWR on
 * a FIFO undefined; Linux opens without waiting (fifo(7)). */
static void rdwr_rule(pl_case *c, enum pl_kind kind, const void *data)
{
	(void)kind;
	(void)data;
	pl_sandbox *sb = pl_sandbox_new(c, "O_RDWR with no other opener");
	pl_chan ch;
	PL_TRY(pl_pipe_make(sb, &ch, PL_FIFO));
	int a;
	PL_TRY(pl_run_actor(sb, "process", rdwr_alone, &ch, &a));
	const struct pl_step *o = pl_marked(c, sb, a, RDWR_OPEN, "open(O_RDWR)");
	if (o)
		pl_check(c, o->done && o->ret >= 0, "open(O_RDWR) with no other opener", "a descriptor, at once", "%s",
			 o->done ? (o->ret >= 0 ? "a descriptor" : pl_errno_name(o->err)) : "did not return");
	const struct pl_step *r = pl_marked(c, sb, a, RDWR_READ, "the read");
	if (r)
		pl_check(c, r->ret == 3 && !strcmp(r->preview, "abc"), "reading back its own write", "3 \"abc\"",
			 "%ld \"%s\"", r->ret, r->preview);
	pl_observed(c, "O_RDWR opened alone; its own 3 bytes read back");
}

/* What happens to the name while both ends are open. */
enum name_change { NAME_UNLINK, NAME_RENAME };
enum name_mark { CHANGE_NAME, STAT_OLD, WRITE_OLD_END, READ_OLD_END, WRITE_NEW_NAME, READ_NEW_NAME };
struct name_arg {
	pl_chan ch;
	enum name_change how;
};

static void name_change(pl_actor *a, void *arg)
{
	const struct name_arg *na = arg;
	const pl_chan *ch = &na->ch;
	char b[8] = "", moved[sizeof ch->path + 8];
	snprintf(moved, sizeof moved, "%s.moved", ch->path);
	int r = pl_open(a, ch->path, O_RDONLY | O_NONBLOCK);
	int w = pl_open(a, ch->path, O_WRONLY);
	if (r < 0 || w < 0)
		return;
	if (na->how == NAME_UNLINK)
		PL_CALL_AS(a, CHANGE_NAME, "unlink the name", -1, unlink(ch->path));
	else
		PL_CALL_AS(a, CHANGE_NAME, "rename the name", -1, rename(ch->path, moved));
	struct stat st;
	PL_CALL_AS(a, STAT_OLD, "stat the old name", -1, stat(ch->path, &st));
	PL_MARKED(a, WRITE_OLD_END, pl_write(a, w, "abc", 3));
	PL_MARKED(a, READ_OLD_END, pl_read(a, r, b, sizeof b - 1));
	if (na->how == NAME_RENAME) {
		int w2 = pl_open(a, moved, O_WRONLY | O_NONBLOCK);
		PL_CALL_AS(a, WRITE_NEW_NAME, "write through the new name", w2, write(w2, "new", 3));
		PL_CALL_AS(a, READ_NEW_NAME, "read end sees it", r, read(r, b, sizeof b - 1));
		unlink(moved);
	}
}

/* Verify that unlinking or renaming a FIFO's name leaves open descriptors
 * working (3 bytes written and read back), the old name gone (ENOENT) and,
 * after a rename, the new name opening the same FIFO.  POSIX unlink() ("the
 * removal of the link shall be postponed until all references ... closed"),
 * rename(). */
static void name_rule(pl_case *c, enum pl_kind kind, const void *data)
{
	(void)kind;
	struct name_arg arg = { .how = *(const enum name_change *)data };
	pl_sandbox *sb = pl_sandbox_new(c, arg.how == NAME_UNLINK ? "FIFO unlinked while open" : "FIFO renamed while open");
	PL_TRY(pl_pipe_make(sb, &arg.ch, PL_FIFO));
	int a;
	PL_TRY(pl_run_actor(sb, "process", name_change, &arg, &a));
	pl_expect_marked(c, sb, a, CHANGE_NAME, 0, 0, "changing the name");
	pl_expect_marked(c, sb, a, STAT_OLD, -1, ENOENT, "the old name is gone");
	pl_expect_marked(c, sb, a, WRITE_OLD_END, 3, 0, "write after the name changed");
	const struct pl_step *r = pl_marked(c, sb, a, READ_OLD_END, "read after the name changed");
	if (r)
		pl_check(c, r->ret == 3 && !strcmp(r->preview, "abc"), "read after the name changed", "3 \"abc\"",
			 "%ld \"%s\"", r->ret, r->preview);
	if (arg.how == NAME_RENAME) {
		pl_expect_marked(c, sb, a, WRITE_NEW_NAME, 3, 0, "a writer opened by the new name");
		pl_expect_marked(c, sb, a, READ_NEW_NAME, 3, 0, "the old read end gets its bytes");
	}
	pl_observed(c, "the name changed; I/O on the open ends went on");
}

enum nb_reader_mark { NB_OPEN, NB_FIRST_READ };

static void nb_reader_first(pl_actor *a, void *arg)
{
	const pl_chan *ch = arg;
	char b[4];
	int r = PL_MARKED(a, NB_OPEN, pl_open(a, ch->path, O_RDONLY | O_NONBLOCK));
	if (r >= 0)
		PL_MARKED(a, NB_FIRST_READ, pl_read(a, r, b, sizeof b));
}

/* Verify that a FIFO's first non-blocking reader, before any writer, opens
 * at once and its read returns 0 (no process has it open for writing), not
 * EAGAIN.  POSIX open() O_NONBLOCK and read() ("If no process has the pipe
 * open for writing, read() shall return 0"). */
static void nb_reader_rule(pl_case *c, enum pl_kind kind, const void *data)
{
	(void)kind;
	(void)data;
	pl_sandbox *sb = pl_sandbox_new(c, "non-blocking reader before any writer");
	pl_chan ch;
	PL_TRY(pl_pipe_make(sb, &ch, PL_FIFO));
	int a;
	PL_TRY(pl_run_actor(sb, "process", nb_reader_first, &ch, &a));
	const struct pl_step *o = pl_marked(c, sb, a, NB_OPEN, "open(O_RDONLY | O_NONBLOCK)");
	if (o)
		pl_check(c, o->ret >= 0, "open(O_RDONLY | O_NONBLOCK) with no writer", "a descriptor", "%s",
			 o->ret >= 0 ? "a descriptor" : pl_errno_name(o->err));
	pl_expect_marked(c, sb, a, NB_FIRST_READ, 0, 0, "the first read");
	pl_observed(c, "opened at once; read gave 0");
}

enum many_mark { WRITE_ONE_LEFT, LAST_READS, WRITE_NONE_LEFT };

static void many_readers(pl_actor *a, void *arg)
{
	const pl_chan *ch = arg;
	int r[READERS];
	char b[8] = "";
	for (int i = 0; i < READERS; i++)
		r[i] = pl_open(a, ch->path, O_RDONLY | O_NONBLOCK);
	int w = pl_open(a, ch->path, O_WRONLY | O_NONBLOCK);
	for (int i = 0; i < READERS - 1; i++)
		pl_close(a, r[i]);
	pl_ignore(a, SIGPIPE);
	PL_CALL_AS(a, WRITE_ONE_LEFT, "write with one reader left", w, write(w, "abc", 3));
	PL_CALL_AS(a, LAST_READS, "the last reader reads", r[READERS - 1], read(r[READERS - 1], b, sizeof b - 1));
	pl_close(a, r[READERS - 1]);
	PL_CALL_AS(a, WRITE_NONE_LEFT, "write after the last reader closed", w, write(w, "abc", 3));
}

/* Verify that a FIFO counts its readers: with 8 readers opened and 7
 * closed, a write succeeds and the last reader gets it; once it closes too,
 * the write fails with EPIPE.  POSIX write() (EPIPE "not open for reading by
 * any process"). */
static void many_readers_rule(pl_case *c, enum pl_kind kind, const void *data)
{
	(void)kind;
	(void)data;
	pl_sandbox *sb = pl_sandbox_new(c, "8 readers, 7 leave, then the last");
	pl_chan ch;
	PL_TRY(pl_pipe_make(sb, &ch, PL_FIFO));
	int a;
	PL_TRY(pl_run_actor(sb, "process", many_readers, &ch, &a));
	pl_expect_marked(c, sb, a, WRITE_ONE_LEFT, 3, 0, "a write while one of 8 readers remains");
	pl_expect_marked(c, sb, a, LAST_READS, 3, 0, "the last reader gets the bytes");
	pl_expect_marked(c, sb, a, WRITE_NONE_LEFT, -1, EPIPE, "a write after every reader left");
	pl_observed(c, "write 3 with one reader left; it read 3; after it closed: EPIPE");
}

enum reopen_mark { READ_REOPENED };

static void reopen(pl_actor *a, void *arg)
{
	const pl_chan *ch = arg;
	char b[8];
	int r = pl_open(a, ch->path, O_RDONLY | O_NONBLOCK), w = pl_open(a, ch->path, O_WRONLY);
	if (r < 0 || w < 0)
		return;
	pl_write(a, w, "abc", 3);
	pl_close(a, w);
	pl_close(a, r);
	r = pl_open(a, ch->path, O_RDONLY | O_NONBLOCK);
	if (pl_open(a, ch->path, O_WRONLY) < 0) /* a writer, so empty reads EAGAIN, not EOF */
		return;
	PL_CALL_AS(a, READ_REOPENED, "read after every end closed and reopened", r, read(r, b, sizeof b));
}

/* Verify that the bytes left in a FIFO are discarded when its last ends
 * close: reopened, it is empty (EAGAIN with a writer).  POSIX close() ("any
 * data remaining in the pipe or FIFO shall be discarded"); mkfifo (H). */
static void reopen_rule(pl_case *c, enum pl_kind kind, const void *data)
{
	(void)kind;
	(void)data;
	pl_sandbox *sb = pl_sandbox_new(c, "FIFO reopened after every end closed");
	pl_chan ch;
	PL_TRY(pl_pipe_make(sb, &ch, PL_FIFO));
	int a;
	PL_TRY(pl_run_actor(sb, "process", reopen, &ch, &a));
	pl_expect_marked(c, sb, a, READ_REOPENED, -1, EAGAIN,
			"the 3 bytes left at the last close are gone");
	pl_observed(c, "reopened FIFO empty: EAGAIN");
}

/* ---- registrations ---------------------------------------------------- */

static const enum name_change UNLINK = NAME_UNLINK, RENAME = NAME_RENAME;

PL_RULE(.id = "fifolife/rdwr-open-without-peer", .rule = "S6, H", .profile = "linux",
	.labels = "fifo", .body = rdwr_rule,
	.title = "Verify that a FIFO opened O_RDWR with no other opener opens at once and reads back its own writes (fifo(7); POSIX: undefined)",
	.expected = "a descriptor; 3 \"abc\"");

PL_RULE(.id = "fifolife/io-continues-after-unlink", .rule = "H, E", .profile = "posix",
	.labels = "fifo", .body = name_rule, .data = &UNLINK,
	.title = "Verify that I/O on an open FIFO continues after its name is unlinked (POSIX unlink())",
	.expected = "unlink 0; stat ENOENT; write 3; read 3 \"abc\"");

PL_RULE(.id = "fifolife/io-continues-after-rename", .rule = "H, E", .profile = "posix",
	.labels = "fifo", .body = name_rule, .data = &RENAME,
	.title = "Verify that I/O on an open FIFO continues after a rename, and the new name opens the same FIFO (POSIX rename())",
	.expected = "rename 0; stat ENOENT; write 3; read 3 \"abc\"; 3 through the new name, read by the old end");

PL_RULE(.id = "fifolife/nonblock-reader-first-read-is-eof", .rule = "H, B", .profile = "posix",
	.labels = "fifo", .body = nb_reader_rule,
	.title = "Verify that a non-blocking reader opened before any writer reads 0, not EAGAIN (POSIX open() O_NONBLOCK, read())",
	.expected = "a descriptor; read 0");

PL_RULE(.id = "fifolife/readers-counted-until-the-last-closes", .rule = "H, D", .profile = "posix",
	.labels = "fifo", .body = many_readers_rule,
	.title = "Verify that a FIFO keeps a reader while any of 8 remains, and gives EPIPE after the last closes (POSIX write() EPIPE)",
	.expected = "3; 3; -1 EPIPE");

PL_RULE(.id = "fifolife/data-discarded-at-last-close", .rule = "H, E", .profile = "posix",
	.labels = "fifo", .body = reopen_rule,
	.title = "Verify that data left in a FIFO is discarded when every end closes: reopened, it reads EAGAIN (POSIX close())",
	.expected = "-1 EAGAIN");
