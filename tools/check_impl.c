/* pipelab-check-impl: is a library under test one the actors can load?  The
 * one check for it: ./pipelab run asks it once at run start (a file the
 * dynamic loader ignores -- an object file, a PIE executable, a text file --
 * would otherwise pass every case with the system's own libc), ./pipelab
 * grade asks it for every submission (the reason a student scores 0).
 *
 *   pipelab-check-impl [--reason] [--deadline S] LIB[:LIB...]
 *     exit 0 loadable, 2 not (or a usage error).  Why not: one line on stderr
 *     ("pipelab: PIPELAB_PRELOAD 'LIB': WHY"), or with --reason WHY alone on
 *     stdout (grade.sh keeps it as the student's row).  --deadline: how long
 *     a load may take (default 5 s).  Run as root with a uid no account has
 *     (./pipelab grade's per-student uids), every process of that uid is
 *     killed after the check (what a constructor hid with setsid).
 *   pipelab-check-impl --sweep UID
 *     root only, a uid no account has: kill every process of UID (./pipelab
 *     grade, after a student's cases).  Exit 0 done, 2 refused.
 *
 * Two looks at each library: its ELF headers say what it is
 * (check_impl_elf.c), then it is loaded as the actors load it, in a
 * throwaway child under a deadline (check_impl_load.c).  This file puts the
 * two into one answer and reads the command line. */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_impl.h"

enum { DEFAULT_DEADLINE_S = 5, EXIT_NOT_LOADABLE = 2 };

/* NULL when loadable, else why not. */
static const char *check_one(const char *path, const struct loader_user *u, int deadline_s, char *why, size_t n)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		snprintf(why, n, "cannot be opened: %s", strerror(errno));
		return why;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(why, n, "not a regular file");
		return why;
	}
	char abs[PATH_MAX];
	if (!realpath(path, abs)) { /* the child loads it from / */
		snprintf(why, n, "cannot be opened: %s", strerror(errno));
		return why;
	}
	enum elf_verdict v = check_elf(abs);
	char said[WHY_MAX];
	enum load_outcome o = try_load(abs, u, deadline_s, said, sizeof said);
	if (o == LOAD_OK && v == ELF_LIBRARY)
		return NULL;
	if (o == LOAD_REFUSED && v == ELF_LIBRARY)
		snprintf(why, n, "the loader refuses it: %s", said);
	else if (o == LOAD_REFUSED && v == ELF_OTHER_ARCH) /* glibc's words: "No such file" */
		snprintf(why, n, "%s", elf_why[v]);
	else if (o == LOAD_REFUSED) /* what it is says most; the loader's words to confirm */
		snprintf(why, n, "%s (the loader says: %s)", elf_why[v], said);
	else if (o == LOAD_OK)
		snprintf(why, n, "%s; the dynamic loader would ignore it as a preload", elf_why[v]);
	else /* its own code crashed, hung or exited, or no check could run */
		snprintf(why, n, "%s", said);
	return why;
}

static int usage(void)
{
	fputs("usage: pipelab-check-impl [--reason] [--deadline SECONDS] LIB[:LIB...] | --sweep UID\n", stderr);
	return EXIT_NOT_LOADABLE;
}

int main(int argc, char *argv[])
{
	if (argc == 3 && !strcmp(argv[1], "--sweep")) {
		char *end = NULL;
		unsigned long uid = strtoul(argv[2], &end, 10);
		if (*end || !argv[2][0] || sweep_uid((uid_t)uid) < 0) {
			fprintf(stderr, "pipelab-check-impl: --sweep %s: only root sweeps, and only a uid no account has\n", argv[2]);
			return EXIT_NOT_LOADABLE;
		}
		return 0;
	}
	bool reason_only = false;
	int deadline_s = DEFAULT_DEADLINE_S, i = 1;
	for (; i < argc - 1; i++) {
		if (!strcmp(argv[i], "--reason"))
			reason_only = true;
		else if (!strcmp(argv[i], "--deadline") && i + 2 < argc && atoi(argv[i + 1]) > 0)
			deadline_s = atoi(argv[++i]);
		else
			return usage();
	}
	if (i != argc - 1 || !argv[i][0])
		return usage();
	struct loader_user u;
	resolve_user(&u);
	char *list = strdup(argv[i]);
	int rc = 0;
	char why[WHY_MAX + 256];
	for (char *save = NULL, *tok = strtok_r(list, ": ", &save); tok && !rc; tok = strtok_r(NULL, ": ", &save)) {
		if (!check_one(tok, &u, deadline_s, why, sizeof why))
			continue;
		rc = EXIT_NOT_LOADABLE;
		if (reason_only)
			printf("%s\n", why);
		else
			fprintf(stderr, "pipelab: PIPELAB_PRELOAD '%s': %s\n", tok, why);
	}
	free(list);
	/* What the library's constructors started and hid (setsid, then a loop)
	 * outlives the group killed above: with a uid of its own, none is left. */
	if (u.drop)
		sweep_uid(u.uid);
	return rc;
}
