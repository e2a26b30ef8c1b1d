/* An honest submission that leaves files where anyone may write: a file in
 * /tmp and one in /dev/shm (as shm_open would), named after its uid.  Graded,
 * they must be gone with the student (tests/grade_guards.sh). */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

__attribute__((constructor)) static void leave_litter(void)
{
	char path[64];
	const char *dirs[] = { "/tmp", "/dev/shm" };
	for (int i = 0; i < 2; i++) {
		snprintf(path, sizeof path, "%s/pipelab-litter-%u", dirs[i], (unsigned)getuid());
		int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
		if (fd >= 0)
			close(fd);
	}
}
