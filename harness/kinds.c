/* Pipe kinds: an anonymous pipe or a FIFO, handed to actors the same way. */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

bool pl_pipe_make(pl_sandbox *sb, pl_chan *p, enum pl_kind kind)
{
	memset(p, 0, sizeof *p);
	p->kind = kind;
	p->fd[0] = p->fd[1] = -1;
	if (kind == PL_PIPE || kind == PL_PIPE2) {
		int r;
		if (kind == PL_PIPE) {
			r = pl_pipe(pl_judge(sb), p->fd);
		} else {
			struct pl_step *s = pl_begin(pl_judge(sb), "pipe2(O_NONBLOCK)", -1);
			r = (int)pl_finish(pl_judge(sb), s, pipe2(p->fd, O_NONBLOCK));
		}
		if (r < 0) {
			pl_broken(sb->c, "%s failed: %s", kind == PL_PIPE ? "pipe()" : "pipe2(O_NONBLOCK)", pl_errno_name(errno));
			return false;
		}
		for (int i = 0, k = 0; i < 16 && k < 2; i++)
			if (sb->held[i] < 0)
				sb->held[i] = p->fd[k++];
		return true;
	}
	const char *dir = pl_case_tmpdir(sb->c);
	if (!dir)
		return false;
	static int seq;
	snprintf(p->path, sizeof p->path, "%s/fifo-%d", dir, ++seq);
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
			p->fd[i] = -1;
		}
}

int pl_end(pl_actor *a, pl_chan *p, int which)
{
	if (p->kind == PL_PIPE || p->kind == PL_PIPE2) {
		pl_close(a, p->fd[!which]);
		/* pipe2(O_NONBLOCK): the scenario wants a blocking end (O_NONBLOCK
		 * lives on the open file description, so this is for every holder). */
		if (p->kind == PL_PIPE2)
			pl_set_nonblock(a, p->fd[which], false);
		return p->fd[which];
	}
	int fd = pl_open(a, p->path, which == PL_READ_END ? O_RDONLY : O_WRONLY);
	if (fd < 0)
		pl_note(a, "open of the FIFO failed: %s", pl_errno_name(errno));
	return fd;
}

void pl_end_none(pl_actor *a, pl_chan *p)
{
	if (p->kind == PL_PIPE || p->kind == PL_PIPE2) {
		pl_close(a, p->fd[0]);
		pl_close(a, p->fd[1]);
	}
}
