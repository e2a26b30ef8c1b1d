/* splice, tee and vmsplice on pipes.  docs/rules.md P1-P3. */
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <unistd.h>

#include "case.h"

enum mark {
	WITH_OFFSET, INTO_ITSELF, EMPTY_NONBLOCK, TEE, AFTER_TEE, SPLICE, AFTER_SPLICE, DESTINATION, TEE_ITSELF, AT_END
};

static void splice_calls(pl_actor *a, void *arg)
{
	(void)arg;
	int p[2], q[2], e[2];
	char buf[16];
	loff_t off = 0;
	if (pl_pipe(a, p) < 0 || pl_pipe(a, q) < 0 || pl_pipe(a, e) < 0)
		return;
	pl_write(a, p[1], "hello", 5);
	PL_CALL_AS(a, WITH_OFFSET, "splice with an offset on a pipe", p[0], splice(p[0], &off, q[1], NULL, 5, 0));
	PL_CALL_AS(a, INTO_ITSELF, "splice from a pipe into itself", p[0], splice(p[0], NULL, p[1], NULL, 5, 0));
	PL_CALL_AS(a, EMPTY_NONBLOCK, "splice from an empty pipe, SPLICE_F_NONBLOCK", e[0], splice(e[0], NULL, q[1], NULL, 5, SPLICE_F_NONBLOCK));
	PL_CALL_AS(a, TEE, "tee copies", p[0], tee(p[0], q[1], 5, 0));
	int n = -1;
	ioctl(p[0], FIONREAD, &n);
	PL_CALL_AS(a, AFTER_TEE, "source still holds after tee", p[0], n);
	PL_CALL_AS(a, SPLICE, "splice moves", p[0], splice(p[0], NULL, q[1], NULL, 5, 0));
	ioctl(p[0], FIONREAD, &n);
	PL_CALL_AS(a, AFTER_SPLICE, "source after splice", p[0], n);
	PL_CALL_AS(a, DESTINATION, "destination got both copies", q[0], read(q[0], buf, sizeof buf));
	PL_CALL_AS(a, TEE_ITSELF, "tee into the same pipe", p[0], tee(p[0], p[1], 5, 0));
	pl_close(a, e[1]);
	PL_CALL_AS(a, AT_END, "splice at end of input", e[0], splice(e[0], NULL, q[1], NULL, 5, 0));
}

/* Verify the splice family on pipes: an offset for a pipe gives ESPIPE, one
 * pipe on both sides gives EINVAL, an empty non-blocking source gives EAGAIN
 * and an ended one 0; tee copies without consuming, splice consumes.  P1, P2, P3. */
static void splice_case(pl_case *c, enum pl_kind kind, const void *data)
{
	(void)kind;
	(void)data;
	pl_sandbox *sb = pl_sandbox_new(c, "splice and tee");
	int a;
	PL_TRY(pl_run_actor(sb, "process", splice_calls, NULL, &a));
	pl_expect_marked(c, sb, a, WITH_OFFSET, -1, ESPIPE, "an offset pointer for a pipe end");
	pl_expect_marked(c, sb, a, INTO_ITSELF, -1, EINVAL, "the same pipe on both sides");
	pl_expect_marked(c, sb, a, EMPTY_NONBLOCK, -1, EAGAIN, "an empty source, non-blocking");
	pl_expect_marked(c, sb, a, TEE, 5, 0, "tee copies 5 bytes");
	pl_expect_marked(c, sb, a, AFTER_TEE, 5, 0, "the source still holds them");
	pl_expect_marked(c, sb, a, SPLICE, 5, 0, "splice moves 5 bytes");
	pl_expect_marked(c, sb, a, AFTER_SPLICE, 0, 0, "the source is then empty");
	pl_expect_marked(c, sb, a, DESTINATION, 10, 0, "the destination holds both copies");
	pl_expect_marked(c, sb, a, TEE_ITSELF, -1, EINVAL, "tee with the same pipe on both sides");
	pl_expect_marked(c, sb, a, AT_END, 0, 0, "splice from an empty pipe with no writer: 0");
	pl_observed(c, "ESPIPE, EINVAL, EAGAIN as documented; tee 5 (source keeps 5), splice 5 (source empty); end of input: 0");
}

PL_RULE(.id = "splice/splice-and-tee-rules", .rule = "P1, P2, P3", .profile = "linux", .body = splice_case,
	.title = "Verify splice and tee on pipes: errors, copying versus consuming, end of input",
	.expected = "ESPIPE, EINVAL, EAGAIN; tee keeps the source, splice consumes; 0 at end of input");

static void vmsplicer(pl_actor *a, void *arg)
{
	(void)arg;
	int p[2];
	static char page[4096];
	if (pl_pipe(a, p) < 0)
		return;
	pl_fill(a, p[1]);
	struct iovec iov = { page, sizeof page };
	struct pl_step *s = pl_begin(a, "vmsplice", p[1]);
	pl_finish(a, s, vmsplice(p[1], &iov, 1, 0));
}

/* Verify that vmsplice into a full pipe blocks like a write.  Rule P3. */
static void vmsplice_case(pl_case *c, enum pl_kind kind, const void *data)
{
	(void)kind;
	(void)data;
	pl_sandbox *sb = pl_sandbox_new(c, "vmsplice into a full pipe");
	int a = pl_spawn(sb, "process", vmsplicer, NULL);
	PL_TRY(pl_await_blocked_in(sb, a, "vmsplice"));
	pl_observed(c, "vmsplice into a full pipe slept in vmsplice()");
}

PL_RULE(.id = "splice/vmsplice-into-full-pipe-blocks", .rule = "P3", .profile = "linux", .body = vmsplice_case,
	.title = "Verify that vmsplice into a full pipe blocks", .expected = "asleep in vmsplice()");
