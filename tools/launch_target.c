/* pipelab-launch: is the target usable?  The library under test looks like
 * one (launch_check_preload), can be loaded by an actor (--check-impl), and
 * the emulator can run (launch_runnable). */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "launch.h"
#include "pipelab.h"

/* NULL if every library in the list looks loadable, else why not. */
const char *launch_check_preload(const char *list)
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


/* --check-impl LIB: can an actor load it?  Loaded in a throwaway child (as
 * the actors' unprivileged user when run as root), never in the launcher. */
int launch_check_impl(const char *lib)
{
	const char *why = launch_check_preload(lib);
	if (why) {
		fprintf(stderr, "pipelab-launch: %s\n", why);
		return LAUNCH_USAGE;
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		if (geteuid() == 0) {
			const char *user = getenv("PIPELAB_UNPRIVILEGED_USER");
			const struct passwd *pw = getpwnam(user && *user ? user : "nobody");
			if (!pw || setgroups(0, NULL) < 0 || setresgid(pw->pw_gid, pw->pw_gid, pw->pw_gid) < 0 ||
			    setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid) < 0) {
				fprintf(stderr, "pipelab-launch: cannot switch to the unprivileged user to load '%s'\n", lib);
				_exit(LAUNCH_USAGE);
			}
		}
		if (!dlopen(lib, RTLD_NOW | RTLD_LOCAL)) {
			const char *err = dlerror();
			fprintf(stderr, "pipelab-launch: PIPELAB_PRELOAD '%s' cannot be loaded: %s\n", lib, err ? err : "?");
			_exit(LAUNCH_USAGE);
		}
		_exit(0);
	}
	int st = 0;
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return LAUNCH_USAGE;
	if (WIFSIGNALED(st))
		fprintf(stderr, "pipelab-launch: loading '%s' was killed by %s\n", lib, pl_signal_name(WTERMSIG(st)));
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : LAUNCH_USAGE;
}

