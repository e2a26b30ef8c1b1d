/* The notes' last section: mmap as IPC between unrelated processes. */
#include <sys/mman.h>
#include <unistd.h>

#include "case.h"

enum { WRITTEN = 1, PRIVATE_DONE = 2, READ_NOW = 3 };
enum mark { MAPPED, SEES_PRIVATE_CHANGE, MSYNC, SEES_WRITERS_BYTES, PRIVATE_CHANGED };

static void shared_writer(pl_actor *a, void *arg)
{
	const char *path = arg;
	int fd = open(path, O_RDWR);
	char *m = fd >= 0 ? mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) : MAP_FAILED;
	PL_CALL_AS(a, MAPPED, "mmap MAP_SHARED", fd, m == MAP_FAILED ? -1 : 0);
	if (m == MAP_FAILED)
		return;
	memcpy(m, "hello mmap", 11);
	pl_post_cue(a, WRITTEN);
	pl_wait_cue(a, PRIVATE_DONE);
	PL_CALL_AS(a, SEES_PRIVATE_CHANGE, "sees the other's private change", -1, !strncmp(m, "private!!!", 10));
	PL_CALL_AS(a, MSYNC, "msync", -1, msync(m, 4096, MS_SYNC));
	munmap(m, 4096);
	close(fd);
}

static void other_process(pl_actor *a, void *arg)
{
	const char *path = arg;
	pl_wait_cue(a, WRITTEN);
	int fd = open(path, O_RDWR); /* its own open and mapping: nothing inherited */
	char *s = fd >= 0 ? mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0) : MAP_FAILED;
	char *p = fd >= 0 ? mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0) : MAP_FAILED;
	if (s == MAP_FAILED || p == MAP_FAILED) {
		pl_note(a, "mmap failed");
		return;
	}
	PL_CALL_AS(a, SEES_WRITERS_BYTES, "sees the writer's bytes", -1, !strcmp(s, "hello mmap"));
	memcpy(p, "private!!!", 10);
	PL_CALL_AS(a, PRIVATE_CHANGED, "private copy changed", -1, !strncmp(p, "private!!!", 10));
	pl_post_cue(a, PRIVATE_DONE);
}

/* Verify the notes' mmap claims: two processes that share no descriptor see
 * each other's writes through a MAP_SHARED file mapping; MAP_PRIVATE changes
 * stay private; shared changes reach the file. */
static void mmap_case(pl_case *c, enum pl_kind kind, const void *data)
{
	(void)kind;
	(void)data;
	const char *tmp = pl_case_tmpdir(c);
	PL_TRY(tmp);
	char path[600];
	snprintf(path, sizeof path, "%s/mapped", tmp);
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || ftruncate(fd, 4096) < 0) {
		pl_broken(c, "cannot create %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return;
	}
	close(fd);
	pl_sandbox *sb = pl_sandbox_new(c, "MAP_SHARED between two processes");
	int w = pl_spawn(sb, "writer", shared_writer, path);
	int o = pl_spawn(sb, "other process", other_process, path);
	PL_TRY(pl_await_end(sb, o));
	PL_TRY(pl_await_end(sb, w));
	pl_expect_marked(c, sb, o, SEES_WRITERS_BYTES, 1, 0, "the other process sees the writer's bytes");
	pl_expect_marked(c, sb, o, PRIVATE_CHANGED, 1, 0, "a MAP_PRIVATE mapping can be changed");
	pl_expect_marked(c, sb, w, SEES_PRIVATE_CHANGE, 0, 0, "MAP_PRIVATE changes stay private");
	char buf[16] = "";
	fd = open(path, O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, buf, 10) : -1;
	if (fd >= 0)
		close(fd);
	pl_check(c, n == 10 && !strncmp(buf, "hello mmap", 10), "the shared change reached the file", "hello mmap", "%.10s",
		 n > 0 ? buf : "");
	pl_observed(c, "MAP_SHARED: the other process read \"hello mmap\"; its MAP_PRIVATE write stayed private; the file holds \"hello mmap\"");
}

PL_RULE(.id = "mmap/map-shared-between-processes", .rule = "notes: mmap", .profile = "posix", .body = mmap_case,
	.title = "Verify the notes' mmap section: MAP_SHARED communicates, MAP_PRIVATE stays private, changes reach the "
		 "file",
	.expected = "shared bytes seen; private change unseen; file content updated");
