/* pipelab-launch: runs one case binary for ctest.
 *
 * - applies PIPELAB_PRELOAD (as LD_PRELOAD) to the case process only, never to
 *   ctest, and checks it exists first;
 * - runs the case binary under PIPELAB_EMULATOR (qemu-user...) when set, so
 *   the emulator's system-call layer is what the cases test;
 * - gives the case a private TMPDIR and PIPELAB_EVIDENCE path;
 * - is a child subreaper: whatever the case leaves behind (orphaned actors,
 *   exec'd grandchildren) is killed and reaped, its temp dir removed;
 * - has its own deadline, below ctest's TIMEOUT, so a hung case still gets a
 *   record;
 * - writes a fallback evidence record when the case died before writing one. */
#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "pipelab.h"

static void die(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));
static void die(int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("pipelab-launch: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(code);
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* NULL if every library in the list looks loadable, else why not. */
static const char *check_preload(const char *list)
{
	static char why[1200];
	char buf[4096];
	snprintf(buf, sizeof buf, "%s", list);
	for (char *tok = strtok(buf, ": "); tok; tok = strtok(NULL, ": ")) {
		unsigned char magic[4] = { 0 };
		int fd = open(tok, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			snprintf(why, sizeof why, "PIPELAB_PRELOAD names '%s', which cannot be opened: %s", tok, strerror(errno));
			return why;
		}
		ssize_t n = pread(fd, magic, 4, 0);
		close(fd);
		if (n != 4 || memcmp(magic, "\177ELF", 4) != 0) {
			snprintf(why, sizeof why, "PIPELAB_PRELOAD names '%s', which is not a shared library (no ELF header)", tok);
			return why;
		}
		if (tok[0] != '/') {
			snprintf(why, sizeof why, "PIPELAB_PRELOAD must give absolute paths ('%s' is relative): ctest runs cases in another directory", tok);
			return why;
		}
	}
	return NULL;
}

/* Whether prog (a path, or a name looked up on PATH as execvp would) can run. */
static bool runnable(const char *prog)
{
	if (strchr(prog, '/'))
		return access(prog, X_OK) == 0;
	const char *env = getenv("PATH");
	char list[4096], path[4400];
	snprintf(list, sizeof list, "%s", env && *env ? env : "/usr/bin:/bin");
	char *save = NULL;
	for (char *d = strtok_r(list, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
		snprintf(path, sizeof path, "%s/%s", d, prog);
		if (access(path, X_OK) == 0)
			return true;
	}
	return false;
}

/* Kill and reap every process that is still our descendant. */
static int kill_descendants(void)
{
	int killed = 0;
	for (int round = 0; round < 1000; round++) {
		int found = 0;
		DIR *d = opendir("/proc/self/task");
		struct dirent *e;
		while (d && (e = readdir(d))) {
			if (e->d_name[0] == '.')
				continue;
			char path[128];
			snprintf(path, sizeof path, "/proc/self/task/%s/children", e->d_name);
			FILE *f = fopen(path, "re");
			int pid;
			while (f && fscanf(f, "%d", &pid) == 1) {
				kill(pid, SIGKILL);
				found++;
			}
			if (f)
				fclose(f);
		}
		if (d)
			closedir(d);
		killed += found;
		int reaped = 0;
		while (waitpid(-1, NULL, found ? 0 : WNOHANG) > 0 && ++reaped < found)
			;
		if (!found && waitpid(-1, NULL, WNOHANG) <= 0)
			break;
	}
	return killed;
}

static char *slurp_tail(const char *path, size_t max)
{
	FILE *f = fopen(path, "re");
	if (!f)
		return strdup("");
	fseek(f, 0, SEEK_END);
	long size = ftell(f);
	long from = size > (long)max ? size - (long)max : 0;
	fseek(f, from, SEEK_SET);
	char *buf = calloc(1, (size_t)(size - from) + 1);
	size_t n = fread(buf, 1, (size_t)(size - from), f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void copy_out(const char *path)
{
	FILE *f = fopen(path, "re");
	char buf[8192];
	size_t n;
	while (f && (n = fread(buf, 1, sizeof buf, f)) > 0)
		fwrite(buf, 1, n, stdout);
	if (f)
		fclose(f);
	fflush(stdout);
}

static const char *record_verdict(const char *path, char *buf, size_t n)
{
	char *text = slurp_tail(path, 1 << 24);
	cJSON *r = cJSON_Parse(text);
	free(text);
	const char *v = r ? cJSON_GetStringValue(cJSON_GetObjectItem(r, "verdict")) : NULL;
	if (v)
		snprintf(buf, n, "%s", v);
	cJSON_Delete(r);
	return v ? buf : NULL;
}

static void write_fallback(const char *path, const char *id, const char *test, const char *verdict,
			   const char *reason, const char *log)
{
	cJSON *r = cJSON_CreateObject();
	cJSON_AddNumberToObject(r, "schema", 1);
	cJSON_AddStringToObject(r, "case", id);
	cJSON_AddStringToObject(r, "test", test);
	cJSON_AddStringToObject(r, "verdict", verdict);
	cJSON_AddStringToObject(r, "reason", reason);
	cJSON_AddStringToObject(r, "observed", reason);
	cJSON_AddStringToObject(r, "source", "pipelab-launch fallback: the case wrote no record of its own");
	char *tail = slurp_tail(log, 8192);
	cJSON_AddStringToObject(r, "output", tail);
	free(tail);
	char *sys = pl_system_json();
	cJSON_AddItemToObject(r, "system", cJSON_Parse(sys));
	free(sys);
	cJSON_AddNumberToObject(r, "written_at", (double)time(NULL));
	char *text = cJSON_Print(r);
	FILE *f = fopen(path, "we");
	if (f) {
		fputs(text, f);
		fclose(f);
	} else {
		fprintf(stderr, "pipelab-launch: cannot write %s: %s\n", path, strerror(errno));
	}
	free(text);
	cJSON_Delete(r);
}

int main(int argc, char *argv[])
{
	const char *id = NULL, *test = NULL, *evname = NULL, *results = NULL;
	double mult = 1, deadline = 20;
	bool valgrind = false;
	const char *emulator_default = NULL; /* a cross build's emulator */
	int i = 1;
	for (; i < argc; i++) {
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		}
		if (i + 1 >= argc && strcmp(argv[i], "--valgrind"))
			die(2, "option %s needs a value", argv[i]);
		if (!strcmp(argv[i], "--id")) id = argv[++i];
		else if (!strcmp(argv[i], "--test")) test = argv[++i];
		else if (!strcmp(argv[i], "--evidence")) evname = argv[++i];
		else if (!strcmp(argv[i], "--results")) results = argv[++i];
		else if (!strcmp(argv[i], "--mult")) mult = strtod(argv[++i], NULL);
		else if (!strcmp(argv[i], "--deadline")) deadline = strtod(argv[++i], NULL);
		else if (!strcmp(argv[i], "--valgrind")) valgrind = true;
		else if (!strcmp(argv[i], "--emulator")) emulator_default = argv[++i];
		else die(2, "unknown option %s", argv[i]);
	}
	if (i >= argc || !id || !test || !evname)
		die(2, "usage: pipelab-launch --id ID --test SUITE/TEST --evidence NAME [--results DIR] [--mult M] [--deadline S] [--valgrind] [--emulator CMD] -- CMD...");

	/* ctest sets the results directory unless the user already did. */
	const char *env_results = getenv("PIPELAB_RESULTS_DIR");
	if (env_results && *env_results)
		results = env_results;
	if (!results)
		die(2, "no results directory: set PIPELAB_RESULTS_DIR");
	if (pl_mkdir_p(results) < 0)
		die(2, "cannot create results directory '%s': %s", results, strerror(errno));
	char probe[1200];
	snprintf(probe, sizeof probe, "%s/.write-probe-%d", results, getpid());
	int pfd = open(probe, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (pfd < 0)
		die(2, "results directory '%s' is not writable: %s", results, strerror(errno));
	close(pfd);
	unlink(probe);

	char evidence[1200], logpath[1200], tmpdir[1024];
	snprintf(evidence, sizeof evidence, "%s/%s.json", results, evname);
	snprintf(logpath, sizeof logpath, "%s/%s.log", results, evname);
	unlink(evidence);

	/* Bad input is reported, and recorded, so the run's report still shows it. */
	const char *preload = getenv("PIPELAB_PRELOAD");
	const char *bad = preload && *preload ? check_preload(preload) : NULL;
	/* PIPELAB_EMULATOR: a command prefix, e.g. "qemu-x86_64" or
	 * "qemu-aarch64 -L /usr/aarch64-linux-gnu". */
	const char *emulator = getenv("PIPELAB_EMULATOR");
	if ((!emulator || !*emulator) && emulator_default && *emulator_default) {
		emulator = emulator_default;
		setenv("PIPELAB_EMULATOR", emulator, 1); /* the case records it */
	}
	char emu_buf[1024], *emu[16];
	int nemu = 0;
	if (emulator && *emulator) {
		snprintf(emu_buf, sizeof emu_buf, "%s", emulator);
		for (char *save = NULL, *w = strtok_r(emu_buf, " \t", &save); w && nemu < 15; w = strtok_r(NULL, " \t", &save))
			emu[nemu++] = w;
	}
	static char why_emu[1200];
	if (!bad && nemu > 0 && !runnable(emu[0])) {
		snprintf(why_emu, sizeof why_emu, "PIPELAB_EMULATOR names '%s', which is not a program that can run here%s",
			 emu[0], strchr(emu[0], '/') ? "" : " (not on PATH; for qemu-user: apt-get install qemu-user)");
		bad = why_emu;
	}
	if (!bad && nemu > 0 && valgrind)
		bad = "PIPELAB_EMULATOR cannot be combined with the valgrind build (valgrind is itself the target there)";
	if (bad) {
		FILE *lf = fopen(logpath, "we");
		if (lf) {
			fprintf(lf, "pipelab-launch: %s\n", bad);
			fclose(lf);
		}
		write_fallback(evidence, id, test, "BROKEN", bad, logpath);
		die(2, "%s", bad);
	}
	const char *tbase = getenv("TMPDIR");
	snprintf(tmpdir, sizeof tmpdir, "%s/pipelab-run-XXXXXX", tbase && *tbase ? tbase : "/tmp");
	if (!mkdtemp(tmpdir))
		die(2, "cannot create a temp dir under %s: %s", tbase && *tbase ? tbase : "/tmp", strerror(errno));

	double env_mult = getenv("PIPELAB_TIMEOUT_MULT") ? strtod(getenv("PIPELAB_TIMEOUT_MULT"), NULL) : 0;
	if (env_mult > mult) {
		fprintf(stderr, "pipelab-launch: PIPELAB_TIMEOUT_MULT=%g exceeds the configured %g; ctest's TIMEOUT "
				"was computed from the configured value (reconfigure with -DPIPELAB_TIMEOUT_MULT=%g)\n",
			env_mult, mult, env_mult);
		deadline = deadline / mult * env_mult;
		mult = env_mult;
	}
	char multbuf[32];
	snprintf(multbuf, sizeof multbuf, "%g", mult);
	setenv("PIPELAB_TIMEOUT_MULT", multbuf, 1);
	setenv("PIPELAB_RESULTS_DIR", results, 1);
	setenv("PIPELAB_EVIDENCE", evidence, 1);
	setenv("TMPDIR", tmpdir, 1);
	const char *tdef = getenv("PIPELAB_TARGET_DEFAULT");
	if (valgrind)
		setenv("PIPELAB_TARGET", "valgrind", 1);
	else if (!getenv("PIPELAB_TARGET") && tdef && *tdef)
		setenv("PIPELAB_TARGET", tdef, 1);

	if (nemu > 0) {
		/* /proc/PID/syscall shows the host's system-call numbers, whatever
		 * architecture the emulated case was built for: tell it ours. */
		char table[2048];
		setenv("PIPELAB_PROC_SYSCALLS", pl_syscall_table(table, sizeof table), 1);
	}
	char **cmd = calloc((size_t)(argc - i) + 16, sizeof *cmd);
	int k = 0;
	if (valgrind) {
		cmd[k++] = "valgrind";
		cmd[k++] = "--trace-children=yes";
		cmd[k++] = "--child-silent-after-fork=no";
		cmd[k++] = "--leak-check=full";
		cmd[k++] = "--errors-for-leak-kinds=definite";
		cmd[k++] = "--show-possibly-lost=no";
		cmd[k++] = "--show-reachable=no";
		cmd[k++] = "--error-exitcode=99";
		cmd[k++] = "--vgdb=no"; /* no vgdb FIFOs left in /tmp by killed actors */
	}
	for (int w = 0; w < nemu; w++)
		cmd[k++] = emu[w];
	for (; i < argc; i++)
		cmd[k++] = argv[i];

	prctl(PR_SET_CHILD_SUBREAPER, 1);
	sigset_t chld, old;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, &old);

	fflush(NULL);
	pid_t child = fork();
	if (child < 0)
		die(2, "fork: %s", strerror(errno));
	if (child == 0) {
		setpgid(0, 0);
		sigprocmask(SIG_SETMASK, &old, NULL);
		int lfd = open(logpath, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (lfd >= 0) {
			dup2(lfd, 1);
			dup2(lfd, 2);
			close(lfd);
		}
		if (preload && *preload) {
			/* Only the case process and its children get the library. */
			const char *old_pre = getenv("LD_PRELOAD");
			char buf[8192];
			snprintf(buf, sizeof buf, "%s%s%s", preload, old_pre && *old_pre ? ":" : "", old_pre ? old_pre : "");
			if (nemu > 0 && !strncmp(strrchr(emu[0], '/') ? strrchr(emu[0], '/') + 1 : emu[0], "qemu-", 5)) {
				/* Into the emulated program, not into qemu itself. */
				char set[8300];
				snprintf(set, sizeof set, "LD_PRELOAD=%s", buf);
				setenv("QEMU_SET_ENV", set, 1);
			} else {
				setenv("LD_PRELOAD", buf, 1);
			}
		}
		execvp(cmd[0], cmd);
		fprintf(stderr, "pipelab-launch: cannot run %s: %s\n", cmd[0], strerror(errno));
		_exit(127);
	}
	setpgid(child, child);

	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int status = 0;
	bool timed_out = false;
	for (;;) {
		pid_t got = waitpid(child, &status, WNOHANG);
		if (got == child)
			break;
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC, &now);
		double el = (double)(now.tv_sec - t0.tv_sec) + (double)(now.tv_nsec - t0.tv_nsec) / 1e9;
		if (el >= deadline) {
			timed_out = true;
			kill(-child, SIGKILL);
			kill(child, SIGKILL);
			waitpid(child, &status, 0);
			break;
		}
		struct timespec ts = { 0, 50000000 };
		sigtimedwait(&chld, NULL, &ts);
	}
	int leftovers = kill_descendants();
	nftw(tmpdir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
	char sock[64];
	snprintf(sock, sizeof sock, "/tmp/criterion_%d.sock", child);
	unlink(sock);

	copy_out(logpath);
	if (leftovers)
		printf("pipelab-launch: killed %d leftover process(es) of %s\n", leftovers, id);

	char vbuf[32], reason[512];
	const char *verdict = record_verdict(evidence, vbuf, sizeof vbuf);
	int rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	if (!verdict) {
		if (timed_out)
			snprintf(reason, sizeof reason, "the case was still running after the launcher's %.0f s deadline and was killed", deadline);
		else if (WIFSIGNALED(status))
			snprintf(reason, sizeof reason, "the case process was killed by %s before writing its evidence record", pl_signal_name(WTERMSIG(status)));
		else
			snprintf(reason, sizeof reason, "the case process exited with status %d without writing an evidence record", WEXITSTATUS(status));
		write_fallback(evidence, id, test, timed_out ? "TIMEOUT" : "BROKEN", reason, logpath);
		printf("pipelab: %s %s: %s\n", timed_out ? "TIMEOUT" : "BROKEN", id, reason);
		return rc ? rc : 1;
	}
	if (!strcmp(verdict, "SKIP"))
		return 77;
	if (strcmp(verdict, "PASS") != 0)
		return rc ? rc : 1;
	return rc;
}
