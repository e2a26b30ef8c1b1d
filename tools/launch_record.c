/* pipelab-launch: the case's record.  The case's judge writes it; the
 * launcher merges what only it knows (limits hit, processes that outlived
 * the case, valgrind's findings), or writes a fallback record when the case
 * wrote none.  Fields it adds: "limits" and "warnings" (arrays of strings),
 * "memory_errors" (number) and "memory_error_first" (string). */
#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "launch.h"
#include "pipelab.h"

char *launch_slurp_tail(const char *path, size_t max)
{
	FILE *f = fopen(path, "re");
	if (!f)
		return strdup("");
	fseek(f, 0, SEEK_END);
	long size = ftell(f);
	long from = size > (long)max ? size - (long)max : 0;
	fseek(f, from, SEEK_SET);
	char *buf = calloc(1, (size_t)(size - from) + 1);
	size_t n = fread(buf, 1, (size_t)(size - from), f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void save(const char *path, cJSON *r)
{
	char *text = cJSON_Print(r);
	FILE *f = fopen(path, "we");
	if (f) {
		fputs(text, f);
		fclose(f);
	} else {
		fprintf(stderr, "pipelab-launch: cannot write %s: %s\n", path, strerror(errno));
	}
	free(text);
}

void launch_write_fallback(struct launch *l, const char *verdict, const char *reason)
{
	cJSON *r = cJSON_CreateObject();
	cJSON_AddNumberToObject(r, "schema", 1);
	cJSON_AddStringToObject(r, "case", l->id);
	cJSON_AddStringToObject(r, "test", l->test);
	cJSON_AddStringToObject(r, "verdict", verdict);
	cJSON_AddStringToObject(r, "reason", reason);
	cJSON_AddStringToObject(r, "observed", reason);
	cJSON_AddStringToObject(r, "source", "pipelab-launch fallback: the case wrote no record of its own");
	char *tail = launch_slurp_tail(l->logpath, 8192);
	cJSON_AddStringToObject(r, "output", tail);
	free(tail);
	char *sys = pl_system_json();
	cJSON_AddItemToObject(r, "system", cJSON_Parse(sys));
	free(sys);
	cJSON_AddNumberToObject(r, "written_at", (double)time(NULL));
	save(l->evidence, r);
	cJSON_Delete(r);
}

/* valgrind: count the errors of every process of the case, and describe the
 * first ("invalid read at student.c:16"); its logs are echoed for ctest. */
static int memory_errors(struct launch *l, char *first, size_t n)
{
	int total = 0;
	first[0] = '\0';
	DIR *d = l->vgdir[0] ? opendir(l->vgdir) : NULL;
	const struct dirent *e;
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char path[1400];
		snprintf(path, sizeof path, "%s/%s", l->vgdir, e->d_name);
		char *text = launch_slurp_tail(path, 256 << 10);
		fputs(text, stdout);
		const char *sum = strstr(text, "ERROR SUMMARY: ");
		int count = sum ? atoi(sum + 15) : 0;
		total += count;
		/* The first error: a line "==PID== Kind of error", then "at/by ...(file:line)". */
		for (const char *p = text; count > 0 && !first[0] && (p = strstr(p, "== ")); p++) {
			const char *line = p + 3;
			const char *kinds[] = { "Invalid read", "Invalid write", "Invalid free", "Conditional jump",
						"Use of uninitialised", "Syscall param", "Mismatched free" };
			for (size_t k = 0; k < sizeof kinds / sizeof kinds[0] && !first[0]; k++) {
				if (strncmp(line, kinds[k], strlen(kinds[k])) != 0)
					continue;
				const char *at = strchr(line, '(');
				const char *where = at ? strstr(at, ".c:") : NULL;
				const char *start = where;
				while (start && start > at && start[-1] != '(' && start[-1] != ' ')
					start--;
				const char *end = where ? strchr(where, ')') : NULL;
				char kind[40];
				snprintf(kind, sizeof kind, "%s", kinds[k]);
				kind[0] = (char)(kind[0] - 'A' + 'a');
				if (start && end && end - start < 120)
					snprintf(first, n, "%s at %.*s", kind, (int)(end - start), start);
				else
					snprintf(first, n, "%s", kind);
			}
		}
		if (count > 0 && !first[0]) {
			const char *lost = strstr(text, "definitely lost in");
			snprintf(first, n, "%s", lost ? "memory definitely lost" : "memory error");
		}
		free(text);
	}
	if (d)
		closedir(d);
	fflush(stdout);
	return total;
}

/* The harness reports the limits it saw as "limit: ..." observations. */
static void harness_limits(struct launch *l, cJSON *r)
{
	const cJSON *o;
	cJSON_ArrayForEach(o, cJSON_GetObjectItem(r, "observed"))
	{
		const char *s = cJSON_GetStringValue(o);
		if (s && !strncmp(s, "limit: ", 7))
			launch_limit(l, "%s", s + 7);
	}
}

static void merge(struct launch *l, cJSON *r, int errors, const char *first)
{
	if (l->limits_n) {
		cJSON *a = cJSON_AddArrayToObject(r, "limits");
		for (int i = 0; i < l->limits_n; i++)
			cJSON_AddItemToArray(a, cJSON_CreateString(l->limits[i]));
	}
	if (l->warnings_n) {
		cJSON *a = cJSON_AddArrayToObject(r, "warnings");
		for (int i = 0; i < l->warnings_n; i++)
			cJSON_AddItemToArray(a, cJSON_CreateString(l->warnings[i]));
	}
	if (l->valgrind) {
		cJSON_AddNumberToObject(r, "memory_errors", errors);
		if (errors)
			cJSON_AddStringToObject(r, "memory_error_first", first);
	}
	const char *v = cJSON_GetStringValue(cJSON_GetObjectItem(r, "verdict"));
	if (errors && v && (!strcmp(v, "PASS") || !strcmp(v, "SKIP"))) {
		/* Memory errors are their own verdict: never a pass. */
		char reason[400];
		snprintf(reason, sizeof reason, "memory errors: %d, first: %s", errors, first);
		cJSON_ReplaceItemInObject(r, "verdict", cJSON_CreateString("FAIL"));
		cJSON_DeleteItemFromObject(r, "reason");
		cJSON_AddStringToObject(r, "reason", reason);
	}
}

int launch_finish_record(struct launch *l)
{
	char first[300];
	int errors = l->valgrind ? memory_errors(l, first, sizeof first) : 0;
	char *text = launch_slurp_tail(l->evidence, 1 << 24);
	cJSON *r = cJSON_Parse(text);
	free(text);
	const char *v = r ? cJSON_GetStringValue(cJSON_GetObjectItem(r, "verdict")) : NULL;
	int rc = WIFEXITED(l->status) ? WEXITSTATUS(l->status) : 128 + WTERMSIG(l->status);
	if (!v) {
		cJSON_Delete(r);
		char reason[512];
		if (l->fallback_reason) /* a group's variant: the launcher knows why (launch_group.c) */
			snprintf(reason, sizeof reason, "%s", l->fallback_reason);
		else if (l->timed_out)
			snprintf(reason, sizeof reason, "the case was still running after the launcher's %.0f s deadline and was killed",
				 l->deadline);
		else if (WIFSIGNALED(l->status))
			snprintf(reason, sizeof reason, "the case process was killed by %s before writing its evidence record%s",
				 pl_signal_name(WTERMSIG(l->status)),
				 l->preload && geteuid() != 0 ? " (not run as root, the implementation under test runs as "
								"the same user and can signal it)" : "");
		else
			snprintf(reason, sizeof reason, "the case process exited with status %d without writing an evidence record",
				 WEXITSTATUS(l->status));
		const char *verdict = l->timed_out ? "TIMEOUT" : "BROKEN";
		launch_write_fallback(l, verdict, reason);
		printf("pipelab: %s %s: %s\n", verdict, l->id, reason);
		text = launch_slurp_tail(l->evidence, 1 << 24);
		r = cJSON_Parse(text);
		free(text);
		if (r) {
			merge(l, r, errors, first);
			save(l->evidence, r);
			cJSON_Delete(r);
		}
		return rc ? rc : LAUNCH_NOT_PASS;
	}
	harness_limits(l, r);
	merge(l, r, errors, first);
	if (l->limits_n || l->warnings_n || l->valgrind) /* else the case's record is already whole */
		save(l->evidence, r);
	char verdict[32];
	snprintf(verdict, sizeof verdict, "%s", cJSON_GetStringValue(cJSON_GetObjectItem(r, "verdict")));
	cJSON_Delete(r);
	for (int i = 0; i < l->limits_n; i++)
		printf("pipelab-launch: %s: %s\n", l->id, l->limits[i]);
	if (errors)
		printf("pipelab: FAIL %s: memory errors: %d, first: %s\n", l->id, errors, first);
	if (!strcmp(verdict, "SKIP"))
		return LAUNCH_SKIP;
	if (strcmp(verdict, "PASS") != 0)
		return rc ? rc : LAUNCH_NOT_PASS;
	return rc;
}
