/* Signal dispositions an actor sets for itself before the call under test. */
#include "proof.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

static void count(int sig, bool can_interrupt)
{
	struct pl_actor_rec *r = pl_current_rec(); /* the thread's, in a thread actor */
	if (r && sig > 0 && sig < 65) {
		r->caught[sig]++;
		/* The call this handler interrupted returns EINTR to the case: the
		 * probe's retry must leave that attempt alone (probe.c). */
		int i = r->in_step;
		if (can_interrupt && i >= 0 && i < PL_MAX_STEPS)
			r->steps[i].case_signals++;
		/* Let a judge waiting in pl_await_caught see it at once. */
		r->progress++;
		pl_futex_wake(&r->progress);
	}
}

static void counting_handler(int sig) { count(sig, true); }

/* With SA_RESTART the kernel makes the interrupted call again by itself. */
static void restarting_handler(int sig) { count(sig, false); }

static void record(pl_actor *a, int sig, const char *how, int r)
{
	struct pl_actor_rec *rec = a->rec;
	int i = rec->nsteps < PL_MAX_STEPS ? rec->nsteps : PL_MAX_STEPS - 1;
	struct pl_step *s = &rec->steps[i];
	memset(s, 0, sizeof *s);
	s->op = PL_OP_SIGNAL;
	s->fd = -1;
	s->arg = sig;
	s->ret = r;
	s->err = r < 0 ? errno : 0;
	s->done = 1;
	s->t_enter_ns = s->t_exit_ns = pl_now_ns();
	snprintf(s->what, sizeof s->what, "%s %s", pl_signal_name(sig), how);
	rec->nsteps = i + 1;
}

void pl_catch(pl_actor *a, int sig)
{
	pl_self_rec = a->rec;
	struct sigaction sa = { .sa_handler = counting_handler }; /* no SA_RESTART */
	sigemptyset(&sa.sa_mask);
	record(a, sig, "caught by a counting handler", sigaction(sig, &sa, NULL));
}

void pl_catch_restart(pl_actor *a, int sig)
{
	pl_self_rec = a->rec;
	struct sigaction sa = { .sa_handler = restarting_handler, .sa_flags = SA_RESTART };
	sigemptyset(&sa.sa_mask);
	record(a, sig, "caught by a counting handler, SA_RESTART", sigaction(sig, &sa, NULL));
}

void pl_ignore(pl_actor *a, int sig)
{
	struct sigaction sa = { .sa_handler = SIG_IGN };
	record(a, sig, "ignored (SIG_IGN)", sigaction(sig, &sa, NULL));
}

void pl_block(pl_actor *a, int sig)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, sig);
	record(a, sig, "blocked (sigprocmask)", sigprocmask(SIG_BLOCK, &set, NULL));
}

void pl_record_pending(pl_actor *a)
{
	sigset_t set;
	sigemptyset(&set);
	sigpending(&set);
	a->rec->pending_sigpipe = sigismember(&set, SIGPIPE) == 1;
}
