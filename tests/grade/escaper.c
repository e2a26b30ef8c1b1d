/* A hostile submission whose constructor, in the load check, leaves a
 * process behind that no process group holds (fork, setsid, fork, wait
 * forever).  ./pipelab grade must not let it outlive the grade
 * (tests/grade.sh): it kills every process of the student's uid. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

__attribute__((constructor)) static void hide_a_daemon(void)
{
	char comm[32] = "";
	FILE *f = fopen("/proc/self/comm", "re");
	if (f) {
		if (!fgets(comm, sizeof comm, f))
			comm[0] = '\0';
		fclose(f);
	}
	if (strncmp(comm, "pipelab-check", strlen("pipelab-check")) != 0 || fork() != 0)
		return;
	setsid();
	if (fork() != 0)
		_exit(0);
	for (;;)
		pause();
}
