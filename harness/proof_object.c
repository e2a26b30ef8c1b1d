/* Which pipe a blocked call sleeps on.  /proc shows the descriptor number,
 * but the code under test can put another file behind that number (dup2 a
 * private pipe onto it, sleep there, and do the real work elsewhere), so a
 * proof also asks the kernel what the descriptor is now (stat through
 * /proc/PID/fd/N) and accepts it only when it is
 *   - a pipe or FIFO the scenario made (pl_pipe_make: the judge fstat's the
 *     ends it holds, or lstat's the FIFO), or
 *   - a pipe one other process actor of the scenario also has open (a call
 *     can only be woken by someone else holding the pipe), unless it is one
 *     of the judge's standard streams, which every actor inherits;
 *   - in a scenario that made no pipe of its own (its actors make theirs),
 *     any pipe, said to be one only its own process holds.
 * A decoy pipe only its own process holds, in a scenario whose pipe is
 * elsewhere, is none of these. */
#include "proof.h"

#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void pl_sandbox_note_object(pl_sandbox *sb, const struct stat *st)
{
	if (sb->nobjects < PL_MAX_OBJECTS)
		sb->objects[sb->nobjects++] = (struct pl_object){ st->st_dev, st->st_ino };
}

static bool same(const struct stat *a, const struct pl_object *o) { return a->st_dev == o->dev && a->st_ino == o->ino; }

/* Whether process pid has the file o open under any descriptor. */
static bool holds(pid_t pid, const struct pl_object *o)
{
	char dir[48], path[96];
	snprintf(dir, sizeof dir, "/proc/%d/fd", (int)pid);
	DIR *d = opendir(dir);
	if (!d)
		return false;
	bool found = false;
	const struct dirent *e;
	struct stat st;
	while (!found && (e = readdir(d)))
		if (e->d_name[0] != '.') {
			snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
			found = stat(path, &st) == 0 && same(&st, o);
		}
	closedir(d);
	return found;
}

bool pl_proof_object(pl_sandbox *sb, int actor, long fd, char *what, size_t n)
{
	int owner = sb->thread_of[actor] ? sb->thread_of[actor] - 1 : actor;
	pid_t pid = pl_actor_pid(sb, owner);
	char path[64];
	struct stat st;
	snprintf(path, sizeof path, "/proc/%d/fd/%ld", (int)pid, fd);
	if (pid <= 0 || stat(path, &st) < 0) {
		snprintf(what, n, "fd %ld could not be looked up", fd);
		return false;
	}
	for (int i = 0; i < sb->nobjects; i++)
		if (same(&st, &sb->objects[i])) {
			snprintf(what, n, "the scenario's pipe (inode %lu)", (unsigned long)st.st_ino);
			return true;
		}
	struct pl_object o = { st.st_dev, st.st_ino };
	for (int std = 0; std <= 2; std++) {
		struct stat inherited;
		if (fstat(std, &inherited) == 0 && same(&inherited, &o)) {
			snprintf(what, n, "fd %ld is the lab's own standard stream %d, which every actor inherits, not the "
				 "scenario's pipe", fd, std);
			return false;
		}
	}
	if (!S_ISFIFO(st.st_mode)) {
		snprintf(what, n, "fd %ld is not a pipe (inode %lu)", fd, (unsigned long)st.st_ino);
		return false;
	}
	for (int a = 1; a < PL_MAX_ACTORS; a++) {
		pid_t other = a == owner ? 0 : pl_actor_pid(sb, a);
		if (other > 0 && holds(other, &o)) {
			char name[32];
			snprintf(what, n, "a pipe %s holds too (inode %lu)",
				 pl_bounded(sb->shm->actor[a].name, sizeof sb->shm->actor[a].name, name, sizeof name),
				 (unsigned long)st.st_ino);
			return true;
		}
	}
	if (sb->nobjects == 0) {
		snprintf(what, n, "a pipe only its own process holds (inode %lu)", (unsigned long)st.st_ino);
		return true;
	}
	snprintf(what, n, "fd %ld is a pipe only its own process holds (inode %lu), not the scenario's pipe", fd,
		 (unsigned long)st.st_ino);
	return false;
}
