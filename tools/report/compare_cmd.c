/* pipelab-report compare RUN... [--out DIR]: several runs side by side
 * (compare.c renders them); its exit status is every command's. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "content.h"
#include "pipelab.h"
#include "runs.h"

/* One run: the id its run.json (or results.json) gives, or one folder.  An
 * id taken from the folder's name alone ("results") says nothing. */
static bool same_run(const struct run *a, const struct run *b)
{
	const char *ia = cJSON_GetStringValue(cJSON_GetObjectItem(a->meta, "run"));
	const char *ib = cJSON_GetStringValue(cJSON_GetObjectItem(b->meta, "run"));
	if (ia && ib && *ia && !strcmp(ia, ib))
		return true;
	char *ra = realpath(a->dir, NULL), *rb = realpath(b->dir, NULL);
	bool same = ra && rb && !strcmp(ra, rb);
	free(ra);
	free(rb);
	return same;
}

int cmd_compare(int argc, char **argv)
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
			return 2; /* nothing judged */
		}
		n++;
	}
	/* One run given twice (after ./pipelab vm, reports/latest is the VM's
	 * own run) would compare it with itself: "0 cases disagree". */
	int same = -1, other = -1;
	for (int i = 0; i < n && same < 0; i++)
		for (int j = i + 1; j < n && same < 0; j++)
			if (same_run(&runs[i], &runs[j])) {
				same = i;
				other = j;
			}
	if (n < 2 || same >= 0) {
		if (n < 2)
			fputs("pipelab-report: compare needs at least two runs\n", stderr);
		else
			fprintf(stderr, "pipelab-report: '%s' and '%s' are the same run (%s): compare needs different runs\n",
				runs[same].dir, runs[other].dir, runs[same].id);
		for (int k = 0; k < n; k++)
			run_free(&runs[k]);
		free(runs);
		return 2;
	}
	char dir[2048], md[2100], html[2100];
	if (out)
		snprintf(dir, sizeof dir, "%s", out);
	else
		/* Two comparisons in one second each keep their own folder. */
		snprintf(dir, sizeof dir, "%s/compare-%ld-%ld", reports_dir(NULL), (long)time(NULL), (long)getpid());
	if (pl_mkdir_p(dir) < 0) {
		fprintf(stderr, "pipelab-report: cannot create '%s': %s\n", dir, strerror(errno));
		for (int k = 0; k < n; k++)
			run_free(&runs[k]);
		free(runs);
		return 2;
	}
	snprintf(md, sizeof md, "%s/compare.md", dir);
	snprintf(html, sizeof html, "%s/compare.html", dir);
	struct compare_counts c = { 0 };
	int bad = render_compare(runs, n, md, html, &c);
	/* The exit contract of every command: 1 when the runs disagree, when a
	 * run lacks a case another has (NOT RUN is no pass), or when any case in
	 * them did not pass.  Measured values are the implementation's choice. */
	bool all_pass = true;
	for (int i = 0; i < n; i++)
		for (int k = 0; k < runs[i].n; k++)
			all_pass = all_pass && runs[i].recs[k].v == V_PASS;
	if (bad == 0 && !out) { /* (a folder the user named is theirs) */
		int keep = run_keep();
		report_prune(reports_dir(NULL), keep < 0 ? 20 : keep, strrchr(dir, '/') + 1);
	}
	if (bad == 0)
		printf("pipelab: comparison of %d runs: %d cases disagree, %d run(s) lack cases others have, %d measured "
		       "value(s) differ%s: %s\n",
		       n, c.disagree, c.not_run, c.values, all_pass ? "" : ", some case did not pass", html);
	else
		fprintf(stderr, "pipelab-report: cannot write the comparison into '%s'\n", dir);
	for (int i = 0; i < n; i++)
		run_free(&runs[i]);
	free(runs);
	return bad ? 2 : c.disagree > 0 || c.not_run > 0 || !all_pass ? 1 : 0;
}
