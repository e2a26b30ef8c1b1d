/* Signals and threads on pipes: O_ASYNC with F_SETOWN/F_SETSIG on data and
 * on hang-up; SIGPIPE to the thread that wrote.  BEHAVIOURS.md S8, D.
 * fcntl(2) "Managing signals"; POSIX write() EPIPE ("A SIGPIPE signal shall
 * also be sent to the thread"). */
#include <pthread.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "case.h"

static bool async_ends(pl_actor *a, const pl_chan *ch, int fd[2])
{
	if (ch->kind != PL_FIFO)
		return pl_pipe(a, fd) == 0;
	fd[0] = pl_open(a, ch->path, O_RDONLY | O_NONBLOCK);
	fd[1] = pl_open(a, ch->path, O_WRONLY | O_NONBLOCK);
	return fd[0] >= 0 && fd[1] >= 0;
}

/* The read end owned by this process with O_ASYNC, signalling `sig`
 * (SIGIO unless F_SETSIG chose another). */
enum async_mark {
	SET_OWNER, SET_SIG, SET_ASYNC, ASYNC_SET, BEFORE_WRITE, AFTER_WRITE, AFTER_SECOND_WRITE, ON_CLOSE, SIGIO_WITH_SETSIG
};

static void async_calls(pl_actor *a, void *arg)
{
	const pl_chan *ch = arg;
	int fd[2];
	const int sig = ch->kind == PL_FIFO ? SIGIO : SIGUSR1;
	if (!async_ends(a, ch, fd))
		return;
	pl_catch(a, SIGIO);
	pl_catch(a, SIGUSR1);
	PL_CALL_AS(a, SET_OWNER, "F_SETOWN", fd[0], fcntl(fd[0], F_SETOWN, getpid()));
	if (sig != SIGIO)
		PL_CALL_AS(a, SET_SIG, "F_SETSIG SIGUSR1", fd[0], fcntl(fd[0], F_SETSIG, SIGUSR1));
	PL_CALL_AS(a, SET_ASYNC, "F_SETFL O_ASYNC", fd[0], fcntl(fd[0], F_SETFL, fcntl(fd[0], F_GETFL) | O_ASYNC));
	PL_CALL_AS(a, ASYNC_SET, "O_ASYNC set", fd[0], (fcntl(fd[0], F_GETFL) & O_ASYNC) != 0);
	PL_CALL_AS(a, BEFORE_WRITE, "signals before any write", -1, a->rec->caught[sig]);
	pl_write(a, fd[1], "a", 1);
	PL_CALL_AS(a, AFTER_WRITE, "signals after a write", -1, a->rec->caught[sig]);
	pl_write(a, fd[1], "b", 1);
	PL_CALL_AS(a, AFTER_SECOND_WRITE, "signals after a second write, data unread", -1, a->rec->caught[sig]);
	long before = a->rec->caught[sig];
	pl_close(a, fd[1]);
	PL_CALL_AS(a, ON_CLOSE, "signals added by the writer's close", -1, a->rec->caught[sig] - before);
	PL_CALL_AS(a, SIGIO_WITH_SETSIG, "SIGIO when F_SETSIG chose SIGUSR1", -1, sig == SIGIO ? 0 : a->rec->caught[SIGIO]);
}

/* Verify that a read end with O_ASYNC and an owner gets its signal when data
 * arrives and when the last writer closes (hang-up); with F_SETSIG, the
 * chosen signal instead of SIGIO.  Measured: whether a write into a pipe
 * that still holds data signals again (it has varied between releases). */
static void async_rule(pl_case *c, enum pl_kind kind, const void *data)
{
	(void)data;
	pl_sandbox *sb = pl_sandbox_new(c, kind == PL_FIFO ? "O_ASYNC, SIGIO" : "O_ASYNC, F_SETSIG SIGUSR1");
	pl_chan ch = { .kind = kind };
	if (kind == PL_FIFO)
		PL_TRY(pl_pipe_make(sb, &ch, kind));
	int a;
	PL_TRY(pl_run_actor(sb, "process", async_calls, &ch, &a));
	pl_expect_marked(c, sb, a, ASYNC_SET, 1, 0, "F_GETFL shows O_ASYNC");
	pl_expect_marked(c, sb, a, BEFORE_WRITE, 0, 0, "no signal before data");
	const struct pl_step *w = pl_find_marked(sb, a, AFTER_WRITE);
	pl_check(c, w && w->ret >= 1, "a signal when data arrives", ">= 1", "%ld", w ? w->ret : -1);
	const struct pl_step *h = pl_find_marked(sb, a, ON_CLOSE);
	pl_check(c, h && h->ret >= 1, "a signal when the last writer closes", ">= 1", "%ld", h ? h->ret : -1);
	if (kind != PL_FIFO)
		pl_expect_marked(c, sb, a, SIGIO_WITH_SETSIG, 0, 0, "no SIGIO when F_SETSIG chose another signal");
	const struct pl_step *w2 = pl_find_marked(sb, a, AFTER_SECOND_WRITE);
	long again = w && w2 ? w2->ret - w->ret : -1;
	pl_measure(c, "signals from a write into a pipe holding unread data", again, "signals");
	pl_observed(c, "signal on data (%ld), again on a second write (%ld more), on hang-up (%ld)", w ? w->ret : -1, again,
		    h ? h->ret : -1);
}

static _Atomic long handled_by; /* the thread id that ran the SIGPIPE handler */

static void note_thread(int sig)
{
	(void)sig;
	handled_by = (long)syscall(SYS_gettid);
}

struct writer_thread {
	int fd;
	long tid, ret;
	int err, pending;
};

/* The writer blocks SIGPIPE in its own thread only: a signal sent to it
 * stays pending there; one sent to the process goes to the main thread. */
static void *write_in_thread(void *arg)
{
	struct writer_thread *w = arg;
	sigset_t pipe_only, pending;
	sigemptyset(&pipe_only);
	sigaddset(&pipe_only, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe_only, NULL);
	w->tid = (long)syscall(SYS_gettid);
	w->ret = write(w->fd, "x", 1);
	w->err = errno;
	sigpending(&pending);
	w->pending = sigismember(&pending, SIGPIPE);
	return NULL;
}

enum thread_mark { THREAD_WRITE, PENDING_IN_WRITER, HANDLED_ELSEWHERE };

static void thread_calls(pl_actor *a, void *arg)
{
	(void)arg;
	int fd[2];
	if (pl_pipe(a, fd) != 0)
		return;
	pl_close(a, fd[0]);
	struct sigaction sa = { .sa_handler = note_thread };
	sigaction(SIGPIPE, &sa, NULL);
	struct writer_thread w = { .fd = fd[1] };
	pthread_t t;
	if (pthread_create(&t, NULL, write_in_thread, &w) != 0)
		return;
	pthread_join(t, NULL);
	PL_CALL_AS(a, THREAD_WRITE, "the thread's write", fd[1], (errno = w.err, w.ret));
	PL_CALL_AS(a, PENDING_IN_WRITER, "SIGPIPE pending in the writing thread", -1, w.pending);
	PL_CALL_AS(a, HANDLED_ELSEWHERE, "SIGPIPE handled by another thread", -1, handled_by != 0);
	pl_note(a, "writer thread %ld: SIGPIPE %s; handler ran in %ld (0: never; main %ld)", w.tid,
		w.pending ? "pending" : "not pending", (long)handled_by, (long)getpid());
}

/* Verify that SIGPIPE goes to the thread whose write failed with EPIPE, not
 * to the process: with the writer blocking it, it stays pending there, and
 * the main thread (waiting in pthread_join with SIGPIPE unblocked, so it
 * would take a process-directed one) never runs the handler.  POSIX write()
 * EPIPE. */
static void thread_rule(pl_case *c, enum pl_kind kind, const void *data)
{
	(void)kind;
	(void)data;
	pl_sandbox *sb = pl_sandbox_new(c, "SIGPIPE in a second thread");
	int a;
	PL_TRY(pl_run_actor(sb, "process", thread_calls, NULL, &a));
	pl_expect_marked(c, sb, a, THREAD_WRITE, -1, EPIPE, "a write with no reader, in a second thread");
	pl_expect_marked(c, sb, a, PENDING_IN_WRITER, 1, 0, "SIGPIPE is pending for the writing thread");
	pl_expect_marked(c, sb, a, HANDLED_ELSEWHERE, 0, 0, "no other thread (the main one, not blocking it) got it");
	pl_observed(c, "%s", pl_rec(sb, a)->note);
}

/* ---- registrations ---------------------------------------------------- */

PL_RULE(.id = "sigio/o-async-signals-data-and-hangup", .rule = "S8", .profile = "linux",
	.kinds = PL_ON(PL_FIFO) | PL_ON(PL_PIPE), .body = async_rule,
	.title = "Verify that O_ASYNC with F_SETOWN signals when data arrives and when the last writer closes: SIGIO on the FIFO, the F_SETSIG signal and not SIGIO on the pipe (fcntl(2) F_SETOWN, O_ASYNC, F_SETSIG)",
	.expected = ">= 1 signal on data; >= 1 on hang-up; pipe (F_SETSIG SIGUSR1): no SIGIO; measured: on a second write");

PL_RULE(.id = "sigio/sigpipe-to-the-writing-thread", .rule = "D", .profile = "posix",
	.body = thread_rule,
	.title = "Verify that SIGPIPE is sent to the thread whose write failed with EPIPE (POSIX write())",
	.expected = "-1 EPIPE; pending in the writing thread; the main thread's handler never ran");
