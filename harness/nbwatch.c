/* A non-blocking call must not sleep.  A read or write made on a descriptor
 * the actor made non-blocking returns at once (EAGAIN, or a partial count);
 * an implementation that ignores O_NONBLOCK sleeps in it instead, and its
 * scenario would otherwise sit until the deadline and end TIMEOUT, far from
 * the call at fault.  So while the judge waits for anything, it watches such
 * calls: one seen asleep twice, half a window apart, without the task having
 * run once in between (its context-switch count unchanged), slept all that
 * while.  That is proven from /proc, never inferred from time alone, and the
 * case is FAIL at once, naming the call and how long it was seen asleep.
 *
 * Actor side: which descriptors the actor made non-blocking through the
 * implementation (pl_open or pl_pipe2 with O_NONBLOCK, F_SETFL, the fill),
 * and the mark a read or write on one gets.  What the actor asked for, not
 * what the kernel's flags say: an implementation that drops O_NONBLOCK
 * (clears it, or never passes it on) is the very bug to catch.  The intent
 * holds for the file it was given on (its device and inode, read past any
 * interposed fstat), so a descriptor number reused for another pipe by a
 * call the harness does not record is not mistaken for it.  A case that lets
 * another process clear the flag on a shared open file description, and then
 * expects this actor's call to block, must not use a descriptor it made
 * non-blocking this way (none does). */
#include "proof.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The window, times PIPELAB_TIMEOUT_MULT: a correct non-blocking call is
 * done in microseconds, but a library of the student's own may briefly wait
 * for its own lock while the holder is preempted on a loaded machine (grade
 * runs a student per core, each with two cases at once).  A quarter of the
 * scenario's deadline: still far sooner than the TIMEOUT it replaces. */
#define NB_WINDOW_NS (500LL * 1000000)
#define NB_FDS 1024

/* Per actor process: forks copy it, threads share it. */
static struct {
	bool on;
	dev_t dev;
	ino_t ino;
} intent[NB_FDS];

/* The file behind fd, as the kernel has it (0, 0 when it has none: a
 * descriptor of the implementation's own making). */
static void file_of(int fd, dev_t *dev, ino_t *ino)
{
	struct stat st;
#ifdef SYS_fstat
	long r = syscall(SYS_fstat, fd, &st);
#else
	long r = fstat(fd, &st);
#endif
	*dev = r == 0 ? st.st_dev : 0;
	*ino = r == 0 ? st.st_ino : 0;
}

void pl_nb_intent(int fd, bool on)
{
	if (fd < 0 || fd >= NB_FDS)
		return;
	intent[fd].on = on;
	if (on)
		file_of(fd, &intent[fd].dev, &intent[fd].ino);
}

void pl_nb_mark(struct pl_step *s)
{
	s->nonblocking = PL_NB_NONE;
	if (s->fd < 0 || s->fd >= NB_FDS || !intent[s->fd].on)
		return;
	dev_t dev;
	ino_t ino;
	file_of(s->fd, &dev, &ino);
	if (dev == intent[s->fd].dev && ino == intent[s->fd].ino)
		s->nonblocking = s->op == PL_OP_CALL ? PL_NB_IO : PL_NB_STEP;
}

/* ---- the judge ---------------------------------------------------------- */

static void stop_with_fail(pl_sandbox *sb, int actor, struct pl_step *s, int64_t asleep_ns)
{
	char name[32], call[sizeof s->what + 2], chk[160], seen[200];
	struct pl_actor_rec *r = &sb->shm->actor[actor];
	pl_bounded(r->name, sizeof r->name, name, sizeof name);
	pl_step_call(s, call, sizeof call);
	struct proc_view v;
	pl_actor_proc_read(sb, actor, &v);
	snprintf(chk, sizeof chk, "%s's %s on non-blocking fd %d does not sleep", name, call, s->fd);
	pl_check_at("(harness)", 0, sb->c, false, chk, "a result at once (EAGAIN or a count)",
		    "asleep in it, without running once, for at least %.0f ms (/proc: %s); %s had made fd %d O_NONBLOCK "
		    "through the implementation", (double)asleep_ns / 1e6, pl_proc_describe(&v, seen, sizeof seen), name,
		    s->fd);
	pl_note_failing_step(sb->c, s);
	pl_sandbox_stop(sb);
}

/* Whether what /proc shows is the sleep the mark forbids.  A case's own call
 * (pl_begin) may be one that waits whatever the descriptor's flags (poll),
 * so only its read or write on that descriptor counts. */
static bool forbidden_sleep(const struct pl_step *s, const struct proc_view *v)
{
	if (v->state != 'S')
		return false;
	if (s->nonblocking == PL_NB_STEP)
		return true;
	if (s->nonblocking != PL_NB_IO || v->where != PROC_IN_SYSCALL || v->arg0 != s->fd)
		return false;
	const char *n = pl_syscall_nr_name(v->nr);
	return !strcmp(n, "read") || !strcmp(n, "write") || !strcmp(n, "readv") || !strcmp(n, "writev");
}

/* One look at one actor: the step of its non-blocking call once that is
 * proven asleep, else -1. */
static int asleep_too_long(pl_sandbox *sb, int actor, int64_t now, int64_t window)
{
	struct pl_nb_sample *w = &sb->nb[actor];
	const struct pl_actor_rec *r = &sb->shm->actor[actor];
	int i = pl_rec_in_step(r);
	const struct pl_step *s = i >= 0 ? &r->steps[i] : NULL;
	if (!s || !s->nonblocking || s->done || now - s->t_enter_ns < window / 2) {
		w->step = -1;
		return -1;
	}
	struct proc_view v;
	pl_actor_proc_read(sb, actor, &v);
	long long switches = forbidden_sleep(s, &v) ? pl_actor_switches(sb, actor) : -1;
	if (switches < 0) {
		w->step = -1;
		return -1;
	}
	if (w->step != i || w->t_enter_ns != s->t_enter_ns || w->switches != switches) {
		*w = (struct pl_nb_sample){ i, s->t_enter_ns, now, switches };
		return -1;
	}
	return now - w->first_ns >= window / 2 ? i : -1;
}

int64_t pl_wait_left(pl_sandbox *sb)
{
	if (sb->stopped)
		return 0;
	int64_t now = pl_now_ns();
	int64_t window = (int64_t)((double)NB_WINDOW_NS * pl_timeout_mult());
	for (int a = 1; a < PL_MAX_ACTORS; a++) {
		if (!pl_slot_used(sb, a) || sb->reaped[a])
			continue;
		int i = asleep_too_long(sb, a, now, window);
		if (i >= 0) {
			stop_with_fail(sb, a, &sb->shm->actor[a].steps[i], now - sb->nb[a].first_ns);
			return 0;
		}
	}
	return sb->deadline_ns - now;
}
