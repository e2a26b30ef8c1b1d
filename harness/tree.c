/* Trees the actors can write into (a case's private directory, the
 * launcher's temp dir), handled by a judge or launcher that may be root.
 * The code under test runs as the actors' user and can swap any entry it
 * owns for a symlink at any moment, so nothing here resolves a path twice:
 * each directory is opened once with O_NOFOLLOW and everything below it is
 * reached through that descriptor (unlinkat, and chown of an entry opened
 * O_PATH|O_NOFOLLOW).  A symlink is removed or re-owned itself, never what
 * it points at, and a directory swapped out mid-walk is simply not entered. */
#include "pipelab.h"
#include "tree.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Everything inside the open directory dfd (which it closes). */
static void empty_dir(int dfd, int depth)
{
	DIR *d = fdopendir(dfd);
	if (!d) {
		close(dfd);
		return;
	}
	const struct dirent *e;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (unlinkat(dirfd(d), e->d_name, 0) == 0 || errno != EISDIR)
			continue;
		/* A directory (as it is now): open it without following, empty it,
		 * then remove it, all relative to this directory. */
		int sub = depth < PL_TREE_DEPTH ? openat(dirfd(d), e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) : -1;
		if (sub >= 0)
			empty_dir(sub, depth + 1);
		unlinkat(dirfd(d), e->d_name, AT_REMOVEDIR);
	}
	closedir(d);
}

int pl_tree_remove(const char *path)
{
	int dfd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0)
		return unlink(path); /* not a directory (a symlink put in its place): the entry itself */
	empty_dir(dfd, 0);
	return rmdir(path);
}

/* One entry, re-owned only when it is the judge's own and no hard link to
 * a file elsewhere (an actor can link("/etc/shadow", entry) where links are
 * not protected): what the judge put there, given once. */
static void give_entry(int dfd, const char *name, uid_t uid, gid_t gid)
{
	int fd = openat(dfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;
	if (fd >= 0 && fstat(fd, &st) == 0 && st.st_uid == geteuid() && !(S_ISREG(st.st_mode) && st.st_nlink > 1))
		fchownat(fd, "", uid, gid, AT_EMPTY_PATH);
	if (fd >= 0)
		close(fd);
}

int pl_tree_give(const char *path, const struct stat *made, uid_t uid, gid_t gid)
{
	int dfd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0)
		return -1;
	struct stat st;
	/* Only the very directory made for the case, as it was made. */
	if (fstat(dfd, &st) < 0 || st.st_dev != made->st_dev || st.st_ino != made->st_ino || fchown(dfd, uid, gid) < 0) {
		close(dfd);
		errno = EPERM;
		return -1;
	}
	DIR *d = fdopendir(dfd);
	if (!d) {
		close(dfd);
		return -1;
	}
	const struct dirent *e;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			give_entry(dirfd(d), e->d_name, uid, gid);
	closedir(d);
	return 0;
}

FILE *pl_fopen_actor_file(const char *path)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	FILE *f = fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? fdopen(fd, "r") : NULL;
	if (!f && fd >= 0)
		close(fd);
	return f;
}
