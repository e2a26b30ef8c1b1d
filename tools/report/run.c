#include "run.h"
#include "runs.h"

#include <dirent.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *const verdict_names[V_COUNT] = { "PASS", "FAIL", "BROKEN", "SKIP", "TIMEOUT", "NOT RUN" };

int verdict_index(const char *v)
{
	for (int i = 0; i < V_COUNT; i++)
		if (v && !strcmp(v, verdict_names[i]))
			return i;
	return V_BROKEN; /* an unreadable verdict is never a pass */
}

char *read_file(const char *path)
{
	FILE *f = fopen(path, "re");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = malloc((size_t)n + 1);
	size_t got = fread(buf, 1, (size_t)n, f);
	buf[got] = '\0';
	fclose(f);
	return buf;
}

static const char *str(cJSON *j, const char *key)
{
	const char *s = cJSON_GetStringValue(cJSON_GetObjectItem(j, key));
	return s ? s : "";
}

static void fill(struct rec *x)
{
	x->id = str(x->j, "case");
	x->test = str(x->j, "test");
	x->verdict = str(x->j, "verdict");
	x->rule = str(x->j, "rule");
	x->klass = str(x->j, "class");
	x->cell = str(x->j, "cell");
	x->kind = str(x->j, "kind");
	x->title = str(x->j, "title");
	x->expected = str(x->j, "expected");
	x->observed = str(x->j, "observed");
	x->reason = str(x->j, "reason");
	x->v = verdict_index(x->verdict);
	const char *slash = strchr(x->id, '/');
	snprintf(x->topic, sizeof x->topic, "%.*s", slash ? (int)(slash - x->id) : (int)strlen(x->id), x->id);
}

static int by_id(const void *a, const void *b)
{
	return strcmp(((const struct rec *)a)->id, ((const struct rec *)b)->id);
}

static void add(struct run *r, cJSON *j)
{
	r->recs = realloc(r->recs, sizeof *r->recs * (size_t)(r->n + 1));
	struct rec *x = &r->recs[r->n++];
	memset(x, 0, sizeof *x);
	x->j = j;
	fill(x);
}

/* A rendered report directory: its results.json holds the whole run. */
static int load_rendered(struct run *r, const char *path)
{
	char *text = read_file(path);
	cJSON *o = text ? cJSON_Parse(text) : NULL;
	free(text);
	if (!o)
		return -1;
	cJSON *c, *cases = cJSON_DetachItemFromObject(o, "cases");
	cJSON_ArrayForEach(c, cases)
		add(r, cJSON_Duplicate(c, 1));
	cJSON_Delete(cases);
	r->meta = cJSON_CreateObject();
	cJSON_AddStringToObject(r->meta, "run", str(o, "run"));
	cJSON_AddStringToObject(r->meta, "started", str(o, "date"));
	cJSON_AddItemToObject(r->meta, "config", cJSON_DetachItemFromObject(o, "config"));
	cJSON_Delete(o);
	return 0;
}

int run_load(struct run *r, const char *dir)
{
	memset(r, 0, sizeof *r);
	snprintf(r->dir, sizeof r->dir, "%s", dir);
	char rendered[2048];
	snprintf(rendered, sizeof rendered, "%s/results.json", dir);
	if (access(rendered, R_OK) == 0) {
		if (load_rendered(r, rendered) < 0) {
			fprintf(stderr, "pipelab-report: %s is not a pipelab results.json\n", rendered);
			return -1;
		}
		goto done;
	}
	DIR *d = opendir(dir);
	if (!d) {
		fprintf(stderr, "pipelab-report: cannot open results directory '%s'\n", dir);
		return -1;
	}
	struct dirent *e;
	char path[2048];
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		if (len < 6 || strcmp(e->d_name + len - 5, ".json") || e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		char *text = read_file(path);
		cJSON *j = text ? cJSON_Parse(text) : NULL;
		free(text);
		if (!strcmp(e->d_name, "run.json")) {
			r->meta = j;
			continue;
		}
		if (!j || !cJSON_GetObjectItem(j, "case")) {
			fprintf(stderr, "pipelab-report: skipping %s: not an evidence record\n", path);
			cJSON_Delete(j);
			continue;
		}
		add(r, j);
	}
	closedir(d);
done:
	qsort(r->recs, (size_t)r->n, sizeof *r->recs, by_id);
	for (int i = 0; i < r->n; i++) {
		r->totals[r->recs[i].v]++;
		if (!r->system)
			r->system = cJSON_GetObjectItem(r->recs[i].j, "system");
	}
	snprintf(r->id, sizeof r->id, "%s", r->meta ? str(r->meta, "run") : "");
	snprintf(r->started, sizeof r->started, "%s", r->meta ? str(r->meta, "started") : "");
	if (!r->id[0]) {
		const char *base = strrchr(dir, '/');
		snprintf(r->id, sizeof r->id, "%s", base ? base + 1 : dir);
	}
	/* The id becomes a folder name under reports/: whatever wrote run.json
	 * (or the folder's name) must not steer it elsewhere. */
	if (!run_id_valid(r->id)) {
		char fresh[128];
		run_id_new(fresh, sizeof fresh, "invalid-run-id");
		fprintf(stderr, "pipelab-report: run id '%.60s' in %s is not a valid run id (one folder name: letters, digits, . _ + - @ = ,); using '%s'\n",
			r->id, dir, fresh);
		snprintf(r->id, sizeof r->id, "%s", fresh);
	}
	return 0;
}

/* ctest's JUnit: <testcase name=".." status="fail"><system-out>..</system-out>.
 * Only the few attributes ctest writes are read. */
static char *attr(const char *tag, const char *name)
{
	char key[64];
	snprintf(key, sizeof key, " %s=\"", name);
	const char *p = strstr(tag, key);
	if (!p)
		return NULL;
	p += strlen(key);
	const char *q = strchr(p, '"');
	return q ? strndup(p, (size_t)(q - p)) : NULL;
}

void run_merge_junit(struct run *r, const char *junit_path)
{
	char *x = read_file(junit_path);
	if (!x)
		return;
	for (char *p = strstr(x, "<testcase "); p; p = strstr(p + 1, "<testcase ")) {
		char *end = strchr(p, '>');
		if (!end)
			break;
		char *tag = strndup(p, (size_t)(end - p));
		char *name = attr(tag, "name"), *status = attr(tag, "status");
		/* (a group's entry, SUITE/{labels}, is no case: its launcher wrote
		 * each variant's record, a fallback at least) */
		if (name && strchr(name, '@') && !strchr(name, '{') && !run_find(r, name)) {
			cJSON *j = cJSON_CreateObject();
			cJSON_AddStringToObject(j, "case", name);
			/* Without evidence a case is never a pass, whatever ctest said. */
			cJSON_AddStringToObject(j, "verdict", "BROKEN");
			cJSON_AddStringToObject(j, "reason", "no evidence record; known only from ctest's JUnit");
			cJSON_AddStringToObject(j, "observed", status ? status : "unknown");
			cJSON_AddStringToObject(j, "source", "ctest JUnit");
			add(r, j);
			r->totals[V_BROKEN]++;
		}
		free(name);
		free(status);
		free(tag);
	}
	free(x);
	qsort(r->recs, (size_t)r->n, sizeof *r->recs, by_id);
}

void run_merge_selected(struct run *r, const char *stopped)
{
	cJSON *c, *selected = cJSON_GetObjectItem(r->meta, "selected");
	char reason[512];
	if (stopped)
		snprintf(reason, sizeof reason, "not run: %s before this case finished", stopped);
	else
		snprintf(reason, sizeof reason, "selected for this run, but no evidence record was written (ctest did not run it, or its launcher died)");
	cJSON_ArrayForEach(c, selected)
	{
		const char *name = cJSON_GetStringValue(c);
		if (!name || run_find(r, name))
			continue;
		cJSON *j = cJSON_CreateObject();
		cJSON_AddStringToObject(j, "case", name);
		cJSON_AddStringToObject(j, "verdict", verdict_names[stopped ? V_NOT_RUN : V_BROKEN]);
		cJSON_AddStringToObject(j, "reason", reason);
		cJSON_AddStringToObject(j, "observed", "no record");
		cJSON_AddStringToObject(j, "source", "the run's selection (run.json)");
		add(r, j);
		r->totals[r->recs[r->n - 1].v]++;
	}
	qsort(r->recs, (size_t)r->n, sizeof *r->recs, by_id);
}

int run_status(const struct run *r)
{
	if (r->n == 0)
		return 2;
	return r->totals[V_PASS] == r->n ? 0 : 1;
}

void run_free(struct run *r)
{
	for (int i = 0; i < r->n; i++)
		cJSON_Delete(r->recs[i].j);
	free(r->recs);
	cJSON_Delete(r->meta);
	memset(r, 0, sizeof *r);
}

const struct rec *run_find(const struct run *r, const char *id)
{
	for (int i = 0; i < r->n; i++)
		if (!strcmp(r->recs[i].id, id))
			return &r->recs[i];
	return NULL;
}

const char *sys_str(const struct run *r, const char *key)
{
	const char *s = r->system ? cJSON_GetStringValue(cJSON_GetObjectItem(r->system, key)) : NULL;
	return s ? s : "unknown";
}

void put_html(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fputc(*s, f);
		}
	}
}

void put_xml(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c < 0x20 && c != '\n' && c != '\t')
			continue; /* not allowed in XML 1.0 */
		switch (c) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&apos;", f); break;
		default: fputc(c, f);
		}
	}
}

void put_md(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '|')
			fputs("\\|", f);
		else if (*s == '\n')
			fputs("<br>", f);
		else
			fputc(*s, f);
	}
}
