/* Retention: reports/ and the results root keep the last PIPELAB_KEEP_RUNS
 * runs.  Only folders that are runs are ever removed, never the one `latest`
 * (or build/results) points at, never one whose run is still going.  The
 * matrix's and compare's reports (matrix-<id>/, 4-13 MB each, and
 * compare-<id>/) are kept the same way, each kind on its own count: only a
 * folder named so that holds its finished report (matrix.md, compare.md,
 * written last: a matrix still running has none) is ever removed, never the
 * newest of its kind. */
#include <cjson/cJSON.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "run.h"
#include "runs.h"

enum { KEEP_DEFAULT = 20 };

int run_keep(void)
{
	const char *s = getenv("PIPELAB_KEEP_RUNS");
	if (!s || !*s)
		return KEEP_DEFAULT;
	char *end;
	long v = strtol(s, &end, 10);
	return *end || v < 0 || v > 1000000 ? -1 : (int)v;
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static bool run_shaped(const char *name)
{
	for (int i = 0; i < 15; i++)
		if (i == 8 ? name[i] != '-' : !isdigit((unsigned char)name[i]))
			return false;
	return run_id_valid(name);
}

/* A results folder whose owner (./pipelab, or ctest) is still running. */
static bool owner_alive(const char *dir)
{
	char path[2048];
	snprintf(path, sizeof path, "%s/run.json", dir);
	char *text = read_file(path);
	cJSON *meta = text ? cJSON_Parse(text) : NULL;
	free(text);
	long pid = (long)cJSON_GetNumberValue(cJSON_GetObjectItem(meta, "owner"));
	unsigned long long start = (unsigned long long)cJSON_GetNumberValue(cJSON_GetObjectItem(meta, "owner_start"));
	cJSON_Delete(meta);
	return pid > 0 && (kill((pid_t)pid, 0) == 0 || errno == EPERM) && run_proc_start(pid) == start;
}

/* A results folder holding run.json and nothing else. */
static bool only_meta(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	bool only = d != NULL;
	while (only && (e = readdir(d)))
		only = !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") || !strcmp(e->d_name, "run.json");
	if (d)
		closedir(d);
	return only;
}

static int newest_first(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*b)->d_name, (*a)->d_name);
}

/* "matrix-" + its id, holding matrix.md: a finished matrix report. */
static bool report_of_kind(const char *dir, const char *name, const char *prefix, const char *marker)
{
	size_t n = strlen(prefix);
	if (strncmp(name, prefix, n) || !isdigit((unsigned char)name[n]) || !run_id_valid(name))
		return false;
	char path[2048];
	struct stat st;
	snprintf(path, sizeof path, "%s/%s", dir, name);
	if (lstat(path, &st) != 0 || !S_ISDIR(st.st_mode))
		return false;
	snprintf(path, sizeof path, "%s/%s/%s", dir, name, marker);
	return lstat(path, &st) == 0 && S_ISREG(st.st_mode);
}

void report_prune(const char *dir, int keep, const char *current)
{
	static const char *const kind[][2] = { { "matrix-", "matrix.md" }, { "compare-", "compare.md" } };
	if (keep <= 0)
		return;
	struct dirent **e = NULL;
	int n = scandir(dir, &e, NULL, newest_first);
	int seen[2] = { 0, 0 };
	for (int i = 0; i < n; i++) {
		for (int k = 0; k < 2; k++) {
			if (!report_of_kind(dir, e[i]->d_name, kind[k][0], kind[k][1]))
				continue;
			/* the newest of its kind is always the first seen: never removed */
			if (++seen[k] > keep && (!current || strcmp(e[i]->d_name, current))) {
				char path[2048];
				snprintf(path, sizeof path, "%s/%s", dir, e[i]->d_name);
				nftw(path, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
			}
		}
		free(e[i]);
	}
	free(e);
}

void run_prune(const char *dir, int keep, const char *protect, const char *current)
{
	if (keep <= 0)
		return;
	report_prune(dir, keep, current);
	char *prot = protect ? realpath(protect, NULL) : NULL;
	const char *prot_name = prot ? strrchr(prot, '/') + 1 : "";
	const char *cur_name = current ? current : "";
	struct dirent **e = NULL;
	int n = scandir(dir, &e, NULL, newest_first);
	int runs = 0;
	for (int i = 0; i < n; i++) {
		char path[2048], held[2100], held2[2100];
		snprintf(path, sizeof path, "%s/%s", dir, e[i]->d_name);
		snprintf(held, sizeof held, "%s/results.json", path);
		snprintf(held2, sizeof held2, "%s/run.json", path);
		struct stat st;
		bool is_run = run_shaped(e[i]->d_name) && lstat(path, &st) == 0 && S_ISDIR(st.st_mode) &&
			      (access(held, F_OK) == 0 || access(held2, F_OK) == 0);
		bool spare = is_run && strcmp(e[i]->d_name, prot_name) != 0 && strcmp(e[i]->d_name, cur_name) != 0 &&
			     !owner_alive(path);
		/* a run without a single record (ctest -N runs the hooks too) counts for nothing */
		if (spare && only_meta(path))
			nftw(path, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
		else if (is_run && ++runs > keep && spare)
			nftw(path, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
		free(e[i]);
	}
	free(e);
	free(prot);
}
