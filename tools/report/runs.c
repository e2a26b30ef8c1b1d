/* A run's life: its id, its results folder, its retention.
 *
 * Every run gets its own results folder and report folder, named by an id
 * unique even for runs started in the same second, so two runs at once in
 * one checkout never share records and a run never deletes another's. */
#include "runs.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "pipelab.h"
#include "run.h"

/* New ids stay under RUN_ID_MAX so that "-interrupted" still fits; ids read
 * back (a rendered report's) may be up to RUN_ID_READ_MAX. */
enum { RUN_ID_MAX = 100, RUN_ID_READ_MAX = 120, KEEP_DEFAULT = 20, NEW_ID_TRIES = 8 };

bool run_id_valid(const char *id)
{
	size_t n = id ? strlen(id) : 0;
	if (n == 0 || n > RUN_ID_READ_MAX || id[0] == '.' || !strcmp(id, "latest"))
		return false;
	for (const unsigned char *p = (const unsigned char *)id; *p; p++)
		if (!(isalnum(*p) || strchr("._+-@=,", *p) || *p >= 0x80))
			return false;
	return true;
}

void run_target_name(char *out, size_t n)
{
	const char *target = getenv("PIPELAB_TARGET");
	if (!target || !*target)
		target = getenv("PIPELAB_TARGET_DEFAULT"); /* the build's configured target */
	const char *preload = getenv("PIPELAB_PRELOAD");
	const char *emulator = getenv("PIPELAB_EMULATOR");
	if (target && *target)
		snprintf(out, n, "%s", target);
	else if (emulator && *emulator) {
		char first[64];
		snprintf(first, sizeof first, "%s", emulator);
		first[strcspn(first, " \t")] = '\0';
		const char *b = strrchr(first, '/');
		snprintf(out, n, "emulator-%s", b ? b + 1 : first);
	} else if (preload && *preload) {
		const char *b = strrchr(preload, '/');
		snprintf(out, n, "preload-%s", b ? b + 1 : preload);
	} else
		snprintf(out, n, "native");
}

void run_id_new(char *out, size_t n, const char *target)
{
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	char stamp[32], name[64];
	strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
	unsigned short rnd = 0;
	if (getrandom(&rnd, sizeof rnd, GRND_NONBLOCK) != sizeof rnd)
		rnd = (unsigned short)(clock() ^ getpid());
	snprintf(name, sizeof name, "%s", target && *target ? target : "native");
	for (unsigned char *p = (unsigned char *)name; *p; p++)
		if (!(isalnum(*p) || strchr("._+-@=,", *p) || *p >= 0x80))
			*p = '-';
	snprintf(out, n, "%s-%d-%04x-%s", stamp, (int)getpid(), rnd, name);
	out[RUN_ID_MAX < n ? RUN_ID_MAX : n - 1] = '\0';
}

/* The start time of a process (clock ticks since boot), 0 if it is gone:
 * with the pid it names the process even after pids wrap. */
unsigned long long run_proc_start(long pid)
{
	char path[64], text[1024];
	snprintf(path, sizeof path, "/proc/%ld/stat", pid);
	FILE *f = fopen(path, "re"); /* procfs: no size to read_file() by */
	size_t got = f ? fread(text, 1, sizeof text - 1, f) : 0;
	if (f)
		fclose(f);
	text[got] = '\0';
	const char *p = strrchr(text, ')');
	unsigned long long start = 0;
	/* after "pid (comm)": state is field 3, starttime field 22 */
	for (int field = 2; p && *p && field < 22; p++)
		if (*p == ' ')
			field++;
	if (p)
		start = strtoull(p, NULL, 10);
	return start;
}

static long owner_pid(void)
{
	const char *o = getenv("PIPELAB_RUN_OWNER"); /* ./pipelab names itself */
	long pid = o && *o ? strtol(o, NULL, 10) : 0;
	return pid > 0 ? pid : (long)getppid(); /* else ctest, which runs the hook */
}

cJSON *run_selected_names(const char *path)
{
	char *text = read_file(path);
	cJSON *o = text ? cJSON_Parse(text) : NULL;
	free(text);
	cJSON *tests = cJSON_GetObjectItem(o, "tests"), *t;
	if (!cJSON_IsArray(tests)) {
		cJSON_Delete(o);
		return NULL;
	}
	cJSON *names = cJSON_CreateArray();
	cJSON_ArrayForEach(t, tests)
	{
		run_add_selected(names, t); /* a group's entry: its variants (run.c) */
	}
	cJSON_Delete(o);
	return names;
}

static void clear_records(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[2048];
	while (d && (e = readdir(d))) {
		size_t n = strlen(e->d_name);
		if ((n > 5 && !strcmp(e->d_name + n - 5, ".json")) || (n > 4 && !strcmp(e->d_name + n - 4, ".log"))) {
			snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
			unlink(path);
		}
	}
	if (d)
		closedir(d);
}

static int write_meta(const char *dir, const char *id, cJSON *selected, const struct begin_opts *o)
{
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	char started[64], path[2048];
	strftime(started, sizeof started, "%Y-%m-%d %H:%M:%S UTC", &tm);
	cJSON *meta = cJSON_CreateObject();
	cJSON_AddStringToObject(meta, "run", id);
	cJSON_AddStringToObject(meta, "started", started);
	long owner = owner_pid();
	cJSON_AddNumberToObject(meta, "owner", (double)owner);
	cJSON_AddNumberToObject(meta, "owner_start", (double)run_proc_start(owner));
	if (selected)
		cJSON_AddItemToObject(meta, "selected", selected);
	cJSON *config = o->nconfig ? cJSON_AddObjectToObject(meta, "config") : NULL;
	for (int i = 0; i < o->nconfig; i++) {
		const char *eq = strchr(o->config[i], '=');
		char key[64];
		snprintf(key, sizeof key, "%.*s", (int)(eq - o->config[i]), o->config[i]);
		cJSON_AddStringToObject(config, key, eq + 1);
	}
	char *text = cJSON_Print(meta);
	cJSON_Delete(meta);
	snprintf(path, sizeof path, "%s/run.json", dir);
	FILE *f = fopen(path, "we");
	int bad = !f || fputs(text, f) < 0;
	bad |= f && fclose(f) != 0;
	cJSON_free(text);
	if (bad) {
		fprintf(stderr, "pipelab-report: results directory '%s' is not writable: %s\n", dir, strerror(errno));
		return 2;
	}
	return 0;
}

/* The run ./pipelab already started in this dir (ctest's pre-test hook then
 * has nothing to do). */
static bool begun_here(const char *dir)
{
	const char *want = getenv("PIPELAB_RUN_ID");
	if (!want || !*want)
		return false;
	char path[2048];
	snprintf(path, sizeof path, "%s/run.json", dir);
	char *text = read_file(path);
	cJSON *meta = text ? cJSON_Parse(text) : NULL;
	free(text);
	const char *id = cJSON_GetStringValue(cJSON_GetObjectItem(meta, "run"));
	bool same = id && !strcmp(id, want);
	cJSON_Delete(meta);
	return same;
}

/* Plain ctest's results path is a symlink to its run's folder; an older
 * build tree has a real folder there: keep its records as a run of its own. */
static int point_link(const char *link, const char *target, const char *root)
{
	struct stat st;
	if (lstat(link, &st) == 0 && S_ISDIR(st.st_mode)) {
		char id[RUN_ID_MAX + 1], keep[2048];
		run_id_new(id, sizeof id, "earlier-results");
		snprintf(keep, sizeof keep, "%s/%s", root, id);
		if (rename(link, keep) != 0) {
			fprintf(stderr, "pipelab-report: cannot move the old results folder '%s' to '%s': %s\n", link, keep, strerror(errno));
			return 2;
		}
	}
	char tmp[2100];
	snprintf(tmp, sizeof tmp, "%s.new-%d", link, getpid());
	unlink(tmp);
	if (symlink(target, tmp) != 0 || rename(tmp, link) != 0) {
		fprintf(stderr, "pipelab-report: cannot point '%s' at '%s': %s\n", link, target, strerror(errno));
		unlink(tmp);
		return 2;
	}
	return 0;
}

int run_begin(const struct begin_opts *o)
{
	cJSON *selected = NULL;
	if (o->selected) {
		selected = run_selected_names(o->selected);
		if (!selected) {
			fprintf(stderr, "pipelab-report: '%s' is not ctest's --show-only=json-v1 listing\n", o->selected);
			return 2;
		}
		if (cJSON_GetArraySize(selected) == 0) {
			fputs("pipelab: no case matches the selection: nothing to run\n", stderr);
			cJSON_Delete(selected);
			return 2;
		}
	}
	char target[64], id[RUN_ID_MAX + 1], dir[1024];
	run_target_name(target, sizeof target);
	if (o->dir) {
		snprintf(dir, sizeof dir, "%s", o->dir);
		if (begun_here(dir)) {
			cJSON_Delete(selected);
			if (o->print)
				printf("%s\n%s\n", dir, getenv("PIPELAB_RUN_ID"));
			return 0;
		}
		if (pl_mkdir_p(dir) < 0) {
			fprintf(stderr, "pipelab-report: cannot create results directory '%s': %s\n", dir, strerror(errno));
			cJSON_Delete(selected);
			return 2;
		}
		/* The user named this folder for this run: it holds this run only. */
		clear_records(dir);
		run_id_new(id, sizeof id, target);
	} else {
		if (pl_mkdir_p(o->root) < 0) {
			fprintf(stderr, "pipelab-report: cannot create results directory '%s': %s\n", o->root, strerror(errno));
			cJSON_Delete(selected);
			return 2;
		}
		int tries = 0;
		do {
			run_id_new(id, sizeof id, target);
			snprintf(dir, sizeof dir, "%s/%s", o->root, id);
		} while (mkdir(dir, 0755) != 0 && errno == EEXIST && ++tries < NEW_ID_TRIES);
		struct stat st;
		if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
			fprintf(stderr, "pipelab-report: cannot create results directory '%s': %s\n", dir, strerror(errno));
			cJSON_Delete(selected);
			return 2;
		}
	}
	int rc = write_meta(dir, id, selected, o);
	if (rc == 0 && !o->dir && o->link)
		rc = point_link(o->link, dir, o->root);
	if (rc == 0 && !o->dir) {
		int keep = run_keep();
		run_prune(o->root, keep < 0 ? KEEP_DEFAULT : keep, o->link, id);
	}
	if (rc == 0 && o->print)
		printf("%s\n%s\n", dir, id);
	return rc;
}
