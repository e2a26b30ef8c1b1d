/* The notes' own programs, run as scenarios: each is the notes' code path
 * (pipe, fork, close the unused end, dup2, execlp), observed.  Rules A1, B, E1. */
#include <dirent.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "case.h"

enum { WRITE_NOW = 1, CLOSE_NOW = 2, LS_DONE = 3 };
enum mark { SON_READ, FATHER_CLOSE };

static void father_writes(pl_actor *a, void *arg)
{
	int fd = pl_end(a, arg, PL_WRITE_END); /* father cut read */
	pl_wait_cue(a, WRITE_NOW);
	pl_write(a, fd, "hello pipe", sizeof("hello pipe")); /* with its NUL, as the notes do */
	pl_close(a, fd);
}

static void son_reads(pl_actor *a, void *arg)
{
	char buf[1024];
	int fd = pl_end(a, arg, PL_READ_END); /* son cut write */
	PL_MARKED(a, SON_READ, pl_read(a, fd, buf, sizeof buf));
	pl_close(a, fd);
}

/* The notes' first program: the parent writes "hello pipe", the child reads
 * it.  The son reads first (proven asleep on the empty pipe), then the father
 * writes: the order the program must survive, on every run the same. */
static void hello_pipe(pl_case *c, enum pl_kind kind, const void *data)
{
	(void)data;
	pl_sandbox *sb = pl_sandbox_new(c, "father writes, son reads");
	pl_chan ch;
	PL_TRY(pl_pipe_make(sb, &ch, kind));
	int f = pl_spawn(sb, "father", father_writes, &ch);
	int s = pl_spawn(sb, "son", son_reads, &ch);
	pl_pipe_seal(sb, &ch);
	PL_TRY(pl_await_blocked_why(sb, s, PL_OP_READ, "the father had not written yet and still held the write end"));
	pl_cue(sb, WRITE_NOW);
	PL_TRY(pl_await_end(sb, f));
	PL_TRY(pl_await_end(sb, s));
	const struct pl_step *r = pl_marked(c, sb, s, SON_READ, "the son's read");
	if (!r)
		return;
	pl_expect_step(c, "the son reads the 11 bytes (with the NUL)", r, 11, 0);
	pl_check(c, !strncmp(r->preview, "hello pipe", 10), "the bytes", "hello pipe", "%s", r->preview);
	pl_observed(c, "son read %ld bytes \"%s\"", r->ret, r->preview);
}

PL_RULE(.id = "notes/father-writes-son-reads", .rule = "A1, B", .profile = "posix", .kinds = PL_ON(PL_PIPE),
	.body = hello_pipe, .title = "Run the notes' first program: the father writes \"hello pipe\", the son reads it",
	.expected = "the son, asleep in read() until the father writes, returns 11 bytes \"hello pipe\\0\"");

static void father_closes(pl_actor *a, void *arg)
{
	int fd = pl_end(a, arg, PL_WRITE_END);
	pl_wait_cue(a, CLOSE_NOW); /* the notes wait two seconds here; the judge cues instead */
	PL_MARKED(a, FATHER_CLOSE, pl_close(a, fd));
}

/* The notes' second program: the writer closes without writing; the reader
 * gets 0 after that close, not before (the notes saw "size=0" after 2 s). */
static void closes_without_writing(pl_case *c, enum pl_kind kind, const void *data)
{
	(void)data;
	pl_sandbox *sb = pl_sandbox_new(c, "father closes without writing");
	pl_chan ch;
	PL_TRY(pl_pipe_make(sb, &ch, kind));
	int f = pl_spawn(sb, "father", father_closes, &ch);
	int s = pl_spawn(sb, "son", son_reads, &ch);
	pl_pipe_seal(sb, &ch);
	PL_TRY(pl_await_blocked(sb, s, PL_OP_READ));
	pl_cue(sb, CLOSE_NOW);
	PL_TRY(pl_await_end(sb, f));
	PL_TRY(pl_await_end(sb, s));
	const struct pl_step *r = pl_marked(c, sb, s, SON_READ, "the son's read");
	const struct pl_step *cl = pl_marked(c, sb, f, FATHER_CLOSE, "the father's close");
	if (!r || !cl)
		return;
	pl_expect_step(c, "the son's read returns 0", r, 0, 0);
	pl_check(c, r->t_exit_ns >= cl->t_enter_ns, "the 0 comes after the father's close, not before",
		 "read returns after close begins", "read returned %+.3f ms after the close began",
		 (double)(r->t_exit_ns - cl->t_enter_ns) / 1e6);
	pl_observed(c, "son asleep in read() until the father's close; then read returned 0 (\"child read pipe size=0\")");
}

PL_RULE(.id = "notes/writer-closes-without-writing", .rule = "B, E1", .profile = "posix", .cell = "read/open/no-data",
	.kinds = PL_ON(PL_PIPE), .body = closes_without_writing,
	.title = "Run the notes' second program: the writer closes without writing",
	.expected = "the reader blocks, then gets 0 once the writer closes");

/* ---- ls | wc -l ---- */

struct pipeline {
	pl_chan ch;
	char dir[600], out[600];
	bool siblings;
};

static void run_ls(pl_actor *a, void *arg)
{
	struct pipeline *p = arg;
	int fd = pl_end(a, &p->ch, PL_WRITE_END);
	if (chdir(p->dir) < 0 || dup2(fd, STDOUT_FILENO) < 0)
		_exit(126);
	pl_execvp("ls", (char *[]){ "ls", NULL });
	_exit(127);
}

static void run_wc(pl_actor *a, void *arg)
{
	struct pipeline *p = arg;
	int fd = pl_end(a, &p->ch, PL_READ_END);
	pl_wait_cue(a, LS_DONE); /* as in the father's form: wc reads what ls left */
	int out = open(p->out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (out < 0 || dup2(fd, STDIN_FILENO) < 0 || dup2(out, STDOUT_FILENO) < 0)
		_exit(126);
	pl_execvp("wc", (char *[]){ "wc", "-l", NULL });
	_exit(127);
}

/* The notes' parent/child form: the father makes the pipe, forks `ls` and
 * the son for `wc -l`, and waits for both, as a shell would.  The son starts
 * once `ls` has written and ended (seven names fit any pipe), so the count is
 * the same on every run: an empty pipe is the read table's business. */
static void father_pipeline(pl_actor *a, void *arg)
{
	struct pipeline *p = arg;
	int fd[2];
	if (pl_pipe(a, fd) < 0)
		return;
	pid_t ls = fork();
	if (ls == 0) {
		close(fd[0]);
		if (chdir(p->dir) < 0 || dup2(fd[1], STDOUT_FILENO) < 0)
			_exit(126);
		close(fd[1]);
		pl_execvp("ls", (char *[]){ "ls", NULL });
		_exit(127);
	}
	waitpid(ls, NULL, 0);
	pid_t son = fork();
	if (son == 0) {
		close(fd[1]);
		int out = open(p->out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (out < 0 || dup2(fd[0], STDIN_FILENO) < 0 || dup2(out, STDOUT_FILENO) < 0)
			_exit(126);
		pl_execvp("wc", (char *[]){ "wc", "-l", NULL });
		_exit(127);
	}
	close(fd[0]);
	close(fd[1]); /* the father's write end, or wc never sees EOF */
	int st = 0;
	waitpid(son, &st, 0);
	pl_note(a, "wc -l exited %d", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
}

static void ls_wc(pl_case *c, enum pl_kind kind, const void *data)
{
	(void)kind;
	struct pipeline p = { .siblings = data != NULL };
	if (!pl_exec_runs(c, "ls") || !pl_exec_runs(c, "wc"))
		return;
	const char *tmp = pl_case_tmpdir(c);
	PL_TRY(tmp);
	snprintf(p.dir, sizeof p.dir, "%s/listed", tmp);
	snprintf(p.out, sizeof p.out, "%s/wc.out", tmp);
	if (mkdir(p.dir, 0700) < 0) {
		pl_broken(c, "mkdir %s: %s", p.dir, strerror(errno));
		return;
	}
	const int files = 7;
	for (int i = 0; i < files; i++) {
		char f[700];
		snprintf(f, sizeof f, "%s/file-%d", p.dir, i);
		int fd = open(f, O_WRONLY | O_CREAT, 0600);
		if (fd >= 0)
			close(fd);
	}
	pl_sandbox *sb = pl_sandbox_new(c, p.siblings ? "two brothers: ls | wc -l" : "father ls, son wc -l");
	if (p.siblings) {
		PL_TRY(pl_pipe_make(sb, &p.ch, PL_PIPE));
		int big = pl_spawn(sb, "big brother (ls)", run_ls, &p);
		int little = pl_spawn(sb, "little brother (wc -l)", run_wc, &p);
		pl_pipe_seal(sb, &p.ch); /* the parent closes both ends, or wc never sees EOF */
		PL_TRY(pl_await_end(sb, big));
		pl_cue(sb, LS_DONE);
		PL_TRY(pl_await_end(sb, little));
	} else {
		int f;
		PL_TRY(pl_run_actor(sb, "father", father_pipeline, &p, &f));
	}
	long count = -1;
	FILE *o = pl_fopen_actor_file(p.out);
	if (o) {
		if (fscanf(o, "%ld", &count) != 1)
			count = -1;
		fclose(o);
	}
	pl_check(c, count == files, "wc -l counts the directory's entries", "7", "%ld", count);
	pl_observed(c, "ls | wc -l over a directory of %d files printed %ld", files, count);
}

PL_RULE(.id = "notes/ls-wc-parent-child", .rule = "A1, E1", .profile = "posix", .body = ls_wc,
	.title = "Run the notes' ls | wc -l built with pipe, fork, dup2 and execlp (father and son)",
	.expected = "wc -l prints the number of entries");
PL_RULE(.id = "notes/ls-wc-two-siblings", .rule = "A1, E1", .profile = "posix", .body = ls_wc, .data = "siblings",
	.title = "Run the notes' ls | wc -l with two sibling processes, the parent closing both ends",
	.expected = "wc -l prints the number of entries");
