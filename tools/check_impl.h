/* pipelab-check-impl in three parts, one look each: what the file is
 * (check_impl_elf.c, its ELF headers, nothing of it run), what loading it
 * does (check_impl_load.c, in a throwaway child as the actors' user), and the
 * one answer made of both (check_impl.c). */
#ifndef PIPELAB_CHECK_IMPL_H
#define PIPELAB_CHECK_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

enum { WHY_MAX = 1024 };
enum elf_verdict {
	ELF_LIBRARY,
	ELF_NOT_ELF,
	ELF_OBJECT,
	ELF_EXEC,
	ELF_PIE,
	ELF_NO_DYNAMIC,
	ELF_UNREADABLE,
	ELF_32_BIT,
	ELF_64_BIT,
	ELF_OTHER_ARCH,
};
/* Why a verdict is not a loadable library, in a user's words (NULL for ELF_LIBRARY). */
extern const char *const elf_why[];
enum elf_verdict check_elf(const char *path);

/* Who loads the library, as harness/box.c decides it for the actors. */
struct loader_user {
	bool drop;
	uid_t uid;
	gid_t gid;
	char name[64];
	char error[160]; /* why the actors could not run either */
};
void resolve_user(struct loader_user *u);
/* Kill every process of UID, only a uid no account has; -1 when refused. */
int sweep_uid(uid_t uid);

/* How the load went; the words in why. */
enum load_outcome { LOAD_OK, LOAD_REFUSED, LOAD_CRASH, LOAD_HANG, LOAD_EXIT, LOAD_UNCHECKED };
enum load_outcome try_load(const char *path, const struct loader_user *u, int deadline_s, char *why, size_t n);

#endif
