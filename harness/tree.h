/* Trees the actors can write into, handled without following their
 * symlinks (tree.c).  For the judge and the launcher, not the cases. */
#ifndef PIPELAB_TREE_H
#define PIPELAB_TREE_H

#include <sys/stat.h>
#include <sys/types.h>

/* How deep a removal goes: deeper directories are left (the actors' own
 * nesting, never the lab's). */
#define PL_TREE_DEPTH 32

/* Remove path and everything below it; a symlink in its place is removed
 * itself.  0, or -1 with errno from the last step. */
int pl_tree_remove(const char *path);
/* Give the directory at path, when it is still the one described by made,
 * and its entries (not what they point at) to uid/gid. */
int pl_tree_give(const char *path, const struct stat *made, uid_t uid, gid_t gid);

#endif
