/* Whatever a case left behind: the launcher (after the case process) and a
 * grouped case process (after each variant) are child subreapers, so every
 * process a case orphaned is their descendant; this kills, reaps and names
 * them. */
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pipelab.h"

/* One leftover process, named: "1234 sleep (had left the session)";
 * false for a process already dead (killed with its group, not yet reaped). */
static bool describe(pid_t our_sid, int pid, char *buf, size_t n)
{
	char path[64], stat[512] = "";
	snprintf(path, sizeof path, "/proc/%d/stat", pid);
	FILE *f = fopen(path, "re");
	if (f) {
		if (!fgets(stat, sizeof stat, f))
			stat[0] = '\0';
		fclose(f);
	}
	const char *open = strchr(stat, '('), *close = strrchr(stat, ')');
	char comm[64] = "?";
	int pgrp = 0, sid = 0, ppid = 0;
	char state = '?';
	if (open && close && close > open) {
		snprintf(comm, sizeof comm, "%.*s", (int)(close - open - 1), open + 1);
		if (sscanf(close + 1, " %c %d %d %d", &state, &ppid, &pgrp, &sid) != 4)
			sid = 0;
	}
	snprintf(buf, n, "%d %s%s", pid, comm, sid && sid != our_sid ? " (had left the session)" : "");
	return state != 'Z' && state != 'X';
}

int pl_kill_descendants(char *named, size_t n, int *alive_out)
{
	int killed = 0, alive = 0;
	pid_t our_sid = getsid(0);
	if (n)
		named[0] = '\0';
	enum { ROUNDS = 1000, NAMED = 4 };
	for (int round = 0; round < ROUNDS; round++) {
		int found = 0;
		DIR *d = opendir("/proc/self/task");
		const struct dirent *e;
		while (d && (e = readdir(d))) {
			if (e->d_name[0] == '.')
				continue;
			char path[128];
			snprintf(path, sizeof path, "/proc/self/task/%s/children", e->d_name);
			FILE *f = fopen(path, "re");
			int pid;
			while (f && fscanf(f, "%d", &pid) == 1) {
				char one[120];
				if (describe(our_sid, pid, one, sizeof one) && alive++ < NAMED && n) {
					size_t len = strlen(named);
					snprintf(named + len, n - len, "%s%s", len ? ", " : "", one);
				}
				kill(pid, SIGKILL);
				found++;
			}
			if (f)
				fclose(f);
		}
		if (d)
			closedir(d);
		killed += found;
		int reaped = 0;
		while (waitpid(-1, NULL, found ? 0 : WNOHANG) > 0 && ++reaped < found)
			;
		if (!found && waitpid(-1, NULL, WNOHANG) <= 0)
			break;
	}
	if (alive > NAMED && n) {
		size_t len = strlen(named);
		snprintf(named + len, n - len, ", ...");
	}
	if (alive_out)
		*alive_out = alive;
	return killed;
}
