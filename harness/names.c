/* Names for the report: errno and signal names instead of numbers. */
#include "proof.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

const char *pl_verdict_name(enum pl_verdict v)
{
	static const char *n[] = { "PASS", "FAIL", "BROKEN", "SKIP", "TIMEOUT" };
	return (unsigned)v < 5 ? n[v] : "UNKNOWN";
}

const char *pl_op_name(enum pl_op op)
{
	static const char *n[] = { "none", "pipe", "mkfifo", "open", "close", "read",
				   "write", "fcntl", "signal", "sleep", "call" };
	return (unsigned)op < sizeof n / sizeof n[0] ? n[op] : "an unknown call";
}

const char *pl_kind_name(enum pl_kind k)
{
	return k == PL_PIPE ? "pipe" : k == PL_FIFO ? "fifo" : k == PL_PIPE2 ? "pipe2" : "none";
}

const char *pl_errno_name(int e)
{
	/* strerrorname_np needs glibc 2.32; keep a table so other libcs work too. */
	static const struct { int e; const char *n; } t[] = {
		{ 0, "0" }, { EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { EINTR, "EINTR" },
		{ EIO, "EIO" }, { ENXIO, "ENXIO" }, { EBADF, "EBADF" }, { EAGAIN, "EAGAIN" },
		{ ENOMEM, "ENOMEM" }, { EACCES, "EACCES" }, { EFAULT, "EFAULT" },
		{ EBUSY, "EBUSY" }, { EEXIST, "EEXIST" }, { ENOTDIR, "ENOTDIR" },
		{ EISDIR, "EISDIR" }, { EINVAL, "EINVAL" }, { ENFILE, "ENFILE" },
		{ EMFILE, "EMFILE" }, { ESPIPE, "ESPIPE" }, { EROFS, "EROFS" },
		{ EPIPE, "EPIPE" }, { ENAMETOOLONG, "ENAMETOOLONG" }, { ENOSYS, "ENOSYS" },
		{ EOPNOTSUPP, "EOPNOTSUPP" }, { ETIMEDOUT, "ETIMEDOUT" },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (t[i].e == e)
			return t[i].n;
	static _Thread_local char buf[16];
	snprintf(buf, sizeof buf, "errno %d", e);
	return buf;
}

const char *pl_signal_name(int sig)
{
	static const struct { int s; const char *n; } t[] = {
		{ SIGHUP, "SIGHUP" }, { SIGINT, "SIGINT" }, { SIGQUIT, "SIGQUIT" },
		{ SIGILL, "SIGILL" }, { SIGABRT, "SIGABRT" }, { SIGBUS, "SIGBUS" },
		{ SIGFPE, "SIGFPE" }, { SIGKILL, "SIGKILL" }, { SIGUSR1, "SIGUSR1" },
		{ SIGSEGV, "SIGSEGV" }, { SIGUSR2, "SIGUSR2" }, { SIGPIPE, "SIGPIPE" },
		{ SIGALRM, "SIGALRM" }, { SIGTERM, "SIGTERM" }, { SIGCHLD, "SIGCHLD" },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (t[i].s == sig)
			return t[i].n;
	if (sig == pl_probe_signal())
		return "the probe signal (SIGRTMAX-6)";
	static _Thread_local char buf[16];
	snprintf(buf, sizeof buf, "signal %d", sig);
	return buf;
}

const char *pl_open_flags_name(long flags, char *buf, size_t n)
{
	static const struct { long f; const char *n; } t[] = {
		{ O_NONBLOCK, "O_NONBLOCK" }, { O_APPEND, "O_APPEND" }, { O_ASYNC, "O_ASYNC" },
		{ O_DIRECT, "O_DIRECT" }, { O_LARGEFILE, "O_LARGEFILE" }, { O_CLOEXEC, "O_CLOEXEC" },
	};
	long mode = flags & O_ACCMODE, rest = flags & ~(long)O_ACCMODE;
	size_t k = (size_t)snprintf(buf, n, "%s", mode == O_RDONLY ? "O_RDONLY" : mode == O_WRONLY ? "O_WRONLY" :
						  mode == O_RDWR ? "O_RDWR" : "access mode 3");
	for (size_t i = 0; i < sizeof t / sizeof t[0] && k < n; i++)
		if (rest & t[i].f) {
			k += (size_t)snprintf(buf + k, n - k, "|%s", t[i].n);
			rest &= ~t[i].f;
		}
	if (rest && k < n)
		snprintf(buf + k, n - k, "|0x%lx", (unsigned long)rest);
	return buf;
}

const char *pl_step_outcome(const struct pl_step *s, char *buf, size_t n)
{
	if (!s || pl_step_missing(s))
		snprintf(buf, n, "no such call");
	else if (!s->done)
		snprintf(buf, n, "did not return");
	else if (s->ret < 0)
		snprintf(buf, n, "-1 %s", pl_errno_name(s->err));
	else
		snprintf(buf, n, "%ld", s->ret);
	return buf;
}

const char *pl_actor_end_text(const struct pl_actor_rec *r, char *buf, size_t n)
{
	char name[32];
	pl_bounded(r->name, sizeof r->name, name, sizeof name);
	switch (r->end_kind) {
	case PL_END_EXITED: snprintf(buf, n, "exit %d", r->end_code); break;
	case PL_END_SIGNALLED: snprintf(buf, n, "killed by %s (%d)", pl_signal_name(r->end_code), r->end_code); break;
	case PL_END_KILLED: snprintf(buf, n, "still running when the scenario ended; stopped by the lab"); break;
	case PL_END_RUNNING:
		snprintf(buf, n, !strcmp(name, "judge") ? "the judge (the case process)" : r->pid == 0 ? "not started" : "running");
		break;
	default: snprintf(buf, n, "an unknown end (%d)", r->end_kind); break;
	}
	return buf;
}

const char *pl_actor_end_phrase(const struct pl_actor_rec *r, char *buf, size_t n)
{
	switch (r->end_kind) {
	case PL_END_EXITED: snprintf(buf, n, "exited (status %d)", r->end_code); break;
	case PL_END_SIGNALLED:
		snprintf(buf, n, "was killed by %s (%d)", pl_signal_name(r->end_code), r->end_code);
		break;
	case PL_END_KILLED: snprintf(buf, n, "was still running when the scenario ended"); break;
	default: snprintf(buf, n, "is still running"); break;
	}
	return buf;
}

const char *pl_step_call(const struct pl_step *s, char *buf, size_t n)
{
	char what[sizeof s->what];
	if (s->op == PL_OP_CALL)
		snprintf(buf, n, "%s", pl_bounded(s->what, sizeof s->what, what, sizeof what));
	else
		snprintf(buf, n, "%s()", pl_op_name(s->op));
	return buf;
}
