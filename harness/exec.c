/* Programs an actor execs (ls, wc, the FIFO peer) run on the target too.
 * Under an emulator (PIPELAB_EMULATOR, which the case binary itself runs
 * under) a plain execve would run them natively on the host: qemu-user does
 * not follow execve.  So they are exec'd through the emulator's command, and
 * a program built for another architecture than the case binary's (the
 * host's ls in an aarch64 run) cannot be run on the target at all: the case
 * says so and is SKIP, rather than passing on the host's behalf. */
#include "internal.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#if defined(__x86_64__)
#define OWN_MACHINE EM_X86_64
#elif defined(__aarch64__)
#define OWN_MACHINE EM_AARCH64
#elif defined(__i386__)
#define OWN_MACHINE EM_386
#else
#define OWN_MACHINE EM_NONE /* unknown here: not checked */
#endif

enum { MAX_WORDS = 16 };

static const char *emulator(void)
{
	const char *e = getenv("PIPELAB_EMULATOR");
	return e && *e ? e : NULL;
}

/* file on PATH (or as given, with a slash) into buf. */
static bool resolve(const char *file, char *buf, size_t n)
{
	if (strchr(file, '/')) {
		snprintf(buf, n, "%s", file);
		return access(buf, X_OK) == 0;
	}
	const char *path = getenv("PATH");
	for (const char *p = path ? path : "/usr/bin:/bin"; *p; p += strcspn(p, ":"), p += *p == ':') {
		size_t len = strcspn(p, ":");
		snprintf(buf, n, "%.*s/%s", (int)len, p, file);
		if (access(buf, X_OK) == 0)
			return true;
	}
	return false;
}

/* The ELF machine of the program at path, EM_NONE when it is no ELF file. */
static int machine_of(const char *path)
{
	Elf64_Ehdr h; /* e_machine sits at the same offset in 32- and 64-bit headers */
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t got = fd >= 0 ? pread(fd, &h, sizeof h, 0) : -1;
	if (fd >= 0)
		close(fd);
	if (got < (ssize_t)sizeof h || memcmp(h.e_ident, ELFMAG, SELFMAG))
		return EM_NONE;
	return h.e_machine;
}

bool pl_exec_runs(pl_case *c, const char *file)
{
	char path[512];
	if (!emulator() || OWN_MACHINE == EM_NONE)
		return true;
	if (!resolve(file, path, sizeof path)) {
		pl_skip(c, "%s is not installed here", file);
		return false;
	}
	int m = machine_of(path);
	if (m != EM_NONE && m != OWN_MACHINE) {
		pl_skip(c, "%s (%s) is built for another architecture than this target's: under %s it could only run "
			   "natively, outside the target", file, path, emulator());
		return false;
	}
	return true;
}

int pl_execvp(const char *file, char *const argv[])
{
	const char *emu = emulator();
	char path[512];
	if (!emu)
		return execvp(file, argv);
	if (!resolve(file, path, sizeof path)) {
		errno = ENOENT;
		return -1;
	}
	/* The emulator's words, then (qemu: the library under test for the
	 * guest, not for qemu itself) the program and its arguments. */
	char words[512], preload[4200];
	char *args[MAX_WORDS + 64];
	int k = 0;
	snprintf(words, sizeof words, "%s", emu);
	for (char *save = NULL, *w = strtok_r(words, " ", &save); w && k < MAX_WORDS; w = strtok_r(NULL, " ", &save))
		args[k++] = w;
	if (k == 0) /* only spaces: no emulator */
		return execvp(file, argv);
	const char *pre = getenv("LD_PRELOAD");
	const char *base = strrchr(args[0], '/');
	if (pre && *pre && !strncmp(base ? base + 1 : args[0], "qemu-", 5)) {
		snprintf(preload, sizeof preload, "LD_PRELOAD=%s", pre);
		args[k++] = "-E";
		args[k++] = preload;
		unsetenv("LD_PRELOAD");
	}
	args[k++] = path;
	for (int i = 1; argv[i] && k < MAX_WORDS + 63; i++)
		args[k++] = argv[i];
	args[k] = NULL;
	return execvp(args[0], args);
}
