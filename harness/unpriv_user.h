/* Who the code under test runs as, when the lab runs as root: the one reading
 * of PIPELAB_UNPRIVILEGED_USER, shared by the box (harness/box.c) and the load
 * check (tools/check_impl.c), so both box a library the same way.
 *
 * A user name (looked up in passwd: its uid and primary gid) or a numeric uid
 * (gid the same number, no passwd entry needed: ./pipelab grade gives every
 * student a uid of their own, so one student's kill(-1, ...) reaches only
 * that student's processes).  Never root.  Header-only: check_impl links
 * nothing of the harness. */
#ifndef PIPELAB_UNPRIV_USER_H
#define PIPELAB_UNPRIV_USER_H

#include <errno.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/types.h>

/* SPEC (NULL or empty: nobody) to *uid and *gid; NULL on success, else why not. */
static inline const char *pl_unpriv_user(const char *spec, uid_t *uid, gid_t *gid)
{
	if (!spec || !*spec)
		spec = "nobody";
	if (*spec >= '0' && *spec <= '9') {
		char *end = NULL;
		errno = 0;
		unsigned long n = strtoul(spec, &end, 10);
		if (errno || *end || n == 0 || n >= (unsigned long)(uid_t)-1)
			return n == 0 && !errno && !*end ? "that is root, not an unprivileged user" : "not a valid uid";
		*uid = (uid_t)n;
		*gid = (gid_t)n;
		return NULL;
	}
	const struct passwd *pw = getpwnam(spec);
	if (!pw)
		return "no such user";
	if (pw->pw_uid == 0)
		return "that is root, not an unprivileged user";
	*uid = pw->pw_uid;
	*gid = pw->pw_gid;
	return NULL;
}

#endif
