/* Proof that an actor is blocked: it has entered the recorded call and the
 * kernel shows it asleep (state S) in that very syscall on that descriptor
 * (proc.c).  Where /proc cannot tell, the interrupt probe stands in (probe.c,
 * weaker evidence, recorded as such).  A call that returns instead of
 * sleeping is reported the moment that is certain, in words. */
#include "proof.h"

#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

static void verdict(struct proof *p, bool ok, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void verdict(struct proof *p, bool ok, const char *fmt, ...)
{
	if (!p->judge)
		return;
	char obs[400], what[128], exp[96];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(obs, sizeof obs, fmt, ap);
	va_end(ap);
	snprintf(what, sizeof what, "%s's %s() blocks", p->name, p->callname);
	snprintf(exp, sizeof exp, "asleep in %s()", p->callname);
	pl_check_at(p->file, p->line, p->sb->c, ok, what, exp, "%s", obs);
}

static cJSON *evidence(struct proof *p, int step)
{
	cJSON *e = cJSON_CreateObject();
	cJSON_AddStringToObject(e, "actor", p->name);
	cJSON_AddStringToObject(e, "call", p->callname);
	cJSON_AddNumberToObject(e, "step", step);
	cJSON_AddStringToObject(e, "method", p->method == METHOD_PROC ? "proc" : "probe");
	cJSON_AddNumberToObject(e, "latency_ms", (double)(pl_now_ns() - p->entered_ns) / 1e6);
	cJSON_AddNumberToObject(e, "t_ns", (double)pl_now_ns());
	cJSON_AddItemToArray(p->sb->blocking, e);
	p->sb->next_proof[p->actor] = step + 1;
	return e;
}

/* Whether /proc's syscall number nr is the call the actor is in. */
static bool syscall_matches(const struct proof *p, long nr)
{
	const char *name = pl_syscall_nr_name(nr);
	switch (p->op) {
	case PL_OP_CALL:
		if (!strcmp(p->call, "poll"))
			return !strcmp(name, "poll") || !strcmp(name, "ppoll");
		if (!strcmp(p->call, "epoll_wait"))
			return !strncmp(name, "epoll_", 6) && strstr(name, "wait");
		return (!strcmp(p->call, "vmsplice") || !strcmp(p->call, "splice")) && !strcmp(name, p->call);
	case PL_OP_READ: return !strcmp(name, "read") || !strcmp(name, "readv");
	case PL_OP_WRITE: return !strcmp(name, "write") || !strcmp(name, "writev");
	case PL_OP_OPEN: return !strcmp(name, "openat") || !strcmp(name, "open");
	default: return false;
	}
}

/* The awaited call, if the actor is inside it now (calls before an earlier
 * proof are history: a woken read that has not returned yet must not be
 * mistaken for the next one). */
static struct pl_step *observe(struct proof *p, int *index)
{
	int i = pl_rec_in_step(p->r);
	if (i < 0 || i < p->sb->next_proof[p->actor])
		return NULL;
	struct pl_step *s = &p->r->steps[i];
	bool same = p->call ? !strncmp(s->what, p->call, sizeof s->what) : s->op == (int)p->op;
	if (!same || s->done)
		return NULL;
	if (!p->entered) {
		p->entered = true;
		p->entered_ns = s->t_enter_ns;
		/* A write made with pl_writev is named so in the evidence and the verdict. */
		if (p->op == PL_OP_WRITE && !strncmp(s->what, "writev", sizeof s->what))
			snprintf(p->callname, sizeof p->callname, "writev");
	}
	*index = i;
	return s;
}

static enum proof_state proc_proof(struct proof *p, const struct pl_step *s, int i)
{
	pl_actor_proc_read(p->sb, p->actor, &p->last);
	p->looked = true;
	p->polls++;
	if (p->last.where == PROC_UNREADABLE) {
		/* This proof goes on with the probe: same call, weaker evidence. */
		p->method = METHOD_PROBE;
		snprintf(p->why_probe, sizeof p->why_probe, "/proc/PID/syscall could not be read (%s)",
			 pl_errno_name(p->last.read_errno));
		return PROOF_PENDING;
	}
	/* The first argument is the descriptor only for a call made on one (not
	 * openat's AT_FDCWD, not poll's array): only then is it checked and told;
	 * epoll_wait and poll sleep on no pipe descriptor of their own. */
	bool on_fd = p->op != PL_OP_OPEN && s->fd >= 0;
	bool on_pipe = on_fd && (p->op != PL_OP_CALL || !strcmp(p->call, "splice") || !strcmp(p->call, "vmsplice"));
	if (p->last.state != 'S' || p->last.where != PROC_IN_SYSCALL || !syscall_matches(p, p->last.nr) ||
	    (on_fd && p->last.arg0 != s->fd))
		return PROOF_PENDING;
	char object[160] = "";
	if (on_pipe && !pl_proof_object(p->sb, p->actor, p->last.arg0, object, sizeof object)) {
		snprintf(p->object_miss, sizeof p->object_miss, "%s", object);
		return PROOF_PENDING;
	}
	cJSON *e = evidence(p, i);
	if (object[0])
		cJSON_AddStringToObject(e, "object", object);
	cJSON_AddStringToObject(e, "state", "S");
	cJSON_AddNumberToObject(e, "syscall_nr", (double)p->last.nr);
	cJSON_AddStringToObject(e, "syscall", pl_syscall_nr_name(p->last.nr));
	if (on_fd)
		cJSON_AddNumberToObject(e, "fd", (double)p->last.arg0);
	cJSON_AddStringToObject(e, "wchan", p->last.wchan);
	cJSON_AddNumberToObject(e, "polls", p->polls);
	char fd[32] = "";
	if (on_fd)
		snprintf(fd, sizeof fd, " on fd %ld", p->last.arg0);
	verdict(p, true, "%s asleep in %s()%s (state S, waiting in %s)", p->name, pl_syscall_nr_name(p->last.nr), fd,
		p->last.wchan[0] ? p->last.wchan : "an unnamed wait");
	return PROOF_PROVEN;
}

static enum proof_state probe_proven(struct proof *p, int i)
{
	cJSON *e = evidence(p, i);
	cJSON_AddStringToObject(e, "evidence", "weaker: a signal without SA_RESTART interrupted the call "
					       "(EINTR or a short count); the call was then made again");
	cJSON_AddStringToObject(e, "why_probe", p->why_probe);
	cJSON_AddNumberToObject(e, "signals_sent", p->probes);
	verdict(p, true, "%s's %s() was interrupted by the probe signal, so it was asleep in the call (weaker evidence: %s)",
		p->name, p->callname, p->why_probe);
	return PROOF_PROVEN;
}

/* Only an interruption during this proof counts (pl_await_still_blocked
 * looks again at a call an earlier probe already interrupted). */
static bool probe_hit(const struct proof *p, const struct pl_step *s, int i)
{
	return s->probe_eintr > (i == p->base_index ? p->base_count : 0);
}

static enum proof_state probe_proof(struct proof *p, const struct pl_step *s, int i)
{
	if (p->probes > 0 && probe_hit(p, s, i)) /* only an interruption by a signal the judge sent */
		return probe_proven(p, i);
	/* A signal that lands before the call sleeps is absorbed; send again,
	 * spaced out so a slow target gets the time to sleep. */
	int64_t gap = 200000LL * (p->probes < 10 ? p->probes + 1 : 10);
	if (pl_now_ns() - p->probe_sent_ns > gap) {
		if (pl_actor_signal(p->sb, p->actor, pl_probe_signal()))
			p->probes++;
		else
			p->send_errno = errno;
		p->probe_sent_ns = pl_now_ns();
	}
	return PROOF_PENDING;
}

/* Will the actor make no further call until the judge acts?  Then a call
 * that already returned is certainly the awaited one. */
static bool actor_settled(struct proof *p)
{
	if (pl_actor_reap(p->sb, p->actor, false))
		return true;
	int cue = p->r->waiting_cue - 1;
	return cue >= 0 && cue < PL_MAX_CUES && p->sb->shm->cue[cue] == 0;
}

static enum proof_state returned(struct proof *p, const struct pl_step *d)
{
	char out[64];
	pl_step_outcome(d, out, sizeof out);
	double ms = (double)(d->t_exit_ns - d->t_enter_ns) / 1e6;
	char when[48];
	if (ms >= 0 && ms < 50)
		snprintf(when, sizeof when, "at once");
	else
		snprintf(when, sizeof when, "after %.0f ms without being seen asleep", ms);
	verdict(p, false, "%s() returned %s %s; it should have blocked%s%s", p->callname, out, when, p->why ? ": " : "",
		p->why ? p->why : "");
	if (p->judge)
		pl_note_failing_step(p->sb->c, d);
	return PROOF_MISSED;
}

/* The awaited call is not in progress: has it returned, or has the actor
 * ended?  Either is a verdict as soon as it is certain. */
static enum proof_state classify_miss(struct proof *p)
{
	struct pl_step *d = pl_find_step(p->sb, p->actor, p->op, p->call, p->sb->next_proof[p->actor]);
	if (d && d->done && p->probes > 0 && probe_hit(p, d, (int)(d - p->r->steps)))
		return probe_proven(p, (int)(d - p->r->steps));
	bool settled = actor_settled(p);
	if (d && d->done && (p->entered || settled))
		return returned(p, d);
	if (p->r->end_kind != PL_END_RUNNING) {
		char end[96];
		verdict(p, false, "%s %s %s its %s()", p->name, pl_actor_end_phrase(p->r, end, sizeof end),
			p->entered ? "inside" : "before", p->callname);
		return PROOF_MISSED;
	}
	return PROOF_PENDING;
}

static void deadline_miss(struct proof *p)
{
	double s = (double)(p->window_end - p->sb->t0_ns) / 1e9;
	struct pl_step *d = pl_find_step(p->sb, p->actor, p->op, p->call, p->sb->next_proof[p->actor]);
	char seen[200];
	if (d && d->done) {
		returned(p, d);
	} else if (!p->entered) {
		verdict(p, false, "%s never started its %s() within %.1f s", p->name, p->callname, s);
	} else if (p->method == METHOD_PROBE && p->probes == 0 && (p->send_errno == EINVAL || p->send_errno == ENOSYS) &&
		   p->judge) {
		/* The lab's tool failed, not the implementation (an emulator that
		 * cannot deliver the signal): nothing was judged. */
		pl_broken(p->sb->c, "the probe signal could not be sent to %s (%s), so its %s() could not be proven blocked",
			  p->name, pl_errno_name(p->send_errno), p->callname);
	} else if (p->method == METHOD_PROBE) {
		verdict(p, false, "%s's %s() was never interrupted by the probe signal within %.1f s (%d sent): "
			"no sign that it slept in the call (%s)", p->name, p->callname, s, p->probes, p->why_probe);
	} else {
		verdict(p, false, "%s's %s() was never seen asleep in the call within %.1f s; the kernel last showed it %s%s%s",
			p->name, p->callname, s, p->looked ? pl_proc_describe(&p->last, seen, sizeof seen) : "(not looked at)",
			p->object_miss[0] ? ", but " : "", p->object_miss);
	}
}

/* Wait briefly and cheaply: a few yields, then a futex wait on the actor's
 * progress word, so the call returning ends the wait at once. */
static void back_off(struct pl_actor_rec *r, uint32_t seen, int round, int64_t left)
{
	if (round < 20) {
		sched_yield();
		return;
	}
	int64_t ns = 50000LL << (round - 20 < 6 ? round - 20 : 6); /* 50 us .. 3.2 ms */
	if (ns > left)
		ns = left;
	if (ns > 0)
		pl_futex_wait(&r->progress, seen, ns);
}

bool pl_prove(struct proof *p)
{
	if (p->actor <= 0 || p->actor >= p->sb->nactors) {
		verdict(p, false, "no actor %d in this scenario", p->actor);
		return false;
	}
	p->r = &p->sb->shm->actor[p->actor];
	pl_bounded(p->r->name, sizeof p->r->name, p->name, sizeof p->name);
	snprintf(p->callname, sizeof p->callname, "%s", p->call ? p->call : pl_op_name(p->op));
	if (pl_probe_wanted()) {
		p->method = METHOD_PROBE;
		snprintf(p->why_probe, sizeof p->why_probe, "PIPELAB_BLOCK_PROOF=probe");
	}
	if (p->sb->next_proof[p->actor] < 0 || p->sb->next_proof[p->actor] > PL_MAX_STEPS)
		p->sb->next_proof[p->actor] = 0;
	struct pl_step *base = pl_find_step(p->sb, p->actor, p->op, p->call, p->sb->next_proof[p->actor]);
	p->base_index = base ? (int)(base - p->r->steps) : -1;
	p->base_count = base ? base->probe_eintr : 0;
	for (int round = 0;; round++) {
		uint32_t seen = p->r->progress;
		int i = -1;
		struct pl_step *s = observe(p, &i);
		enum proof_state st = PROOF_PENDING;
		if (s && p->method == METHOD_PROC)
			st = proc_proof(p, s, i);
		if (s && p->method == METHOD_PROBE && st == PROOF_PENDING)
			st = probe_proof(p, s, i);
		/* An actor that died inside the call stays "in" it: once it has
		 * ended, what it left is the verdict, not a deadline (looked at once
		 * the cheap first rounds are over). */
		if (!s || (round >= 20 && st == PROOF_PENDING && pl_actor_reap(p->sb, p->actor, false)))
			st = classify_miss(p);
		if (st != PROOF_PENDING)
			return st == PROOF_PROVEN;
		/* A check that stopped the scenario (nbwatch.c) has said why. */
		if (pl_wait_left(p->sb) <= 0 && p->sb->stopped)
			return false;
		int64_t left = p->window_end - pl_now_ns();
		if (left <= 0) {
			deadline_miss(p);
			return false;
		}
		back_off(p->r, seen, round, left);
	}
}

