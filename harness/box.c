/* The box around the implementation under test.
 *
 * The judge never loads the implementation.  Each actor, after fork and
 * before any implementation code runs: forgets the evidence channel (record
 * path, results dir), switches to an unprivileged user when run as root, and
 * only then dlopen()s the library named by PIPELAB_IMPL and routes the
 * interposed calls to it.  Programs the actor execs get it as LD_PRELOAD.
 * With no implementation configured none of this happens (no cost). */
#include "internal.h"
#include "interpose.h"
#include "private_ipc.h"
#include "tree.h"
#include "unpriv_user.h"

#include <dlfcn.h>
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

static struct {
	bool resolved;
	const char *impl; /* NULL: the system itself is under test */
	bool drop;        /* run as root: actors become `user` */
	uid_t uid;
	gid_t gid;
	char user[64];
	char error[300];
} box;

static void resolve(void)
{
	if (box.resolved)
		return;
	box.resolved = true;
	const char *impl = getenv(PL_IMPL_ENV);
	box.impl = impl && *impl ? impl : NULL;
	if (!box.impl)
		return;
	if (!pl_interpose_active()) {
		snprintf(box.error, sizeof box.error,
			 "this build has no interposer (static or portable build): it cannot test a library (%s)", box.impl);
		return;
	}
	if (geteuid() != 0)
		return;
	const char *user = getenv(PL_UNPRIV_ENV);
	snprintf(box.user, sizeof box.user, "%s", user && *user ? user : "nobody");
	const char *why = pl_unpriv_user(box.user, &box.uid, &box.gid);
	if (why) {
		snprintf(box.error, sizeof box.error, "%s=%s: %s", PL_UNPRIV_ENV, box.user, why);
		return;
	}
	box.drop = true;
}

const char *pl_box_impl(void)
{
	resolve();
	return box.impl;
}

const char *pl_box_error(void)
{
	resolve();
	return box.error[0] ? box.error : NULL;
}

const char *pl_box_privilege(char *buf, size_t n)
{
	resolve();
	if (box.drop)
		snprintf(buf, n, "unprivileged user %s (uid %d)", box.user, (int)box.uid);
	else
		snprintf(buf, n, "%s (uid %d)", geteuid() == 0 ? "root" : "the caller's user", (int)geteuid());
	return buf;
}

/* Judge: the case's private dir and what the judge put in it belong to the
 * actors' user, so an actor can make its FIFO there (nothing else is theirs). */
void pl_box_share_dir(pl_case *c)
{
	resolve();
	if (!box.drop || !c->tmpdir[0])
		return;
	/* Entries only, never what they point at, and only the directory made
	 * for this case: an actor of an earlier scenario may have replaced any
	 * of them with a symlink to somewhere root owns. */
	pl_tree_give(c->tmpdir, &c->tmpdir_made, box.uid, box.gid);
}

/* Judge, at a case's start: with an implementation under test, the case
 * and its actors get IPC and /dev/shm of their own (private_ipc.h). */
void pl_box_private_ipc(void)
{
	resolve();
	if (box.impl)
		pl_private_ipc();
}

/* Judge, not run as root (no second user to box the library in): at least
 * its actors, running as the same user, cannot read its environment or
 * memory, or trace it; they get back the dumpable flag (pl_box_enter) so
 * the judge can still read their /proc entries for its proofs. */
void pl_box_guard_judge(void)
{
	resolve();
	if (box.impl && !box.drop)
		prctl(PR_SET_DUMPABLE, 0);
}

/* Actor: a failure here ends the actor before any code under test runs;
 * the judge turns it into BROKEN with this note (pl_box_verdict). */
static void give_up(struct pl_actor_rec *r, const char *fmt, const char *detail)
{
	r->box_state = PL_BOX_FAILED;
	snprintf(r->note, sizeof r->note, fmt, detail);
	_exit(PL_EXIT_BOX);
}

/* Actor: become UID (real and effective; saved: SAVED_UID, to load the
 * implementation as that user before letting it go), no supplementary groups. */
static void become(struct pl_actor_rec *r, pid_t judge, uid_t uid, gid_t gid, uid_t saved_uid, gid_t saved_gid,
		   const char *who)
{
	if (setgroups(0, NULL) < 0 || setresgid(gid, gid, saved_gid) < 0 || setresuid(uid, uid, saved_uid) < 0)
		give_up(r, who, strerror(errno));
	/* A credential change clears the parent-death signal. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != judge)
		_exit(PL_EXIT_BOX);
}

/* Actor, the implementation loaded: the box's user, kept as the saved and
 * file-system ids to read it, is let go. */
static void own_user_only(struct pl_actor_rec *r, uid_t own)
{
	setfsgid(own);
	setfsuid(own);
	if (setresgid(own, own, own) < 0 || setresuid(own, own, own) < 0)
		give_up(r, "cannot leave the box's user for a user of its own: %s", strerror(errno));
}

void pl_sandbox_own_user(pl_sandbox *sb)
{
	sb->own_user = true;
}

void pl_box_enter(struct pl_actor_rec *r, pid_t judge, bool own_user)
{
	unsetenv("PIPELAB_EVIDENCE");
	unsetenv("PIPELAB_RESULTS_DIR");
	resolve();
	/* A user of its own: a uid no other process has (the pid is unique
	 * among live processes), so the kernel's per-user counts are this
	 * actor's alone, with or without an implementation under test.  The
	 * implementation is still read as the box's user (a student's copy is
	 * readable by that uid only): that user stays the saved and file-system
	 * uid until the library is loaded, then is let go (own_user_only). */
	uid_t own = PL_OWN_UID_BASE + (uid_t)getpid();
	bool as_own = own_user && geteuid() == 0 && !box.error[0];
	if (as_own) {
		uid_t load_uid = box.impl && box.drop ? box.uid : own;
		gid_t load_gid = box.impl && box.drop ? box.gid : own;
		become(r, judge, own, own, load_uid, load_gid, "cannot switch to a user of its own: %s");
		setfsgid(load_gid);
		setfsuid(load_uid);
		r->own_uid = (int)own;
	}
	if (!box.impl)
		return;
	if (box.error[0])
		give_up(r, "%s", box.error);
	if (!box.drop)
		prctl(PR_SET_DUMPABLE, 1);
	if (box.drop && !as_own)
		become(r, judge, box.uid, box.gid, box.uid, box.gid, "cannot switch to the unprivileged user: %s");
	/* Programs this actor execs (a FIFO peer, `wc`) load it the usual way. */
	const char *old = getenv("LD_PRELOAD");
	char pre[4200];
	snprintf(pre, sizeof pre, "%s%s%s", box.impl, old && *old ? ":" : "", old && *old ? old : "");
	setenv("LD_PRELOAD", pre, 1);
	/* PIPELAB_PRELOAD may list several libraries, as LD_PRELOAD does. */
	enum { MAX_LIBS = 8 };
	void *h[MAX_LIBS];
	int n = 0;
	char list[4096];
	snprintf(list, sizeof list, "%s", box.impl);
	for (char *save = NULL, *lib = strtok_r(list, ": ", &save); lib && n < MAX_LIBS; lib = strtok_r(NULL, ": ", &save)) {
		h[n] = dlopen(lib, RTLD_NOW | RTLD_LOCAL);
		if (!h[n]) {
			/* The loader's own message, without the path it starts with
			 * (the judge names the library; the note holds 160 bytes). */
			const char *why = dlerror();
			size_t len = strlen(lib);
			if (why && !strncmp(why, lib, len) && !strncmp(why + len, ": ", 2))
				why += len + 2;
			give_up(r, "%s", why ? why : "unknown loader error");
		}
		n++;
	}
	if (as_own)
		own_user_only(r, own);
	pl_interpose_use(h, n);
	r->box_state = PL_BOX_LOADED;
}

bool pl_box_verdict(pl_sandbox *sb, int actor)
{
	struct pl_actor_rec *r = &sb->shm->actor[actor];
	/* The actor says its box failed; its exit status, which the judge saw,
	 * must say so too (a library that wrote the state and went on is not). */
	if (r->box_state != PL_BOX_FAILED || r->end_kind != PL_END_EXITED || r->end_code != PL_EXIT_BOX)
		return true;
	char note[sizeof r->note];
	memcpy(note, r->note, sizeof note);
	note[sizeof note - 1] = '\0';
	/* Above any timeout the missing library caused: the lab could not test. */
	pl_case *c = sb->c;
	c->verdict = PL_BROKEN;
	if (!box.impl) { /* only the switch to a user of its own can fail here */
		snprintf(c->reason, sizeof c->reason, "setup: actor '%.31s': %s", r->name, note);
		return false;
	}
	snprintf(c->reason, sizeof c->reason, "setup: the implementation under test (%s) could not be set up in actor '%.31s': %s%s",
		 box.impl, r->name, note,
		 box.drop && strstr(note, "ermission") ? " (actors run unprivileged: the library and its directories must be readable by them)" : "");
	return false;
}

#ifndef PIPELAB_INTERPOSE
/* A build without the interposer (static, portable): nothing to route. */
int pl_interpose_use(void *const *impl, int n)
{
	(void)impl;
	(void)n;
	return 0;
}
bool pl_interpose_active(void) { return false; }
#endif
