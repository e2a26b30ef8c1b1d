/* pipelab-report: turns a run's evidence records into reports/.
 *
 *   pipelab-report begin RESULTS_DIR          start a run (clears old records)
 *   pipelab-report render RESULTS_DIR [--out REPORTS_DIR] [--junit FILE] [--if-any]
 *   pipelab-report verdicts RESULTS_DIR       "case-id VERDICT" lines
 *   pipelab-report summary RESULTS_DIR        totals and what did not pass
 *   pipelab-report compare RUN... [--out DIR] side by side (results or report dirs) */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "pipelab.h"
#include "run.h"

static int usage(void)
{
	fputs("usage: pipelab-report begin RESULTS_DIR\n"
	      "       pipelab-report render RESULTS_DIR [--out REPORTS_DIR] [--junit CTEST_JUNIT.xml] [--if-any]\n"
	      "       pipelab-report verdicts RESULTS_DIR\n"
	      "       pipelab-report summary RESULTS_DIR\n"
	      "       pipelab-report compare RUN_DIR RUN_DIR... [--out DIR]\n",
	      stderr);
	return 2;
}

static const char *reports_dir(const char *opt)
{
	const char *env = getenv("PIPELAB_REPORTS_DIR");
	return opt ? opt : env && *env ? env : "reports";
}

static int begin(const char *dir)
{
	if (pl_mkdir_p(dir) < 0) {
		fprintf(stderr, "pipelab-report: cannot create results directory '%s': %s\n", dir, strerror(errno));
		return 1;
	}
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
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	char id[96], started[64], host[64];
	strftime(started, sizeof started, "%Y-%m-%d %H:%M:%S UTC", &tm);
	strftime(id, sizeof id, "%Y%m%d-%H%M%S", &tm);
	const char *target = getenv("PIPELAB_TARGET");
	if (!target || !*target)
		target = getenv("PIPELAB_TARGET_DEFAULT"); /* the build's configured target */
	const char *preload = getenv("PIPELAB_PRELOAD");
	const char *emulator = getenv("PIPELAB_EMULATOR");
	if (target && *target)
		snprintf(host, sizeof host, "%s", target);
	else if (emulator && *emulator) {
		char first[64];
		snprintf(first, sizeof first, "%s", emulator);
		first[strcspn(first, " \t")] = '\0';
		const char *b = strrchr(first, '/');
		snprintf(host, sizeof host, "emulator-%s", b ? b + 1 : first);
	} else if (preload && *preload) {
		const char *b = strrchr(preload, '/');
		snprintf(host, sizeof host, "preload-%s", b ? b + 1 : preload);
	} else
		snprintf(host, sizeof host, "native");
	for (char *p = host; *p; p++)
		if (*p == '/' || *p == ' ' || *p == ':')
			*p = '-';
	cJSON *meta = cJSON_CreateObject();
	char run[200];
	snprintf(run, sizeof run, "%s-%s", id, host);
	cJSON_AddStringToObject(meta, "run", run);
	cJSON_AddStringToObject(meta, "started", started);
	char *text = cJSON_Print(meta);
	cJSON_Delete(meta);
	snprintf(path, sizeof path, "%s/run.json", dir);
	FILE *f = fopen(path, "we");
	if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
		fprintf(stderr, "pipelab-report: results directory '%s' is not writable: %s\n", dir, strerror(errno));
		cJSON_free(text);
		return 1;
	}
	cJSON_free(text);
	return 0;
}

static int render(const char *dir, const char *out, const char *junit, bool if_any)
{
	struct run r;
	if (run_load(&r, dir) < 0)
		return 1;
	if (if_any && r.n == 0) {
		/* ctest's post-test hook after a run without cases (ctest -N, -L selftest) */
		puts("pipelab: no case ran; reports/latest is unchanged");
		run_free(&r);
		return 0;
	}
	if (junit)
		run_merge_junit(&r, junit);
	char base[2048], path[2300];
	snprintf(base, sizeof base, "%s/%s", out, r.id);
	if (pl_mkdir_p(base) < 0) {
		fprintf(stderr, "pipelab-report: cannot create '%s': %s\n", base, strerror(errno));
		run_free(&r);
		return 1;
	}
	int bad = 0;
	snprintf(path, sizeof path, "%s/report.md", base);
	bad |= render_md(&r, path);
	snprintf(path, sizeof path, "%s/index.html", base);
	bad |= render_html(&r, path);
	snprintf(path, sizeof path, "%s/junit.xml", base);
	bad |= render_junit(&r, path);
	snprintf(path, sizeof path, "%s/results.json", base);
	bad |= render_json(&r, path);
	if (bad) {
		fprintf(stderr, "pipelab-report: writing the report into '%s' failed: %s\n", base, strerror(errno));
		run_free(&r);
		return 1;
	}
	/* reports/latest -> the newest run, replaced atomically */
	char link[2300], tmp[2400];
	snprintf(link, sizeof link, "%s/latest", out);
	snprintf(tmp, sizeof tmp, "%s/.latest-%d", out, getpid());
	unlink(tmp);
	if (symlink(r.id, tmp) == 0 && rename(tmp, link) != 0)
		unlink(tmp);
	char *abs = realpath(base, NULL);
	printf("pipelab: %d cases:", r.n);
	for (int v = 0; v < V_COUNT; v++)
		printf(" %d %s", r.totals[v], verdict_names[v]);
	printf("\npipelab: report %s/index.html (and report.md, junit.xml, results.json)\n", abs ? abs : base);
	free(abs);
	run_free(&r);
	return 0;
}

static int summary(const char *dir)
{
	struct run r;
	if (run_load(&r, dir) < 0)
		return 1;
	for (int i = 0; i < r.n; i++)
		if (r.recs[i].v != V_PASS)
			printf("pipelab: %s %s: %s\n", r.recs[i].verdict, r.recs[i].id,
			       r.recs[i].reason[0] ? r.recs[i].reason : r.recs[i].observed);
	printf("pipelab: %d cases:", r.n);
	for (int v = 0; v < V_COUNT; v++)
		printf(" %d %s", r.totals[v], verdict_names[v]);
	putchar('\n');
	run_free(&r);
	return 0;
}

static int verdicts(const char *dir)
{
	struct run r;
	if (run_load(&r, dir) < 0)
		return 1;
	for (int i = 0; i < r.n; i++)
		printf("%s %s\n", r.recs[i].id, r.recs[i].verdict);
	run_free(&r);
	return 0;
}

static int compare(int argc, char **argv)
{
	const char *out = NULL;
	struct run *runs = calloc((size_t)argc, sizeof *runs);
	int n = 0;
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--out") && i + 1 < argc) {
			out = argv[++i];
			continue;
		}
		if (run_load(&runs[n], argv[i]) < 0) {
			for (int k = 0; k < n; k++)
				run_free(&runs[k]);
			free(runs);
			return 1;
		}
		n++;
	}
	if (n < 2) {
		fputs("pipelab-report: compare needs at least two runs\n", stderr);
		for (int k = 0; k < n; k++)
			run_free(&runs[k]);
		free(runs);
		return 2;
	}
	char dir[2048], md[2100], html[2100];
	if (out)
		snprintf(dir, sizeof dir, "%s", out);
	else
		snprintf(dir, sizeof dir, "%s/compare-%ld", reports_dir(NULL), (long)time(NULL));
	if (pl_mkdir_p(dir) < 0) {
		fprintf(stderr, "pipelab-report: cannot create '%s': %s\n", dir, strerror(errno));
		for (int k = 0; k < n; k++)
			run_free(&runs[k]);
		free(runs);
		return 1;
	}
	snprintf(md, sizeof md, "%s/compare.md", dir);
	snprintf(html, sizeof html, "%s/compare.html", dir);
	int rc = render_compare(runs, n, md, html);
	if (rc == 0)
		printf("pipelab: comparison of %d runs: %s\n", n, html);
	for (int i = 0; i < n; i++)
		run_free(&runs[i]);
	free(runs);
	return rc ? 1 : 0;
}

int cmd_matrix(int argc, char *argv[]); /* matrix.c */

int main(int argc, char *argv[])
{
	if (argc < 3)
		return usage();
	if (!strcmp(argv[1], "begin"))
		return begin(argv[2]);
	if (!strcmp(argv[1], "summary"))
		return summary(argv[2]);
	if (!strcmp(argv[1], "verdicts"))
		return verdicts(argv[2]);
	if (!strcmp(argv[1], "compare"))
		return compare(argc - 2, argv + 2);
	if (!strcmp(argv[1], "matrix"))
		return cmd_matrix(argc - 2, argv + 2);
	if (!strcmp(argv[1], "render")) {
		const char *out = NULL, *junit = NULL;
		bool if_any = false;
		for (int i = 3; i < argc; i++) {
			if (!strcmp(argv[i], "--out") && i + 1 < argc)
				out = argv[++i];
			else if (!strcmp(argv[i], "--if-any"))
				if_any = true;
			else if (!strcmp(argv[i], "--junit") && i + 1 < argc)
				junit = argv[++i];
			else
				return usage();
		}
		return render(argv[2], reports_dir(out), junit, if_any);
	}
	return usage();
}
