/* Capacity: F_GETPIPE_SZ / F_SETPIPE_SZ, measured and bounded, never compared
 * with a fixed number.  docs/rules.md N, F1. */
#include <limits.h>
#include <unistd.h>

#include "case.h"

enum mark {
	PAGE, DEFAULT_SIZE, WRITE_END_SIZE, SET_0, SET_1, SET_PAGE_PLUS_1, SET_16_PAGES_PLUS_1, SET_ABOVE_2_31, SET_4_PAGES,
	FILL, SHRINK_UNDER_DATA, PIPE_BUF_VALUE, MAX_SIZE, NON_PIPE
};

static void sizes(pl_actor *a, void *arg)
{
	(void)arg;
	int p[2];
	if (pl_pipe(a, p) < 0)
		return;
	long page = sysconf(_SC_PAGESIZE);
	PL_CALL_AS(a, PAGE, "page size", -1, page);
	PL_CALL_AS(a, DEFAULT_SIZE, "default F_GETPIPE_SZ", p[0], fcntl(p[0], F_GETPIPE_SZ));
	PL_CALL_AS(a, WRITE_END_SIZE, "F_GETPIPE_SZ on the write end", p[1], fcntl(p[1], F_GETPIPE_SZ));
	PL_CALL_AS(a, SET_0, "F_SETPIPE_SZ 0", p[1], fcntl(p[1], F_SETPIPE_SZ, 0));
	PL_CALL_AS(a, SET_1, "F_SETPIPE_SZ 1", p[1], fcntl(p[1], F_SETPIPE_SZ, 1));
	PL_CALL_AS(a, SET_PAGE_PLUS_1, "F_SETPIPE_SZ page+1", p[1], fcntl(p[1], F_SETPIPE_SZ, page + 1));
	PL_CALL_AS(a, SET_16_PAGES_PLUS_1, "F_SETPIPE_SZ 16 pages+1", p[1], fcntl(p[1], F_SETPIPE_SZ, 16 * page + 1));
	PL_CALL_AS(a, SET_ABOVE_2_31, "F_SETPIPE_SZ above 2^31", p[1], fcntl(p[1], F_SETPIPE_SZ, (long)1 << 31 | 1));
	PL_CALL_AS(a, SET_4_PAGES, "F_SETPIPE_SZ 4 pages", p[1], fcntl(p[1], F_SETPIPE_SZ, 4 * page));
	PL_MARKED(a, FILL, pl_fill(a, p[1]));
	PL_CALL_AS(a, SHRINK_UNDER_DATA, "F_SETPIPE_SZ 1 page while 4 pages are held", p[1], fcntl(p[1], F_SETPIPE_SZ, page));
	PL_CALL_AS(a, PIPE_BUF_VALUE, "PIPE_BUF (fpathconf)", p[0], fpathconf(p[0], _PC_PIPE_BUF));
	FILE *f = fopen("/proc/sys/fs/pipe-max-size", "r");
	long max = -1;
	if (f) {
		if (fscanf(f, "%ld", &max) != 1)
			max = -1;
		fclose(f);
	}
	PL_CALL_AS(a, MAX_SIZE, "pipe-max-size", -1, max);
	int devnull = open("/dev/null", O_RDONLY);
	PL_CALL_AS(a, NON_PIPE, "F_GETPIPE_SZ on a non-pipe", devnull, fcntl(devnull, F_GETPIPE_SZ));
}

/* Verify F_GETPIPE_SZ / F_SETPIPE_SZ: sizes round up to a power-of-two number
 * of pages and the call returns the real size; EINVAL above 2^31; EBUSY
 * below the data held; filling confirms the set size.  The default size,
 * page size, PIPE_BUF and pipe-max-size are measured (impl).  Rule N, F1. */
static void capacity_case(pl_case *c, enum pl_kind kind, const void *data)
{
	(void)kind;
	(void)data;
	pl_sandbox *sb = pl_sandbox_new(c, "F_GETPIPE_SZ and F_SETPIPE_SZ");
	int a;
	PL_TRY(pl_run_actor(sb, "process", sizes, NULL, &a));
	const struct pl_step *pg = pl_marked(c, sb, a, PAGE, "page size");
	const struct pl_step *getsz = pl_marked(c, sb, a, DEFAULT_SIZE, "default F_GETPIPE_SZ");
	const struct pl_step *pipe_buf = pl_marked(c, sb, a, PIPE_BUF_VALUE, "PIPE_BUF (fpathconf)");
	const struct pl_step *max = pl_marked(c, sb, a, MAX_SIZE, "pipe-max-size");
	if (!pg || !getsz || !pipe_buf || !max)
		return;
	long page = pg->ret, dflt = getsz->ret;
	if (dflt < 0 && getsz->err == EINVAL) {
		pl_skip(c, "F_GETPIPE_SZ is not supported here (EINVAL)");
		return;
	}
	pl_measure(c, "page size", page, "bytes");
	pl_measure(c, "default F_GETPIPE_SZ", dflt, "bytes");
	pl_measure(c, "PIPE_BUF", pipe_buf->ret, "bytes");
	pl_measure(c, "pipe-max-size", max->ret, "bytes");
	pl_check(c, dflt >= page && (dflt & (dflt - 1)) == 0, "the default capacity is a power-of-two number of bytes, at least a page",
		 "power of two >= page size", "%ld", dflt);
	pl_expect_marked(c, sb, a, WRITE_END_SIZE, dflt, 0, "both ends report the same size");
	pl_expect_marked(c, sb, a, SET_0, page, 0, "0 rounds up to one page");
	pl_expect_marked(c, sb, a, SET_1, page, 0, "1 rounds up to one page");
	pl_expect_marked(c, sb, a, SET_PAGE_PLUS_1, 2 * page, 0, "a page + 1 rounds up to two pages");
	pl_expect_marked(c, sb, a, SET_16_PAGES_PLUS_1, 32 * page, 0, "16 pages + 1 rounds up to 32 pages");
	pl_expect_marked(c, sb, a, SET_ABOVE_2_31, -1, EINVAL, "a size above 2^31");
	pl_expect_marked(c, sb, a, SET_4_PAGES, 4 * page, 0, "4 pages");
	const struct pl_step *fill = pl_marked(c, sb, a, FILL, "fill");
	if (fill)
		pl_check(c, fill->ret == 4 * page, "filling confirms the set size", "4 pages of bytes", "%ld", fill->ret);
	pl_expect_marked(c, sb, a, SHRINK_UNDER_DATA, -1, EBUSY, "shrinking below the data held");
	pl_expect_marked(c, sb, a, NON_PIPE, -1, EBADF, "F_GETPIPE_SZ on /dev/null");
	pl_observed(c, "default %ld bytes with %ld-byte pages; 0,1 -> 1 page; page+1 -> 2; 16 pages+1 -> 32; >2^31: EINVAL; shrink under data: EBUSY",
		    dflt, page);
}

PL_RULE(.id = "capacity/f-setpipe-sz-rounding-and-errors", .rule = "N, F1", .profile = "linux", .labels = "impl",
	.body = capacity_case,
	.title = "Verify F_GETPIPE_SZ and F_SETPIPE_SZ: rounding to power-of-two pages, the real size returned, EINVAL, "
		 "EBUSY, EBADF",
	.expected = "measured default; rounded sizes; EINVAL above 2^31; EBUSY below the data held");
