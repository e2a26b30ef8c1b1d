/* Per-user pipe page limits (Linux >= 4.5).  Sources: pipe(7) "/proc files";
 * pipe(2) ENFILE; fcntl(2) EPERM; fs/pipe.c alloc_pipe_info(), pipe_set_size(),
 * too_many_pipe_buffers_soft/hard(), pipe_is_unprivileged_user().
 *
 * The kernel counts the pages of every pipe a user holds, system-wide, so the
 * actor runs as a user of its own (pl_sandbox_own_user): nothing else shares
 * its count, and nobody else's pipes shrink while it is past the limit.  The
 * checks still assert only bounds others could not break ("a pipe made while
 * the actor ITSELF holds more than the limit", by its own F_GETPIPE_SZ). */
#include <linux/capability.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "case.h"

enum {
	DEFAULT_PAGES = 16,  /* a new pipe's capacity below the limits (pipe(7)) */
	FD_MARGIN = 32,      /* descriptors the actor already has, and spare */
	TAIL_PIPES = 32,     /* pipes after growth stops, until the count passes the limit */
	MORE_PIPES = 8,      /* pipes made past the soft limit when no hard limit is set */
	CAP_EXEMPT = (1 << CAP_SYS_RESOURCE) | (1 << CAP_SYS_ADMIN),
};

/* What the judge read from /proc before the actor ran (never the actor:
 * the code under test could change what it reads). */
struct limits {
	long page;      /* bytes */
	long soft;      /* pages; 0: none */
	long hard;      /* pages; 0: none */
	long max_size;  /* pipe-max-size, bytes */
	long budget;    /* pipes the actor may make (one descriptor each) */
};

enum mark {
	EUID, EXEMPT, HELD_PIPES, HELD_PAGES, REFUSED, NO_SIZE, /* the filling */
	NEW_PIPE, NEW_SIZE, GROW_NEW, SIZE_AFTER,       /* over the soft limit */
	MORE_MADE, GROW_HELD,                           /* the hard limit */
};

/* CAP_SYS_RESOURCE or CAP_SYS_ADMIN in the effective set: such a process is
 * not held to the page limits. */
static long exempt(void)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2] = { { 0 } };
	if (syscall(SYS_capget, &hdr, data) != 0)
		return -1;
	return (data[0].effective & CAP_EXEMPT) != 0;
}

/* Grow a pipe as far as the limits let it: pipe-max-size, else halves of it
 * down to its present size (the last pipes before the limit fit only part). */
static void grow(int fd, const struct limits *l, long size)
{
	for (long want = l->max_size; want > size; want /= 2)
		if (fcntl(fd, F_SETPIPE_SZ, want) >= 0)
			return;
}

/* Make pipes and grow them until the actor holds more than TARGET pages by
 * the sizes F_GETPIPE_SZ reports, keeping the read end of each (a pipe
 * lives, and is counted, while either end is open).  A pipe() refused on the
 * way is marked REFUSED.  Returns the pages held; *first: the first pipe,
 * left at its default size so that there is one to grow at the end. */
static long hold_pages(pl_actor *a, const struct limits *l, long target, int *first)
{
	long pages = 0, n = 0;
	PL_CALL_AS(a, EUID, "euid", -1, geteuid());
	PL_CALL_AS(a, EXEMPT, "CAP_SYS_RESOURCE or CAP_SYS_ADMIN effective", -1, exempt());
	for (; n < l->budget && pages <= target; n++) {
		int fd[2];
		if (pipe(fd) != 0) {
			int e = errno;
			PL_CALL_AS(a, REFUSED, "pipe() refused while filling", -1, (errno = e, -1));
			break;
		}
		close(fd[1]);
		if (n == 0)
			*first = fd[0];
		else
			grow(fd[0], l, fcntl(fd[0], F_GETPIPE_SZ));
		long size = fcntl(fd[0], F_GETPIPE_SZ);
		if (size < 0) {
			PL_CALL_AS(a, NO_SIZE, "F_GETPIPE_SZ", fd[0], size);
			break;
		}
		pages += size / l->page;
	}
	PL_CALL_AS(a, HELD_PIPES, "pipes held", -1, n);
	PL_CALL_AS(a, HELD_PAGES, "pages held (sum of F_GETPIPE_SZ)", -1, pages);
	return pages;
}

static void over_soft(pl_actor *a, void *arg)
{
	const struct limits *l = arg;
	int first = -1;
	if (hold_pages(a, l, l->soft, &first) <= l->soft)
		return;
	int fd[2] = { -1, -1 };
	PL_CALL_AS(a, NEW_PIPE, "pipe() past the soft limit", -1, pipe(fd));
	PL_CALL_AS(a, NEW_SIZE, "its F_GETPIPE_SZ", fd[0], fcntl(fd[0], F_GETPIPE_SZ));
	PL_CALL_AS(a, GROW_NEW, "F_SETPIPE_SZ to the default 16 pages", fd[1],
		   fcntl(fd[1], F_SETPIPE_SZ, DEFAULT_PAGES * l->page));
	PL_CALL_AS(a, SIZE_AFTER, "F_GETPIPE_SZ after the refusal", fd[0], fcntl(fd[0], F_GETPIPE_SZ));
}

static void past_hard(pl_actor *a, void *arg)
{
	const struct limits *l = arg;
	int first = -1;
	long held = hold_pages(a, l, l->hard ? l->hard : l->soft, &first);
	if (l->hard) {
		PL_CALL_AS(a, GROW_HELD, "F_SETPIPE_SZ growing the first pipe to pipe-max-size", first,
			   fcntl(first, F_SETPIPE_SZ, l->max_size));
		return;
	}
	if (held <= l->soft)
		return;
	int made = 0, fd[2];
	while (made < MORE_PIPES && pipe(fd) == 0)
		made++;
	PL_CALL_AS(a, MORE_MADE, "pipes made past the soft limit", -1, made);
}

/* Judge: the limits, and whether this lab can reach them.  False: SKIP given. */
static bool read_limits(pl_case *c, struct limits *l)
{
	struct rlimit nofile;
	l->page = sysconf(_SC_PAGESIZE);
	l->soft = pl_fs_sysctl("pipe-user-pages-soft");
	l->hard = pl_fs_sysctl("pipe-user-pages-hard");
	l->max_size = pl_fs_sysctl("pipe-max-size");
	if (l->soft < 0 || l->hard < 0 || l->max_size < l->page || l->page <= 0) {
		pl_skip(c, "no /proc/sys/fs/pipe-user-pages-soft, -hard or pipe-max-size here (Linux before 4.5, or no /proc)");
		return false;
	}
	pl_measure(c, "pipe-user-pages-soft", l->soft, "pages");
	pl_measure(c, "pipe-user-pages-hard", l->hard, "pages");
	if (geteuid() != 0) {
		pl_skip(c, "not run as root: the actor would count its pipe pages with every other process of this "
			   "user (the other cases too), and pushing that user past the limit would shrink their "
			   "new pipes; run as root, the actor gets a user of its own");
		return false;
	}
	getrlimit(RLIMIT_NOFILE, &nofile);
	l->budget = (long)nofile.rlim_cur - FD_MARGIN;
	return true;
}

/* Judge: run FN as a user of its own and check its filling: it ran
 * unprivileged (recorded), and, unless it filled TO_HARD, no pipe() was
 * refused and it passed the soft limit.  NULL: a verdict is given. */
static pl_sandbox *fill(pl_case *c, struct limits *l, pl_actor_fn fn, bool to_hard, int *a)
{
	pl_sandbox *sb = pl_sandbox_new(c, to_hard ? "pipes up to pipe-user-pages-hard" : "pipes past pipe-user-pages-soft");
	pl_sandbox_own_user(sb);
	if (!pl_run_actor(sb, "process", fn, l, a))
		return NULL;
	const struct pl_step *uid = pl_marked(c, sb, *a, EUID, "euid"), *ex = pl_marked(c, sb, *a, EXEMPT, "capabilities");
	const struct pl_step *n = pl_marked(c, sb, *a, HELD_PIPES, "pipes held");
	const struct pl_step *pages = pl_marked(c, sb, *a, HELD_PAGES, "pages held");
	if (!uid || !ex || !n || !pages)
		return NULL;
	int own = pl_rec(sb, *a)->own_uid;
	if (own <= 0 || uid->ret != own || ex->ret != 0) {
		pl_broken(c, "the actor did not run unprivileged as a user of its own (euid %ld, own uid %d, exempt %ld)",
			  uid->ret, own, ex->ret);
		return NULL;
	}
	pl_observed(c, "ran as uid %d, a user of its own, without CAP_SYS_RESOURCE or CAP_SYS_ADMIN", own);
	const struct pl_step *no_size = pl_find_marked(sb, *a, NO_SIZE), *refused = pl_find_marked(sb, *a, REFUSED);
	if (no_size && no_size->err == EINVAL) {
		pl_skip(c, "F_GETPIPE_SZ is not supported here (EINVAL): no pipe sizes to count");
		return NULL;
	}
	if (to_hard)
		return sb;
	if (refused && !pl_check(c, false, "no pipe() is refused below the hard limit", "every pipe() succeeds",
				 "%s holding %ld pages in %ld pipes", pl_errno_name(refused->err), pages->ret, n->ret))
		return NULL;
	/* A user of its own holds nothing else, so Linux lets it pass the
	 * limit within the budget: not getting there is the implementation's. */
	if (!pl_check(c, pages->ret > l->soft, "the actor passes the soft limit with its own pipes", "more pages than the limit",
		      "%ld pages in %ld pipes (limit %ld)", pages->ret, n->ret, l->soft))
		return NULL;
	return sb;
}

/* Verify that once an unprivileged user holds more pipe pages than
 * pipe-user-pages-soft, a new pipe gets the minimum capacity (2 pages since
 * Linux 5.14 and its stable back-ports, 1 page before: fs/pipe.c
 * PIPE_MIN_DEF_BUFFERS, commit 46c4c9d1beb7) and growing it with
 * F_SETPIPE_SZ fails with EPERM, the capacity unchanged.  pipe(7)
 * pipe-user-pages-soft; fcntl(2) EPERM; fs/pipe.c alloc_pipe_info(),
 * pipe_set_size(). */
static void over_soft_rule(pl_case *c, enum pl_kind kind, const void *data)
{
	(void)kind;
	(void)data;
	struct limits l;
	if (!read_limits(c, &l))
		return;
	if (l.soft == 0) {
		pl_skip(c, "pipe-user-pages-soft is 0 here: no soft limit to pass");
		return;
	}
	if (l.hard && l.hard < l.soft + l.max_size / l.page) {
		pl_skip(c, "pipe-user-pages-hard (%ld) is below the soft limit (%ld) or too close above it: a pipe "
			   "made past the soft limit may be refused by the hard one", l.hard, l.soft);
		return;
	}
	if (l.soft / (l.max_size / l.page) + TAIL_PIPES > l.budget) {
		pl_skip(c, "passing %ld pages with pipes of pipe-max-size (%ld bytes) needs more than the %ld descriptors "
			   "this lab allows", l.soft, l.max_size, l.budget);
		return;
	}
	int a;
	pl_sandbox *sb = fill(c, &l, over_soft, false, &a);
	PL_TRY(sb);
	pl_expect_marked(c, sb, a, NEW_PIPE, 0, 0, "pipe() past the soft limit still succeeds");
	const struct pl_step *size = pl_marked(c, sb, a, NEW_SIZE, "F_GETPIPE_SZ");
	if (!size)
		return;
	pl_measure(c, "capacity of a pipe made past the soft limit", size->ret, "bytes");
	pl_check(c, size->ret == 2 * l.page || size->ret == l.page, "the new pipe has the minimum capacity",
		 "2 pages (Linux >= 5.14) or 1 page (before)", "%ld bytes", size->ret);
	pl_expect_marked(c, sb, a, GROW_NEW, -1, EPERM, "growing it to 16 pages past the soft limit");
	pl_expect_marked(c, sb, a, SIZE_AFTER, size->ret, 0, "its capacity is unchanged");
	pl_observed(c, "past %ld pages: a %ld-byte pipe; growing it EPERM", l.soft, size->ret);
}

/* Verify the hard limit: with pipe-user-pages-hard 0 (the default) there is
 * none, and an unprivileged user past the soft limit still gets new pipes;
 * with a hard limit, pipe() fails with ENFILE once the user's pages would
 * pass it, and growing a pipe fails with EPERM.  pipe(7)
 * pipe-user-pages-hard; pipe(2) ENFILE; fs/pipe.c alloc_pipe_info()
 * (get_pipe_inode() gives ENFILE when it fails), pipe_set_size(). */
static void hard_rule(pl_case *c, enum pl_kind kind, const void *data)
{
	(void)kind;
	(void)data;
	struct limits l;
	if (!read_limits(c, &l))
		return;
	if (!l.hard && !l.soft) {
		pl_skip(c, "pipe-user-pages-soft and -hard are both 0 here: no limit at all");
		return;
	}
	/* Past the soft limit a pipe holds the minimum, 1 page at worst. */
	long tail = l.hard > l.soft && l.soft ? l.hard - l.soft : 0;
	if ((l.hard && l.hard <= l.soft ? l.hard : l.soft) / (l.max_size / l.page) + tail + TAIL_PIPES > l.budget) {
		pl_skip(c, "reaching pipe-user-pages-hard (%ld pages; soft %ld) needs more pipes than the %ld descriptors "
			   "this lab allows", l.hard, l.soft, l.budget);
		return;
	}
	int a;
	pl_sandbox *sb = fill(c, &l, past_hard, l.hard != 0, &a);
	PL_TRY(sb);
	if (!l.hard) {
		pl_expect_marked(c, sb, a, MORE_MADE, MORE_PIPES, 0, "pipes made past the soft limit with no hard limit");
		pl_observed(c, "pipe-user-pages-hard 0: no hard limit; %d more pipes made past %ld pages", MORE_PIPES, l.soft);
		return;
	}
	const struct pl_step *pages = pl_marked(c, sb, a, HELD_PAGES, "pages held");
	if (!pages)
		return;
	pl_expect_marked(c, sb, a, REFUSED, -1, ENFILE, "pipe() that would pass the hard limit");
	/* Refused only where a default pipe no longer fitted under the limit. */
	pl_check(c, pages->ret + DEFAULT_PAGES > l.hard, "pipe() is refused only near the hard limit",
		 "held pages + 16 > hard limit", "%ld held, limit %ld", pages->ret, l.hard);
	pl_expect_marked(c, sb, a, GROW_HELD, -1, EPERM, "growing a held pipe at the hard limit");
	pl_observed(c, "refused with ENFILE holding %ld pages (hard limit %ld); growing EPERM", pages->ret, l.hard);
}

/* ---- registrations ---------------------------------------------------- */

PL_RULE(.id = "userpages/over-soft-limit-new-pipe-minimum-and-not-growable", .rule = "S7, N", .profile = "linux",
	.body = over_soft_rule,
	.title = "Verify that a pipe made by an unprivileged user holding more than pipe-user-pages-soft has the minimum "
		 "capacity and cannot be grown (EPERM) (pipe(7); fcntl(2); fs/pipe.c)",
	.expected = "pipe() 0; 2 pages (1 before Linux 5.14); F_SETPIPE_SZ -1 EPERM; capacity unchanged");

PL_RULE(.id = "userpages/pipe-enfile-only-past-hard-limit", .rule = "S7, N", .profile = "linux",
	.body = hard_rule,
	.title = "Verify that pipe() fails (ENFILE) only past pipe-user-pages-hard: with the default 0 an unprivileged "
		 "user past the soft limit still gets pipes (pipe(7); pipe(2) ENFILE; fs/pipe.c)",
	.expected = "hard 0: 8 more pipes made; hard set: -1 ENFILE near it, growing -1 EPERM");
