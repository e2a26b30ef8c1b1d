/* An honest submission (it defines no pipe call: libc answers every case)
 * whose load check takes two seconds: long enough for tests/grade.sh to see,
 * while it is graded, that its library copy is readable by its own uid alone. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

__attribute__((constructor)) static void slow_start(void)
{
	char comm[32] = "";
	FILE *f = fopen("/proc/self/comm", "re");
	if (f) {
		if (!fgets(comm, sizeof comm, f))
			comm[0] = '\0';
		fclose(f);
	}
	if (strncmp(comm, "pipelab-check", strlen("pipelab-check")) == 0)
		sleep(2);
}
