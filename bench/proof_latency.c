/* Blocking-proof latency: how long after an actor enters read() on an empty
 * pipe the judge has /proc proof that it sleeps there.  Prints the
 * distribution over N proofs (default 200). */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "pipelab.h"

static void reader(pl_actor *a, void *arg)
{
	int *fds = arg;
	char b;
	pl_close(a, fds[1]);
	pl_read(a, fds[0], &b, 1);
}

static int cmp(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return (a > b) - (a < b);
}

int main(int argc, char *argv[])
{
	int n = argc > 1 ? atoi(argv[1]) : 200;
	double *ms = calloc((size_t)n, sizeof *ms);
	static const struct pl_case_spec spec = { "bench/proof", "-", "bench", NULL, "bench", "-" };
	int got = 0;
	for (int i = 0; i < n; i++) {
		pl_case *c = pl_case_begin(&spec, PL_PIPE, "bench");
		pl_sandbox *sb = pl_sandbox_new(c, "latency");
		int fds[2];
		if (pipe(fds) < 0) {
			free(ms);
			return 1;
		}
		int r = pl_spawn(sb, "reader", reader, fds);
		close(fds[0]);
		if (pl_await_blocked(sb, r, PL_OP_READ)) {
			const struct pl_step *s = pl_last_step(sb, r, PL_OP_READ);
			ms[got++] = (double)(pl_now_ns() - s->t_enter_ns) / 1e6;
		}
		close(fds[1]);
		pl_case_end(c);
		pl_case_free(c);
	}
	if (!got) {
		fprintf(stderr, "no proof succeeded\n");
		free(ms);
		return 1;
	}
	qsort(ms, (size_t)got, sizeof *ms, cmp);
	printf("blocking proofs: %d of %d\n", got, n);
	printf("latency ms: min %.3f  median %.3f  p95 %.3f  max %.3f\n", ms[0], ms[got / 2],
	       ms[(int)(got * 0.95)], ms[got - 1]);
	free(ms);
	return 0;
}
