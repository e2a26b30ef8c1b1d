/* pipelab-report: turns a run's evidence records into reports/.
 *
 *   pipelab-report begin RESULTS_DIR|--root DIR [--link PATH] [--selected CTEST_JSON] [--print] [--config K=V]...
 *                                             start a run (its own results folder)
 *   pipelab-report render RESULTS_DIR [--out REPORTS_DIR] [--junit FILE] [--if-any]
 *                                     [--interrupted SIGNAL | --stopped WHY] [--selected CTEST_JSON]
 *   pipelab-report verdicts RESULTS_DIR       "case-id VERDICT" lines
 *   pipelab-report summary RESULTS_DIR        totals and what did not pass (exit 0/1/2)
 *   pipelab-report compare RUN... [--out DIR] side by side (results or report dirs)
 *   pipelab-report class GRADE_DIR [--cases FILE] [--weights FILE]   a class (grade.sh)
 *   pipelab-report gradescope EVIDENCE_DIR --out FILE [...]          one submission's score
 *   pipelab-report weights [FILE] --cases FILE [--list]               check a weights file */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "class.h"
#include "content.h"
#include "pipelab.h"
#include "run.h"
#include "runs.h"

static int usage(void)
{
	fputs("usage: pipelab-report begin RESULTS_DIR|--root DIR [--link PATH] [--selected CTEST_JSON] [--print] [--config K=V]...\n"
	      "       pipelab-report render RESULTS_DIR [--out REPORTS_DIR] [--junit CTEST_JUNIT.xml] [--if-any]\n"
	      "                             [--interrupted SIGNAL | --stopped WHY] [--selected CTEST_JSON]\n"
	      "       pipelab-report verdicts RESULTS_DIR\n"
	      "       pipelab-report summary RESULTS_DIR\n"
	      "       pipelab-report compare RUN_DIR RUN_DIR... [--out DIR]\n"
	      "       pipelab-report class GRADE_DIR [--cases FILE] [--weights FILE]\n"
	      "       pipelab-report gradescope EVIDENCE_DIR --out FILE [--cases FILE] [--weights FILE] [--reason TEXT] [--name NAME]\n"
	      "       pipelab-report weights [FILE] --cases FILE [--list]\n",
	      stderr);
	return 2;
}

const char *reports_dir(const char *opt)
{
	const char *env = getenv("PIPELAB_REPORTS_DIR");
	return opt ? opt : env && *env ? env : "reports";
}

/* begin RESULTS_DIR | --root DIR [--link PATH]  [--selected CTEST_JSON] [--print] */
static int begin(int argc, char **argv)
{
	struct begin_opts o = { 0 };
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--root") && i + 1 < argc)
			o.root = argv[++i];
		else if (!strcmp(argv[i], "--link") && i + 1 < argc)
			o.link = argv[++i];
		else if (!strcmp(argv[i], "--selected") && i + 1 < argc)
			o.selected = argv[++i];
		else if (!strcmp(argv[i], "--print"))
			o.print = true;
		else if (!strcmp(argv[i], "--config") && i + 1 < argc && strchr(argv[i + 1], '=') != argv[i + 1] &&
			 strchr(argv[i + 1], '=') && o.nconfig < 8)
			o.config[o.nconfig++] = argv[++i];
		else if (argv[i][0] != '-' && !o.dir)
			o.dir = argv[i];
		else
			return usage();
	}
	if (!o.dir == !o.root)
		return usage();
	return run_begin(&o);
}

struct render_opts {
	const char *out, *junit, *interrupted, *selected;
	const char *stopped; /* how a run that was not interrupted still stopped early ("the VM timed out") */
	bool if_any;
};

static int render(const char *dir, const struct render_opts *o)
{
	const char *out = o->out, *junit = o->junit, *interrupted = o->interrupted;
	bool if_any = o->if_any;
	struct run r;
	if (run_load(&r, dir) < 0)
		return 1;
	if (o->selected) {
		/* the cases the run selected, listed after an interrupt */
		cJSON *names = run_selected_names(o->selected);
		if (!names) {
			fprintf(stderr, "pipelab-report: '%s' is not ctest's --show-only=json-v1 listing\n", o->selected);
			run_free(&r);
			return 2;
		}
		if (!r.meta)
			r.meta = cJSON_CreateObject();
		cJSON_DeleteItemFromObject(r.meta, "selected");
		cJSON_AddItemToObject(r.meta, "selected", names);
	}
	if (if_any && r.n == 0) {
		/* ctest's post-test hook after a run without cases (ctest -N, -L selftest) */
		puts("pipelab: no case ran; reports/latest is unchanged");
		run_free(&r);
		return 0;
	}
	if (junit)
		run_merge_junit(&r, junit);
	char how[300];
	if (interrupted)
		snprintf(how, sizeof how, "the run was interrupted by %s", interrupted);
	run_merge_selected(&r, interrupted ? how : o->stopped);
	bool partial = interrupted || o->stopped;
	if (partial) {
		/* labelled in its name, and reports/latest stays on a complete run */
		size_t len = strlen(r.id);
		snprintf(r.id + len, sizeof r.id - len, interrupted ? "-interrupted" : "-incomplete");
	}
	char base[2048], path[2300];
	snprintf(base, sizeof base, "%s/%s", out, r.id);
	if (pl_mkdir_p(base) < 0) {
		fprintf(stderr, "pipelab-report: cannot create '%s': %s\n", base, strerror(errno));
		run_free(&r);
		return 1;
	}
	int bad = 0;
	docs_url_from(base);
	/* The data files in a child while this process writes the pages: this
	 * is the run's last step, done alone, with every core free. */
	fflush(NULL);
	pid_t data = fork();
	if (data <= 0) {
		snprintf(path, sizeof path, "%s/junit.xml", base);
		bad |= render_junit(&r, path);
		snprintf(path, sizeof path, "%s/results.json", base);
		bad |= render_json(&r, path);
		if (data == 0)
			_exit(bad ? 1 : 0);
	}
	snprintf(path, sizeof path, "%s/report.md", base);
	bad |= render_md(&r, path);
	snprintf(path, sizeof path, "%s/index.html", base);
	bad |= render_html(&r, path);
	int st = 0;
	if (data > 0 && (waitpid(data, &st, 0) != data || !WIFEXITED(st) || WEXITSTATUS(st) != 0))
		bad = 1;
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
	if (!partial && symlink(r.id, tmp) == 0 && rename(tmp, link) != 0)
		unlink(tmp);
	int keep = run_keep();
	run_prune(out, keep < 0 ? 20 : keep, link, r.id);
	/* ./pipelab run prints its own summary after ctest's: not twice. */
	const char *quiet = getenv("PIPELAB_RENDER_QUIET");
	char *abs = realpath(base, NULL);
	if (!quiet || !*quiet) {
		printf("pipelab: %d %s:", r.n, cases_word(r.n));
		for (int v = 0; v < V_COUNT; v++)
			printf(" %d %s", r.totals[v], verdict_names[v]);
		printf("\npipelab: %sreport %s/index.html (and report.md, junit.xml, results.json)\n",
		       partial ? "partial " : "", abs ? abs : base);
	}
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
			printf("pipelab: %s %s: %s\n", r.recs[i].verdict, r.recs[i].id, why_not_pass(&r.recs[i]));
	printf("pipelab: %d %s:", r.n, cases_word(r.n));
	for (int v = 0; v < V_COUNT; v++)
		printf(" %d %s", r.totals[v], verdict_names[v]);
	putchar('\n');
	int status = run_status(&r);
	run_free(&r);
	return status;
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

int cmd_compare(int argc, char **argv); /* compare_cmd.c */
int cmd_matrix(int argc, char *argv[]); /* matrix.c */

int main(int argc, char *argv[])
{
	if (argc < 3)
		return usage();
	if (!strcmp(argv[1], "begin"))
		return begin(argc - 2, argv + 2);
	if (!strcmp(argv[1], "summary"))
		return summary(argv[2]);
	if (!strcmp(argv[1], "verdicts"))
		return verdicts(argv[2]);
	if (!strcmp(argv[1], "class"))
		return class_main(argc - 2, argv + 2);
	if (!strcmp(argv[1], "gradescope"))
		return gradescope_main(argc - 2, argv + 2);
	if (!strcmp(argv[1], "weights"))
		return weights_main(argc - 2, argv + 2);
	if (!strcmp(argv[1], "compare"))
		return cmd_compare(argc - 2, argv + 2);
	if (!strcmp(argv[1], "matrix"))
		return cmd_matrix(argc - 2, argv + 2);
	if (!strcmp(argv[1], "render")) {
		struct render_opts o = { 0 };
		for (int i = 3; i < argc; i++) {
			if (!strcmp(argv[i], "--out") && i + 1 < argc)
				o.out = argv[++i];
			else if (!strcmp(argv[i], "--if-any"))
				o.if_any = true;
			else if (!strcmp(argv[i], "--junit") && i + 1 < argc)
				o.junit = argv[++i];
			else if (!strcmp(argv[i], "--interrupted") && i + 1 < argc)
				o.interrupted = argv[++i];
			else if (!strcmp(argv[i], "--stopped") && i + 1 < argc)
				o.stopped = argv[++i];
			else if (!strcmp(argv[i], "--selected") && i + 1 < argc)
				o.selected = argv[++i];
			else
				return usage();
		}
		o.out = reports_dir(o.out);
		return render(argv[2], &o);
	}
	return usage();
}
