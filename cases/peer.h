/* An actor that becomes pipelab-fifo-peer: one side of a FIFO conversation as
 * a program of its own, sharing no descriptor with the other side. */
#ifndef PIPELAB_PEER_H
#define PIPELAB_PEER_H

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
	pl_note(a, "exec pipelab-fifo-peer %s %s", p->mode, p->text);
	execl(PIPELAB_FIFO_PEER, "pipelab-fifo-peer", p->mode, p->path, p->text, (char *)NULL);
	_exit(127);
}

#endif
