/* writev among concurrent writers: a writev of <= PIPE_BUF bytes in several
 * buffers is one atomic write, also for writers asleep in it while the pipe
 * is full.  docs/rules.md S3, F2.  Part of the vectored suite (ids
 * vectored/...), in a file of its own to stay short.
 * POSIX writev(): "equivalent to write()" but for the gathering of the
 * buffers, so write()'s "Write requests of {PIPE_BUF} bytes or less shall not
 * be interleaved with data from other processes" covers the whole writev. */
#include <sys/uio.h>
#include <unistd.h>

#include "case.h"

enum {
	WRITERS = 4,
	FILL_CHUNK = 500, /* <= _POSIX_PIPE_BUF: all or nothing when non-blocking */
	RECORD = 512,     /* _POSIX_PIPE_BUF: <= PIPE_BUF on every system */
	FILL_CHAR = '.',
};
/* Cues: each writer holds its end before the fill (making the ends may set
 * the shared description's flags), and writes when told. */
enum cue { FILLED = 1, DRAIN = 2, START_FILL = 3, HAS_END = 4, GO = 16 };
enum mark { FILL, WRITEV };

/* A record as a program builds it: a 16-byte header, a 16-byte length field
 * and a 480-byte body in two halves, sent with one writev. */
static const size_t PART[] = { 16, 16, 240, 240 };
#define NPARTS ((int)(sizeof PART / sizeof PART[0]))

/* Fills the pipe with non-blocking 500-byte writes until one gets EAGAIN:
 * there is then room for fewer than 500 bytes (a write of <= PIPE_BUF bytes
 * is all or nothing), so no 512-byte record fits and every writer sleeps. */
static void filler(pl_actor *a, void *arg)
{
	static char chunk[FILL_CHUNK];
	memset(chunk, FILL_CHAR, sizeof chunk);
	int fd = pl_end(a, arg, PL_WRITE_END);
	pl_wait_cue(a, START_FILL);
	if (pl_set_nonblock(a, fd, true) == 0) {
		struct pl_step *s = pl_begin(a, "write 500-byte chunks until EAGAIN", fd);
		pl_mark_step(a, FILL, s);
		long total = 0;
		ssize_t r;
		while ((r = write(fd, chunk, sizeof chunk)) == FILL_CHUNK)
			total += r;
		pl_finish(a, s, r < 0 && errno == EAGAIN ? total : -1); /* -1: a write was short or failed */
		/* The open file description is shared with the writers (pipe):
		 * they must block, not get EAGAIN. */
		pl_set_nonblock(a, fd, false);
	}
	pl_post_cue(a, FILLED); /* a fill never made is the judge's FAIL, not a wait */
	pl_wait_cue(a, DRAIN);
	pl_close(a, fd);
}

/* One record, all bytes the writer's letter, in one writev. */
static void record_writer(pl_actor *a, void *arg)
{
	static char rec[RECORD];
	int fd = pl_end(a, arg, PL_WRITE_END);
	memset(rec, 'A' + a->index % 26, sizeof rec);
	struct iovec iov[NPARTS];
	size_t off = 0;
	for (int i = 0; i < NPARTS; i++) {
		iov[i] = (struct iovec){ rec + off, PART[i] };
		off += PART[i];
	}
	pl_post_cue(a, HAS_END + a->index);
	pl_wait_cue(a, GO + a->index);
	PL_MARKED(a, WRITEV, pl_writev(a, fd, iov, NPARTS));
	pl_close(a, fd);
}

static void drain(pl_actor *a, void *arg)
{
	static char buf[65536];
	int fd = pl_end(a, arg, PL_READ_END);
	pl_wait_cue(a, DRAIN);
	ssize_t n;
	while ((n = read(fd, buf, sizeof buf)) > 0)
		if (!pl_share(a, buf, (size_t)n))
			pl_note(a, "shared buffer full");
}

/* After `fill` filler bytes, every 512-byte slice must be one writer's
 * letter throughout, each writer's exactly once.  Returns the slices that
 * are not (mixed, foreign or missing), counting a wrong length as one. */
static int broken_records(const unsigned char *d, size_t len, long fill, int first, char *seen, size_t n)
{
	int bad = 0, count[PL_MAX_ACTORS] = { 0 };
	size_t k = 0;
	for (long i = 0; i < fill && (size_t)i < len; i++)
		bad += d[i] != FILL_CHAR;
	bad = bad > 0;
	for (size_t off = (size_t)fill; off + RECORD <= len; off += RECORD) {
		unsigned char who = d[off];
		bool whole = true;
		for (size_t i = 1; i < RECORD; i++)
			whole = whole && d[off + i] == who;
		int w = who - 'A';
		if (!whole || w < first || w >= first + WRITERS || count[w]++)
			bad++;
		if (k + 2 < n) {
			seen[k++] = whole ? (char)who : '?';
			seen[k] = '\0';
		}
	}
	if (len != (size_t)fill + WRITERS * RECORD)
		bad++;
	return bad;
}

/* Verify that 512-byte records, each sent as one writev of 4 buffers, by 4
 * writers all proven asleep in writev on a full pipe, are read whole.  A
 * libc that makes one write() per buffer leaves the writers' first buffers
 * in the room the fill left, one after another (F2 via S3). */
static void blocked_writers_rule(pl_case *c, enum pl_kind kind, const void *data)
{
	(void)data;
	pl_sandbox *sb = pl_sandbox_new(c, "4 writers asleep in writev on a full pipe");
	pl_chan ch;
	PL_TRY(pl_pipe_make(sb, &ch, kind));
	int rd = pl_spawn(sb, "reader", drain, &ch);
	int f = pl_spawn(sb, "filler", filler, &ch);
	int w[WRITERS];
	for (int i = 0; i < WRITERS; i++)
		w[i] = pl_spawn(sb, "writer", record_writer, &ch);
	pl_pipe_seal(sb, &ch);
	for (int i = 0; i < WRITERS; i++)
		PL_TRY(pl_await_cue(sb, HAS_END + w[i]));
	pl_cue(sb, START_FILL);
	PL_TRY(pl_await_cue(sb, FILLED));
	const struct pl_step *fs = pl_marked(c, sb, f, FILL, "the fill");
	if (!fs || !pl_check(c, fs->ret > 0, "non-blocking 500-byte writes fill the pipe until EAGAIN",
			     "some bytes, then EAGAIN", "%ld bytes%s%s", fs->ret > 0 ? fs->ret : 0,
			     fs->ret > 0 ? ", then EAGAIN" : "; a write was short or failed: ",
			     fs->ret > 0 ? "" : pl_errno_name(fs->err)))
		return;
	long fill = fs->ret;
	for (int i = 0; i < WRITERS; i++) {
		pl_cue(sb, GO + w[i]);
		PL_TRY(pl_await_blocked_why(sb, w[i], PL_OP_WRITE, "the pipe was full: no room for a 512-byte record"));
	}
	pl_cue(sb, DRAIN);
	PL_TRY(pl_await_end(sb, rd));
	int done = 0;
	for (int i = 0; i < WRITERS; i++) {
		PL_TRY(pl_await_end(sb, w[i]));
		done += pl_expect_marked(c, sb, w[i], WRITEV, RECORD, 0, "a blocked writer's writev returns 512");
	}
	size_t len;
	const unsigned char *d = pl_shared_data(sb, &len);
	char seen[64] = "";
	int bad = broken_records(d, len, fill, w[0], seen, sizeof seen);
	pl_check(c, bad == 0, "after the fill, 4 whole records of 4 buffers, one per writer",
		 "4 x 512 bytes, each of one writer", "%zu bytes after %ld filler bytes: records \"%s\" (? = mixed), %d wrong",
		 len - (len > (size_t)fill ? (size_t)fill : len), fill, seen, bad);
	pl_observed(c, "%ld bytes filled the pipe; %d writers slept in writev (16+16+240+240 bytes); %d returned 512; read \"%s\"",
		    fill, WRITERS, done, seen);
}

PL_RULE(.id = "vectored/writev-records-whole-among-blocked-writers", .rule = "S3, F2", .profile = "posix",
	.kinds = PL_ON_ALL_KINDS, .body = blocked_writers_rule,
	.title = "Verify that 512-byte records, each one writev of 4 buffers, from 4 writers asleep on a full pipe arrive whole (POSIX writev() as write(), PIPE_BUF)",
	.expected = "each writer proven asleep in writev; each returns 512; after the fill, 4 whole records");
