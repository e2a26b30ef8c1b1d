/* The interrupt probe: where /proc cannot show that an actor sleeps in a
 * call, the judge sends it a signal whose handler has no SA_RESTART.  A call
 * that was asleep fails with EINTR (or a write returns a short count); a call
 * that was not asleep is not disturbed.  The wrapper then makes the call
 * again, so the case never sees the probe.
 *
 * The probe signal is a real-time one that no case and no fault library
 * uses, so a case that catches SIGUSR1/SIGUSR2 itself keeps its own EINTR:
 * an attempt during which the case's own handler ran is never retried. */
#include "proof.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

int pl_probe_signal(void)
{
	/* glibc keeps the lowest real-time signals for itself, and qemu-user the
	 * top two of a guest's (it cannot deliver them: EINVAL): one a little
	 * below the top is free everywhere. */
	return SIGRTMAX - 6;
}

static void probe_handler(int sig)
{
	(void)sig; /* interrupts a sleeping call; the counts tell the wrapper why */
	struct pl_actor_rec *r = pl_current_rec(); /* a thread actor's own record */
	if (!r)
		return;
	r->probe_signals++;
	int i = r->in_step;
	if (i >= 0 && i < PL_MAX_STEPS)
		r->steps[i].probe_hits++;
}

void pl_probe_arm(void)
{
	struct sigaction sa = { .sa_handler = probe_handler }; /* no SA_RESTART */
	sigemptyset(&sa.sa_mask);
	sigaction(pl_probe_signal(), &sa, NULL);
	sigset_t unblock;
	sigemptyset(&unblock);
	sigaddset(&unblock, pl_probe_signal());
	sigprocmask(SIG_UNBLOCK, &unblock, NULL);
}

void pl_probe_mark(const struct pl_step *s, struct pl_probe_mark *m)
{
	m->probe_hits = s->probe_hits;
	m->case_signals = s->case_signals;
}

bool pl_probe_again(struct pl_step *s, struct pl_probe_mark *m, bool interrupted)
{
	bool probe_only = s->probe_hits != m->probe_hits && s->case_signals == m->case_signals;
	pl_probe_mark(s, m);
	if (!interrupted || !probe_only)
		return false;
	s->probe_eintr++; /* a count: a later proof of the same call needs a new one */
	return true;
}

bool pl_probe_retry(struct pl_step *s, bool interrupted)
{
	/* Every probe signal that interrupted a sleep was counted in probe_hits
	 * first; one not yet matched by an interruption explains this EINTR,
	 * unless the case's own handler ran during the call. */
	if (!interrupted || s->case_signals != 0 || s->probe_hits <= s->probe_eintr)
		return false;
	s->probe_eintr++;
	return true;
}

void pl_probe_note_eintr(struct pl_step *s, long ret, int err)
{
	if (ret < 0 && err == EINTR && s->probe_hits > 0 && s->case_signals == 0)
		s->probe_eintr++;
}

bool pl_probe_wanted(void)
{
	const char *m = getenv("PIPELAB_BLOCK_PROOF");
	return m && !strcmp(m, "probe");
}
