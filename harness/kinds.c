/* Pipe kinds: an anonymous pipe or a FIFO, handed to actors the same way. */
#include "proof.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const END_NAME[2] = { [PL_READ_END] = "read", [PL_WRITE_END] = "write" };

/* A detail for the call an actor has just logged.  Descriptor numbers are
 * per process (the creator's fd[0] can be another actor's write end), so
 * the log says which end each number is wherever an actor takes or drops
 * one. */
static void detail_last(struct pl_actor_rec *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void detail_last(struct pl_actor_rec *r, const char *fmt, ...)
{
	int n = pl_rec_nsteps(r);
	if (n <= 0)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->steps[n - 1].what, sizeof r->steps[n - 1].what, fmt, ap);
	va_end(ap);
}

/* What the creator actor is asked to make. */
struct creation {
	enum pl_kind kind;
	const char *path; /* FIFO */
	int sock;         /* the creator's end of the harness's channel */
};

/* Creator actor: makes the pipe through the implementation under test and
 * hands both descriptors to the judge over the socket (SCM_RIGHTS). */
static void create(pl_actor *a, void *arg)
{
	const struct creation *w = arg;
	if (w->kind == PL_FIFO) {
		if (pl_mkfifo(a, w->path, 0600) < 0)
			_exit(1);
		return;
	}
	int fd[2];
	int r;
	if (w->kind == PL_PIPE) {
		r = pl_pipe(a, fd);
	} else {
		r = pl_pipe2(a, fd, O_NONBLOCK);
	}
	if (r < 0)
		_exit(1);
	char byte = 'p';
	struct iovec iov = { &byte, 1 };
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof fd)];
	} ctl;
	memset(&ctl, 0, sizeof ctl);
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.buf, .msg_controllen = sizeof ctl.buf };
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof fd);
	memcpy(CMSG_DATA(c), fd, sizeof fd);
	if (sendmsg(w->sock, &m, 0) != 1)
		_exit(2);
}

/* Judge: the two descriptors the creator sent, or false. */
static bool receive(int sock, int fd[2])
{
	char byte;
	struct iovec iov = { &byte, 1 };
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(2 * sizeof(int))];
	} ctl;
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.buf, .msg_controllen = sizeof ctl.buf };
	if (recvmsg(sock, &m, MSG_DONTWAIT) != 1)
		return false;
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);
	/* The buffer holds one message of two descriptors: more is MSG_CTRUNC. */
	if (!(m.msg_flags & MSG_CTRUNC) && c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS &&
	    c->cmsg_len == CMSG_LEN(2 * sizeof(int))) {
		memcpy(fd, CMSG_DATA(c), 2 * sizeof(int));
		return true;
	}
	/* Not the two descriptors asked for: whatever did arrive is closed. */
	for (; c; c = CMSG_NXTHDR(&m, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
			for (size_t k = 0; k < (c->cmsg_len - CMSG_LEN(0)) / sizeof(int); k++) {
				int got;
				memcpy(&got, CMSG_DATA(c) + k * sizeof(int), sizeof got);
				close(got);
			}
	return false;
}

static void hold(pl_sandbox *sb, const int fd[2])
{
	for (int i = 0, k = 0; i < 16 && k < 2; i++)
		if (sb->held[i] < 0)
			sb->held[i] = fd[k++];
}

/* With an implementation under test, a short-lived actor creates the pipe
 * or FIFO through it; the judge never runs its code.  Only descriptors pass
 * to the judge (and from it to later actors): state the implementation kept
 * in the creator's memory at pipe() time is not inherited. */
static bool make_by_actor(pl_sandbox *sb, pl_chan *p)
{
	int sv[2] = { -1, -1 };
	if (p->kind != PL_FIFO && socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		pl_broken(sb->c, "socketpair for the pipe's creator failed: %s", strerror(errno));
		return false;
	}
	struct creation w = { p->kind, p->path, sv[1] };
	int a = pl_spawn_creator(sb, create, &w);
	bool ended = a > 0 && pl_await_end(sb, a);
	if (sv[1] >= 0)
		close(sv[1]);
	const char *call = p->kind == PL_FIFO ? "mkfifo()" : p->kind == PL_PIPE ? "pipe()" : "pipe2(O_NONBLOCK)";
	bool ok = ended && pl_box_verdict(sb, a);
	struct stat st;
	if (ok && (p->kind == PL_FIFO ? lstat(p->path, &st) < 0 || !S_ISFIFO(st.st_mode) : !receive(sv[0], p->fd))) {
		/* The implementation's fault: what its call returned, from the step. */
		char end[96], out[64];
		const struct pl_step *s = pl_rec_nsteps(pl_rec(sb, a)) ? &pl_rec(sb, a)->steps[0] : NULL;
		pl_case_set_verdict(sb->c, PL_FAIL, "%s did not create a %s: it returned %s (creator: %s)", call,
				    p->kind == PL_FIFO ? "FIFO" : "pipe", s ? pl_step_outcome(s, out, sizeof out) : "nothing",
				    pl_actor_end_text(pl_rec(sb, a), end, sizeof end));
		ok = false;
	}
	if (sv[0] >= 0)
		close(sv[0]);
	if (ok && p->kind != PL_FIFO) {
		hold(sb, p->fd);
		snprintf(pl_rec(sb, a)->note, sizeof pl_rec(sb, a)->note,
			 "its descriptor numbers are its own: the judge and the other actors hold the read end as fd %d, "
			 "the write end as fd %d", p->fd[PL_READ_END], p->fd[PL_WRITE_END]);
	}
	return ok;
}

/* The scenario's pipe, by identity, for the proofs (proof_object.c): the
 * ends the judge holds, or the FIFO as the judge finds it at its path. */
static bool noted(pl_sandbox *sb, const pl_chan *p, bool ok)
{
	struct stat st;
	if (ok && (p->kind == PL_FIFO ? lstat(p->path, &st) : fstat(p->fd[0], &st)) == 0)
		pl_sandbox_note_object(sb, &st);
	return ok;
}

static bool make(pl_sandbox *sb, pl_chan *p, enum pl_kind kind);

bool pl_pipe_make(pl_sandbox *sb, pl_chan *p, enum pl_kind kind)
{
	return noted(sb, p, make(sb, p, kind));
}

static bool make(pl_sandbox *sb, pl_chan *p, enum pl_kind kind)
{
	memset(p, 0, sizeof *p);
	p->kind = kind;
	p->fd[0] = p->fd[1] = -1;
	if (kind == PL_FIFO) {
		const char *dir = pl_case_tmpdir(sb->c);
		if (!dir)
			return false;
		static int seq;
		snprintf(p->path, sizeof p->path, "%s/fifo-%d", dir, ++seq);
	}
	if (pl_box_impl())
		return make_by_actor(sb, p);
	/* The system itself is under test: the judge makes it with libc. */
	if (kind == PL_PIPE || kind == PL_PIPE2) {
		int r;
		if (kind == PL_PIPE) {
			r = pl_pipe(pl_judge(sb), p->fd);
		} else {
			r = pl_pipe2(pl_judge(sb), p->fd, O_NONBLOCK);
		}
		if (r < 0) {
			pl_broken(sb->c, "%s failed: %s", kind == PL_PIPE ? "pipe()" : "pipe2(O_NONBLOCK)", pl_errno_name(errno));
			return false;
		}
		hold(sb, p->fd);
		return true;
	}
	if (pl_mkfifo(pl_judge(sb), p->path, 0600) < 0) {
		pl_broken(sb->c, "mkfifo(%s) failed: %s", p->path, pl_errno_name(errno));
		return false;
	}
	return true;
}

void pl_pipe_seal(pl_sandbox *sb, pl_chan *p)
{
	if (p->kind != PL_PIPE && p->kind != PL_PIPE2)
		return;
	for (int i = 0; i < 2; i++)
		if (p->fd[i] >= 0) {
			for (int k = 0; k < 16; k++)
				if (sb->held[k] == p->fd[i])
					sb->held[k] = -1;
			pl_close(pl_judge(sb), p->fd[i]);
			detail_last(pl_judge(sb)->rec, "the judge's copy of the %s end; the actors hold theirs", END_NAME[i]);
			p->fd[i] = -1;
		}
}

int pl_end(pl_actor *a, pl_chan *p, int which)
{
	if (p->kind == PL_PIPE || p->kind == PL_PIPE2) {
		pl_close(a, p->fd[!which]);
		detail_last(a->rec, "the %s end, not this actor's; it keeps fd %d, the %s end", END_NAME[!which], p->fd[which],
			    END_NAME[which]);
		/* pipe2(O_NONBLOCK): the scenario wants a blocking end (O_NONBLOCK
		 * lives on the open file description, so this is for every holder). */
		if (p->kind == PL_PIPE2)
			pl_set_nonblock(a, p->fd[which], false);
		return p->fd[which];
	}
	int fd = pl_open(a, p->path, which == PL_READ_END ? O_RDONLY : O_WRONLY);
	detail_last(a->rec, "%s: the %s end", which == PL_READ_END ? "O_RDONLY" : "O_WRONLY", END_NAME[which]);
	if (fd < 0)
		pl_note(a, "open of the FIFO failed: %s", pl_errno_name(errno));
	return fd;
}

void pl_end_none(pl_actor *a, pl_chan *p)
{
	if (p->kind == PL_PIPE || p->kind == PL_PIPE2) {
		for (int i = 0; i < 2; i++) {
			pl_close(a, p->fd[i]);
			detail_last(a->rec, "the %s end; this actor keeps neither", END_NAME[i]);
		}
	}
}
