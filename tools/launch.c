/* pipelab-launch: runs one case binary for ctest: one case (--id), or a
 * group of variants in one case process (--group, launch_group.c).
 *
 * - hands PIPELAB_PRELOAD to the case as PIPELAB_IMPL (never as LD_PRELOAD):
 *   only the case's actors load it, after fork, boxed (harness/box.c);
 * - runs the case binary under PIPELAB_EMULATOR (qemu-user...) when set, so
 *   the emulator's system-call layer is what the cases test;
 * - gives the case a private TMPDIR and PIPELAB_EVIDENCE path;
 * - runs it under limits (processes, memory, CPU, file size, descriptors, no
 *   core) and keeps at most 1 MiB of its output (launch_run.c);
 * - is a child subreaper: whatever the case leaves behind (orphaned actors,
 *   a daemon that left the group) is killed, reaped and named in the record;
 * - has its own deadline, below ctest's TIMEOUT, so a hung case still gets a
 *   record;
 * - always writes the case's record: the case's own, with what the launcher
 *   saw merged in, or a fallback when the case died before writing one
 *   (launch_record.c). */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "launch.h"
#include "pipelab.h"

void launch_die(int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("pipelab-launch: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(code);
}


static void usage(void)
{
	launch_die(LAUNCH_USAGE, "usage: pipelab-launch {--id ID --test SUITE/TEST --evidence NAME | --group NAME "
				 "--case ID SUITE/TEST NAME...} [--results DIR] [--mult M] [--deadline S] [--valgrind] "
				 "[--emulator CMD] -- CMD...");
}

static void parse(struct launch *l, int argc, char *argv[])
{
	l->mult = 1;
	l->deadline = 20;
	int i = 1;
	for (; i < argc; i++) {
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		}
		if (!strcmp(argv[i], "--valgrind")) {
			l->valgrind = true;
			continue;
		}
		if (!strcmp(argv[i], "--case")) {
			if (i + 3 >= argc)
				launch_die(LAUNCH_USAGE, "--case needs ID SUITE/TEST EVIDENCE_NAME");
			if (!l->cases)
				l->cases = calloc((size_t)argc, sizeof *l->cases);
			l->cases[l->ncases++] = (struct launch_case){ argv[i + 1], argv[i + 2], argv[i + 3] };
			i += 3;
			continue;
		}
		if (i + 1 >= argc)
			launch_die(LAUNCH_USAGE, "option %s needs a value", argv[i]);
		const char *v = argv[++i];
		if (!strcmp(argv[i - 1], "--id")) l->id = v;
		else if (!strcmp(argv[i - 1], "--test")) l->test = v;
		else if (!strcmp(argv[i - 1], "--evidence")) l->evname = v;
		else if (!strcmp(argv[i - 1], "--results")) l->results = v;
		else if (!strcmp(argv[i - 1], "--mult")) l->mult = strtod(v, NULL);
		else if (!strcmp(argv[i - 1], "--deadline")) l->deadline = strtod(v, NULL);
		else if (!strcmp(argv[i - 1], "--emulator")) l->emulator_default = v;
		else if (!strcmp(argv[i - 1], "--group")) l->group = v;
		else launch_die(LAUNCH_USAGE, "unknown option %s", argv[i - 1]);
	}
	if (l->group) {
		l->id = l->test = l->group;
		for (int c = 0; c < l->ncases; c++)
			if (strchr(l->cases[c].evname, '/'))
				usage();
		if (!l->ncases || l->evname)
			usage();
		if (l->valgrind)
			launch_die(LAUNCH_USAGE, "a group cannot run under valgrind: its memory errors would not be one case's");
	} else if (l->ncases || !l->id || !l->test || !l->evname || strchr(l->evname, '/')) {
		usage();
	}
	if (i >= argc)
		usage();
	l->case_argv = argv + i;
	l->ntotal = l->group ? l->ncases : 1;
	/* PIPELAB_CASES: only the matching variants run; none here, nothing to do. */
	int kept = 0;
	for (int c = 0; c < l->ncases; c++)
		if (launch_selected(l->cases[c].id))
			l->cases[kept++] = l->cases[c];
	l->ncases = kept;
	if ((l->group && !kept) || (!l->group && !launch_selected(l->id))) {
		printf("pipelab-launch: %s: no case here matches PIPELAB_CASES; nothing run\n", l->id);
		exit(LAUNCH_SKIP);
	}
}

/* The results directory and this case's paths in it. */
static void prepare_paths(struct launch *l)
{
	/* ctest sets the results directory unless the user already did. */
	const char *env_results = getenv("PIPELAB_RESULTS_DIR");
	if (env_results && *env_results)
		l->results = env_results;
	if (!l->results)
		launch_die(LAUNCH_USAGE, "no results directory: set PIPELAB_RESULTS_DIR");
	if (pl_mkdir_p(l->results) < 0)
		launch_die(LAUNCH_USAGE, "cannot create results directory '%s': %s", l->results, strerror(errno));
	char probe[1200];
	snprintf(probe, sizeof probe, "%s/.write-probe-%d", l->results, getpid());
	int pfd = open(probe, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (pfd < 0)
		launch_die(LAUNCH_USAGE, "results directory '%s' is not writable: %s", l->results, strerror(errno));
	close(pfd);
	unlink(probe);
	if (l->group) {
		launch_group_paths(l);
		return;
	}
	snprintf(l->evidence, sizeof l->evidence, "%s/%s.json", l->results, l->evname);
	snprintf(l->logpath, sizeof l->logpath, "%s/%s.log", l->results, l->evname);
	unlink(l->evidence);
}

/* The implementation under test and the emulator: usable, or the case is
 * recorded BROKEN with one clear line and the launcher exits 2. */
static void validate_target(struct launch *l)
{
	const char *preload = getenv("PIPELAB_PRELOAD");
	l->preload = preload && *preload ? preload : NULL;
	const char *bad = l->preload ? launch_check_preload(l->preload) : NULL;
	/* PIPELAB_EMULATOR: a command prefix, e.g. "qemu-x86_64" or
	 * "qemu-aarch64 -L /usr/aarch64-linux-gnu". */
	const char *emulator = getenv("PIPELAB_EMULATOR");
	if ((!emulator || !*emulator) && l->emulator_default && *l->emulator_default) {
		emulator = l->emulator_default;
		setenv("PIPELAB_EMULATOR", emulator, 1); /* the case records it */
	}
	if (emulator && *emulator) {
		snprintf(l->emu_buf, sizeof l->emu_buf, "%s", emulator);
		for (char *save = NULL, *w = strtok_r(l->emu_buf, " \t", &save); w && l->nemu < 15;
		     w = strtok_r(NULL, " \t", &save))
			l->emu[l->nemu++] = w;
	}
	static char why_emu[1200];
	if (!bad && l->nemu > 0 && !launch_runnable(l->emu[0])) {
		snprintf(why_emu, sizeof why_emu, "PIPELAB_EMULATOR names '%s', which is not a program that can run here%s",
			 l->emu[0], strchr(l->emu[0], '/') ? "" : " (not on PATH; for qemu-user: apt-get install qemu-user)");
		bad = why_emu;
	}
	if (!bad && l->nemu > 0 && l->valgrind)
		bad = "PIPELAB_EMULATOR cannot be combined with the valgrind build (valgrind is itself the target there)";
	if (bad) {
		if (l->group)
			launch_group_fallback(l, "BROKEN", bad);
		FILE *lf = l->group ? NULL : fopen(l->logpath, "we");
		if (lf) {
			fprintf(lf, "pipelab-launch: %s\n", bad);
			fclose(lf);
		}
		if (!l->group)
			launch_write_fallback(l, "BROKEN", bad);
		launch_die(LAUNCH_USAGE, "%s", bad);
	}
}

/* The target's name in reports: the user's, or what is under test; a
 * valgrind run says so in front of it ("valgrind+NAME"). */
static void name_target(const struct launch *l)
{
	const char *user = getenv("PIPELAB_TARGET");
	const char *tdef = getenv("PIPELAB_TARGET_DEFAULT");
	char name[1200] = "";
	if (user && *user)
		snprintf(name, sizeof name, "%s", user);
	else if (tdef && *tdef && !(l->valgrind && !strcmp(tdef, "valgrind")))
		snprintf(name, sizeof name, "%s", tdef);
	else if (l->preload)
		snprintf(name, sizeof name, "interposed:%s", l->preload);
	else if (l->valgrind)
		snprintf(name, sizeof name, "native");
	if (l->valgrind && strncmp(name, "valgrind", 8) != 0) {
		char full[1300];
		snprintf(full, sizeof full, "valgrind+%s", name);
		setenv("PIPELAB_TARGET", full, 1);
	} else if (name[0]) {
		setenv("PIPELAB_TARGET", name, 1);
	}
}

/* The case's environment and command line. */
static void build_argv(struct launch *l)
{
	const char *tbase = getenv("TMPDIR");
	snprintf(l->tmpdir, sizeof l->tmpdir, "%s/pipelab-run-XXXXXX", tbase && *tbase ? tbase : "/tmp");
	if (!mkdtemp(l->tmpdir))
		launch_die(LAUNCH_USAGE, "cannot create a temp dir under %s: %s", tbase && *tbase ? tbase : "/tmp",
			   strerror(errno));
	chmod(l->tmpdir, 0711); /* unprivileged actors reach their case dir, and list nothing */

	const char *mult_env = getenv("PIPELAB_TIMEOUT_MULT");
	double env_mult = mult_env ? strtod(mult_env, NULL) : 0;
	if (env_mult > l->mult) {
		fprintf(stderr, "pipelab-launch: PIPELAB_TIMEOUT_MULT=%g exceeds the configured %g; ctest's TIMEOUT "
				"was computed from the configured value (reconfigure with -DPIPELAB_TIMEOUT_MULT=%g)\n",
			env_mult, l->mult, env_mult);
		l->deadline = l->deadline / l->mult * env_mult;
		l->mult = env_mult;
	}
	l->case_deadline = l->deadline / l->ntotal;
	char multbuf[32];
	snprintf(multbuf, sizeof multbuf, "%g", l->mult);
	setenv("PIPELAB_TIMEOUT_MULT", multbuf, 1);
	setenv("PIPELAB_RESULTS_DIR", l->results, 1);
	if (!l->group)
		setenv("PIPELAB_EVIDENCE", l->evidence, 1);
	setenv("TMPDIR", l->tmpdir, 1);
	unsetenv("PIPELAB_IMPL"); /* only ever from PIPELAB_PRELOAD, checked above */
	if (l->preload)
		setenv("PIPELAB_IMPL", l->preload, 1);
	name_target(l);
	if (l->nemu > 0) {
		/* /proc/PID/syscall shows the host's system-call numbers, whatever
		 * architecture the emulated case was built for: tell it ours. */
		char table[2048];
		setenv("PIPELAB_PROC_SYSCALLS", pl_syscall_table(table, sizeof table), 1);
	}
	int n = 0;
	while (l->case_argv[n])
		n++;
	l->cmd = calloc((size_t)n + 32 + 2 * (size_t)l->ncases, sizeof *l->cmd);
	int k = 0;
	if (l->valgrind) {
		/* Each process's findings in its own file, counted per case
		 * (launch_record.c); no --error-exitcode: an actor's exit status
		 * must stay the behaviour under test. */
		snprintf(l->vgdir, sizeof l->vgdir, "%s/valgrind", l->tmpdir);
		mkdir(l->vgdir, 0700);
		chmod(l->vgdir, 01733); /* unprivileged exec'd programs log here too */
		static char logopt[1200];
		snprintf(logopt, sizeof logopt, "--log-file=%s/vg.%%p", l->vgdir);
		static char *vg[] = { "valgrind", "--trace-children=yes", "--child-silent-after-fork=no",
			"--leak-check=full", "--errors-for-leak-kinds=definite", "--show-possibly-lost=no",
			"--show-reachable=no", "--vgdb=no" /* no vgdb FIFOs left in /tmp by killed actors */, NULL };
		for (int w = 0; vg[w]; w++)
			l->cmd[k++] = vg[w];
		l->cmd[k++] = logopt;
	}
	for (int w = 0; w < l->nemu; w++)
		l->cmd[k++] = l->emu[w];
	for (int w = 0; w < n; w++)
		l->cmd[k++] = l->case_argv[w];
	if (l->group)
		launch_group_argv(l, &k);
}

int main(int argc, char *argv[])
{
	static struct launch l;
	parse(&l, argc, argv);
	prepare_paths(&l);
	validate_target(&l);
	build_argv(&l);
	launch_run(&l);
	int rc = l.group ? launch_group_finish(&l) : launch_finish_record(&l);
	launch_cleanup(&l);
	return rc;
}
