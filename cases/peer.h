/* An actor that becomes pipelab-fifo-peer: one side of a FIFO conversation as
 * a program of its own, sharing no descriptor with the other side. */
#ifndef PIPELAB_PEER_H
#define PIPELAB_PEER_H

#include <signal.h>
#include <unistd.h>

#include "pipelab.h"

#ifndef PIPELAB_FIFO_PEER
#error "PIPELAB_FIFO_PEER must name the pipelab-fifo-peer program"
#endif

struct peer {
	const char *mode, *path, *text; /* "write"/"read", FIFO path, message */
};

static inline void exec_peer(pl_actor *a, void *arg)
{
	const struct peer *p = arg;
	sigset_t go; /* read-late waits for it, with sigwaitinfo */
	sigemptyset(&go);
	sigaddset(&go, SIGUSR1);
	sigprocmask(SIG_BLOCK, &go, NULL);
	pl_note(a, "exec pipelab-fifo-peer %s %s", p->mode, p->text);
	pl_execvp(PIPELAB_FIFO_PEER, (char *[]){ "pipelab-fifo-peer", (char *)p->mode, (char *)p->path, (char *)p->text, NULL });
	_exit(127);
}

/* A writer and a reader program of one FIFO made in the case's directory,
 * each exec'd, sharing no descriptor; both exchange `text`.  The reader
 * reads once the writer has ended (read-late), so the outcome is the same on
 * every run, whatever the scheduler does (an empty pipe is the tables'
 * business).  False when the case has been marked; else both have ended,
 * their actors in *wr and *rd. */
static inline bool run_peers(pl_sandbox *sb, const char *text, bool reader_first, int *wr, int *rd)
{
	pl_chan ch;
	if (!pl_pipe_make(sb, &ch, PL_FIFO))
		return false;
	struct peer w = { "write", ch.path, text }, r = { "read-late", ch.path, text };
	if (reader_first)
		*rd = pl_spawn(sb, "reader program", exec_peer, &r);
	*wr = pl_spawn(sb, "writer program", exec_peer, &w);
	if (!reader_first)
		*rd = pl_spawn(sb, "reader program", exec_peer, &r);
	if (!pl_await_end(sb, *wr))
		return false;
	pl_actor_signal(sb, *rd, SIGUSR1);
	return pl_await_end(sb, *rd);
}

#endif
