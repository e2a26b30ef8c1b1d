/* pipelab-launch: is the target usable?  The library under test looks like
 * one (launch_check_preload; whether it loads is pipelab-check-impl's
 * question, asked once per run) and the emulator can run (launch_runnable). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "launch.h"
#include "pipelab.h"

/* NULL if every library in the list looks loadable, else why not. */
const char *launch_check_preload(const char *list)
{
	static char why[1200];
	char buf[4096];
	/* The programs a case execs get it as LD_PRELOAD, which the loader
	 * splits at spaces too: "OS course/a.so" would be two wrong paths. */
	if (strpbrk(list, " \t\n")) {
		snprintf(why, sizeof why, "PIPELAB_PRELOAD '%s' has a space: the loader splits LD_PRELOAD at spaces and colons; copy the library to a path without either", list);
		return why;
	}
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
bool launch_runnable(const char *prog)
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


