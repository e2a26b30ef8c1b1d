/* Recorded calls.  Each wrapper calls the libc function the system under test
 * provides and logs what it returned into the actor's shared record. */
#include "proof.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct pl_step *pl_step_begin(pl_actor *a, enum pl_op op, int fd, long arg, const char *what)
{
	struct pl_actor_rec *r = a->rec;
	int i = r->nsteps;
	if (i >= PL_MAX_STEPS) {
		/* Keep the newest call visible; the log says it was cut. */
		i = PL_MAX_STEPS - 1;
		snprintf(r->note, sizeof r->note, "step log truncated at %d calls", PL_MAX_STEPS);
	}
	struct pl_step *s = &r->steps[i];
	memset(s, 0, sizeof *s);
	s->op = op;
	s->fd = fd;
	s->arg = arg;
	if (what)
		snprintf(s->what, sizeof s->what, "%s", what);
	s->t_enter_ns = pl_now_ns();
	if (r->next_mark > 0 && r->next_mark <= PL_MAX_MARKS)
		r->marked[r->next_mark - 1] = i + 1;
	r->next_mark = 0;
	if (op == PL_OP_READ || op == PL_OP_WRITE || op == PL_OP_CALL)
		pl_nb_mark(s);
	r->nsteps = i + 1;
	r->in_step = i;
	r->progress++;
	pl_futex_wake(&r->progress);
	return s;
}

long pl_step_end(pl_actor *a, struct pl_step *s, long ret, int err)
{
	s->t_exit_ns = pl_now_ns();
	s->ret = ret;
	s->err = ret < 0 ? err : 0;
	s->done = 1;
	a->rec->in_step = -1;
	a->rec->progress++;
	pl_futex_wake(&a->rec->progress);
	errno = err;
	return ret;
}

static void preview(struct pl_step *s, const void *buf, long n)
{
	if (n <= 0)
		return;
	size_t k = (size_t)n < sizeof s->preview - 1 ? (size_t)n : sizeof s->preview - 1;
	const unsigned char *p = buf;
	for (size_t i = 0; i < k; i++)
		s->preview[i] = (p[i] >= 0x20 && p[i] < 0x7f) ? (char)p[i] : '.';
	s->preview[k] = '\0';
}

int pl_pipe(pl_actor *a, int fds[2])
{
	struct pl_step *s = pl_step_begin(a, PL_OP_PIPE, -1, 0, NULL);
	int r = pipe(fds);
	int e = errno;
	if (r == 0) {
		snprintf(s->what, sizeof s->what, "fd[0]=%d fd[1]=%d", fds[0], fds[1]);
		pl_nb_intent(fds[0], false);
		pl_nb_intent(fds[1], false);
	}
	return (int)pl_step_end(a, s, r, e);
}

int pl_mkfifo(pl_actor *a, const char *path, unsigned mode)
{
	struct pl_step *s = pl_step_begin(a, PL_OP_MKFIFO, -1, (long)mode, NULL);
	const char *base = strrchr(path, '/');
	snprintf(s->what, sizeof s->what, "%s", base ? base + 1 : path);
	int r = mkfifo(path, (mode_t)mode);
	return (int)pl_step_end(a, s, r, errno);
}

int pl_open(pl_actor *a, const char *path, int flags)
{
	struct pl_step *s = pl_step_begin(a, PL_OP_OPEN, -1, flags, NULL);
	snprintf(s->what, sizeof s->what, "%s%s", (flags & O_ACCMODE) == O_RDONLY ? "O_RDONLY" :
		 (flags & O_ACCMODE) == O_WRONLY ? "O_WRONLY" : "O_RDWR",
		 (flags & O_NONBLOCK) ? "|O_NONBLOCK" : "");
	int r;
	struct pl_probe_mark m;
	pl_probe_mark(s, &m);
	do
		r = open(path, flags);
	while (pl_probe_again(s, &m, r < 0 && errno == EINTR));
	pl_nb_intent(r, (flags & O_NONBLOCK) != 0);
	return (int)pl_step_end(a, s, r, errno);
}

int pl_close(pl_actor *a, int fd)
{
	struct pl_step *s = pl_step_begin(a, PL_OP_CLOSE, fd, 0, NULL);
	int r = close(fd);
	pl_nb_intent(fd, false);
	return (int)pl_step_end(a, s, r, errno);
}

ssize_t pl_read(pl_actor *a, int fd, void *buf, size_t n)
{
	struct pl_step *s = pl_step_begin(a, PL_OP_READ, fd, (long)n, NULL);
	ssize_t r;
	struct pl_probe_mark m;
	pl_probe_mark(s, &m);
	/* An EINTR caused by the blocking probe proves the block; the call is
	 * then made again so the scenario goes on as if undisturbed. */
	do
		r = read(fd, buf, n);
	while (pl_probe_again(s, &m, r < 0 && errno == EINTR));
	int e = errno;
	preview(s, buf, r);
	return pl_step_end(a, s, r, e);
}

ssize_t pl_write(pl_actor *a, int fd, const void *buf, size_t n)
{
	struct pl_step *s = pl_step_begin(a, PL_OP_WRITE, fd, (long)n, NULL);
	preview(s, buf, (long)n);
	const char *p = buf;
	size_t done = 0;
	ssize_t r;
	struct pl_probe_mark m;
	pl_probe_mark(s, &m);
	for (;;) {
		r = write(fd, p + done, n - done);
		/* Interrupted by the probe: EINTR, or a short count after a partial
		 * transfer.  Either proves the block; finish the write. */
		bool short_count = r > 0 && (size_t)r < n - done;
		if (!pl_probe_again(s, &m, (r < 0 && errno == EINTR) || short_count))
			break;
		if (short_count)
			done += (size_t)r;
	}
	return pl_step_end_resumed(a, s, r, done);
}

long pl_step_end_resumed(pl_actor *a, struct pl_step *s, long ret, size_t done)
{
	int e = errno;
	if (ret >= 0)
		ret += (long)done;
	else if (done > 0)
		ret = (long)done;
	return pl_step_end(a, s, ret, e);
}

ssize_t pl_read_full(pl_actor *a, int fd, void *buf, size_t n)
{
	struct pl_step *s = pl_step_begin(a, PL_OP_READ, fd, (long)n, "read until full");
	size_t got = 0;
	ssize_t r = 0;
	struct pl_probe_mark m;
	pl_probe_mark(s, &m);
	while (got < n) {
		r = read(fd, (char *)buf + got, n - got);
		if (pl_probe_again(s, &m, r < 0 && errno == EINTR))
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	int e = errno;
	preview(s, buf, (long)got);
	return pl_step_end(a, s, (r < 0 && got == 0) ? -1 : (long)got, e);
}

int pl_fcntl(pl_actor *a, int fd, int cmd, long arg, const char *what)
{
	struct pl_step *s = pl_step_begin(a, PL_OP_FCNTL, fd, arg, what);
	int r = fcntl(fd, cmd, arg);
	if (cmd == F_SETFL && r == 0)
		pl_nb_intent(fd, (arg & O_NONBLOCK) != 0);
	return (int)pl_step_end(a, s, r, errno);
}

void pl_note(pl_actor *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(a->rec->note, sizeof a->rec->note, fmt, ap);
	va_end(ap);
}

struct pl_step *pl_begin(pl_actor *a, const char *call, int fd)
{
	return pl_step_begin(a, PL_OP_CALL, fd, 0, call);
}

long pl_finish(pl_actor *a, struct pl_step *s, long ret)
{
	int e = errno;
	pl_probe_note_eintr(s, ret, e); /* the case's own call: the probe is its proof */
	return pl_step_end(a, s, ret, e);
}

void pl_mark_next(pl_actor *a, int mark)
{
	if (mark >= 0 && mark < PL_MAX_MARKS)
		a->rec->next_mark = mark + 1;
}

void pl_mark_step(pl_actor *a, int mark, const struct pl_step *s)
{
	long i = s ? s - a->rec->steps : -1;
	if (mark >= 0 && mark < PL_MAX_MARKS && i >= 0 && i < PL_MAX_STEPS)
		a->rec->marked[mark] = (int)i + 1;
}

struct pl_step *pl_find_marked(pl_sandbox *sb, int actor, int mark)
{
	if (actor <= 0 || actor >= PL_MAX_ACTORS || mark < 0 || mark >= PL_MAX_MARKS)
		return NULL;
	struct pl_actor_rec *r = pl_rec(sb, actor);
	/* The actor wrote these: trust neither beyond the log's bounds. */
	int i = r->marked[mark] - 1, n = r->nsteps;
	if (i < 0 || i >= PL_MAX_STEPS || i >= n)
		return NULL;
	return &r->steps[i];
}

struct pl_step *pl_marked(pl_case *c, pl_sandbox *sb, int actor, int mark, const char *call)
{
	struct pl_step *s = pl_find_marked(sb, actor, mark);
	if (s)
		return s;
	char end[96] = "not spawned";
	const char *who = "the actor";
	if (actor > 0 && actor < PL_MAX_ACTORS) {
		struct pl_actor_rec *r = pl_rec(sb, actor);
		who = r->name[0] ? r->name : "the actor";
		if (r->end_kind == 0)
			snprintf(end, sizeof end, "still running%s%s", r->note[0] ? "; note: " : "", r->note);
		else
			pl_actor_end_text(r, end, sizeof end);
	}
	pl_check(c, false, call, "the call made", "%.31s never made its call '%s' (%s)", who, call, end);
	return NULL;
}
