/* Capacity: F_GETPIPE_SZ / F_SETPIPE_SZ, measured and bounded, never compared
 * with a fixed number.  BEHAVIOURS.md N, F1. */
#include <limits.h>
#include <unistd.h>

#include "case.h"

static void sizes(pl_actor *a, void *arg)
{
	(void)arg;
	int p[2];
	if (pl_pipe(a, p) < 0)
		return;
	long page = sysconf(_SC_PAGESIZE);
	PL_CALL(a, "page size", -1, page);
	PL_CALL(a, "default F_GETPIPE_SZ", p[0], fcntl(p[0], F_GETPIPE_SZ));
	PL_CALL(a, "F_GETPIPE_SZ on the write end", p[1], fcntl(p[1], F_GETPIPE_SZ));
	PL_CALL(a, "F_SETPIPE_SZ 0", p[1], fcntl(p[1], F_SETPIPE_SZ, 0));
	PL_CALL(a, "F_SETPIPE_SZ 1", p[1], fcntl(p[1], F_SETPIPE_SZ, 1));
	PL_CALL(a, "F_SETPIPE_SZ page+1", p[1], fcntl(p[1], F_SETPIPE_SZ, page + 1));
	PL_CALL(a, "F_SETPIPE_SZ 16 pages+1", p[1], fcntl(p[1], F_SETPIPE_SZ, 16 * page + 1));
	PL_CALL(a, "F_SETPIPE_SZ above 2^31", p[1], fcntl(p[1], F_SETPIPE_SZ, (long)1 << 31 | 1));
	PL_CALL(a, "F_SETPIPE_SZ 4 pages", p[1], fcntl(p[1], F_SETPIPE_SZ, 4 * page));
	long filled = pl_fill(a, p[1]);
	(void)filled;
	PL_CALL(a, "F_SETPIPE_SZ 1 page while 4 pages are held", p[1], fcntl(p[1], F_SETPIPE_SZ, page));
	PL_CALL(a, "PIPE_BUF (fpathconf)", p[0], fpathconf(p[0], _PC_PIPE_BUF));
	FILE *f = fopen("/proc/sys/fs/pipe-max-size", "r");
	long max = -1;
	if (f) {
		if (fscanf(f, "%ld", &max) != 1)
			max = -1;
		fclose(f);
	}
	PL_CALL(a, "pipe-max-size", -1, max);
	int devnull = open("/dev/null", O_RDONLY);
	PL_CALL(a, "F_GETPIPE_SZ on a non-pipe", devnull, fcntl(devnull, F_GETPIPE_SZ));
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
	long page = pl_step_named(sb, a, "page size")->ret;
	long dflt = pl_step_named(sb, a, "default F_GETPIPE_SZ")->ret;
	if (dflt < 0 && pl_step_named(sb, a, "default F_GETPIPE_SZ")->err == EINVAL) {
		pl_skip(c, "F_GETPIPE_SZ is not supported here (EINVAL)");
		return;
	}
	pl_measure(c, "page size", page, "bytes");
	pl_measure(c, "default F_GETPIPE_SZ", dflt, "bytes");
	pl_measure(c, "PIPE_BUF", pl_step_named(sb, a, "PIPE_BUF (fpathconf)")->ret, "bytes");
	pl_measure(c, "pipe-max-size", pl_step_named(sb, a, "pipe-max-size")->ret, "bytes");
	pl_check(c, dflt >= page && (dflt & (dflt - 1)) == 0, "the default capacity is a power-of-two number of bytes, at least a page",
		 "power of two >= page size", "%ld", dflt);
	pl_expect_named(c, sb, a, "F_GETPIPE_SZ on the write end", dflt, 0, "both ends report the same size");
	pl_expect_named(c, sb, a, "F_SETPIPE_SZ 0", page, 0, "0 rounds up to one page");
	pl_expect_named(c, sb, a, "F_SETPIPE_SZ 1", page, 0, "1 rounds up to one page");
	pl_expect_named(c, sb, a, "F_SETPIPE_SZ page+1", 2 * page, 0, "a page + 1 rounds up to two pages");
	pl_expect_named(c, sb, a, "F_SETPIPE_SZ 16 pages+1", 32 * page, 0, "16 pages + 1 rounds up to 32 pages");
	pl_expect_named(c, sb, a, "F_SETPIPE_SZ above 2^31", -1, EINVAL, "a size above 2^31");
	pl_expect_named(c, sb, a, "F_SETPIPE_SZ 4 pages", 4 * page, 0, "4 pages");
	const struct pl_step *fill = pl_step_named(sb, a, "fill");
	pl_check(c, fill && fill->ret == 4 * page, "filling confirms the set size", "4 pages of bytes", "%ld", fill ? fill->ret : -1);
	pl_expect_named(c, sb, a, "F_SETPIPE_SZ 1 page while 4 pages are held", -1, EBUSY, "shrinking below the data held");
	pl_expect_named(c, sb, a, "F_GETPIPE_SZ on a non-pipe", -1, EBADF, "F_GETPIPE_SZ on /dev/null");
	pl_observed(c, "default %ld bytes with %ld-byte pages; 0,1 -> 1 page; page+1 -> 2; 16 pages+1 -> 32; >2^31: EINVAL; shrink under data: EBUSY",
		    dflt, page);
}

PL_CASE(capacity, setpipe_sz_rounds_and_refuses, "capacity/f-setpipe-sz-rounding-and-errors", "linux impl")
{
	static const struct pl_case_spec spec = { "capacity/f-setpipe-sz-rounding-and-errors", "N, F1", "linux", NULL,
		"Verify F_GETPIPE_SZ and F_SETPIPE_SZ: rounding to power-of-two pages, the real size returned, EINVAL, EBUSY, EBADF",
		"measured default; rounded sizes; EINVAL above 2^31; EBUSY below the data held" };
	pl_run(&spec, PL_NOKIND, capacity_case, NULL);
}
