/* A System V IPC namespace and a /dev/shm of its own, for a process that is
 * about to run the code under test as root's child (a case and its actors,
 * harness/box.c; the load check, tools/check_impl_load.c).  What that code
 * leaves there (semaphores, shared memory, message queues, files in
 * /dev/shm) is gone when the last process in it ends, and it can neither
 * find nor squat another student's or another case's names.  Best effort:
 * without the privilege nothing changes, and with the lab's own files under
 * /dev/shm (TMPDIR=/dev/shm) only the IPC namespace is private.
 * Header-only: check_impl links nothing of the harness. */
#ifndef PIPELAB_PRIVATE_IPC_H
#define PIPELAB_PRIVATE_IPC_H

#include <sched.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

/* Whether the lab keeps files of its own under /dev/shm (a TMPDIR there):
 * a /dev/shm of the case's own would hide them. */
static inline bool pl_lab_in_dev_shm(void)
{
	static const char *const VARS[] = { "TMPDIR", "PIPELAB_RESULTS_DIR", "PIPELAB_EVIDENCE" };
	for (size_t i = 0; i < sizeof VARS / sizeof VARS[0]; i++) {
		const char *v = getenv(VARS[i]);
		if (v && !strncmp(v, "/dev/shm", 8) && (v[8] == '/' || v[8] == '\0'))
			return true;
	}
	return false;
}

static inline void pl_private_ipc(void)
{
	bool own_shm = !pl_lab_in_dev_shm();
	if (geteuid() != 0 || unshare(CLONE_NEWIPC | (own_shm ? CLONE_NEWNS : 0)) < 0 || !own_shm)
		return;
	/* Every string given, though a propagation change reads none (valgrind checks them). */
	if (mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) == 0)
		mount("pipelab-shm", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777,size=64m");
}

#endif
