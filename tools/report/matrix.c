/* pipelab-report matrix: one report over many targets (./pipelab matrix).
 *
 *   pipelab-report matrix --out DIR [--explained FILE] [--note FILE] [--broken NAME=WHY]... NAME=RESULTS_DIR...
 *   pipelab-report matrix --explained FILE --check    (the file's lines, checked)
 *
 * The first column is the reference. Rows are rules (case ids without their
 * @kind); a cell that differs from the reference is a disagreement, explained
 * when a line of the explanations file (TARGET-GLOB RULE-GLOB VERDICT
 * ["TEXT"] REASON) names its target, rule and verdict (and the text its
 * records say). Writes DIR/matrix.md and DIR/matrix.html; exit 0 when every
 * disagreement is explained, 1 when one is not or a target did not run (a
 * --broken column, or NOT RUN cases: it stopped early), 2 on usage error.
 * The reference is the first column that ran. */
#include <stdlib.h>
#include <string.h>

#include "matrix.h"
#include "pipelab.h"
#include "runs.h"

static const char usage[] = "usage: pipelab-report matrix --out DIR [--explained FILE] [--note FILE] "
			    "[--broken NAME=WHY]... NAME=RESULTS_DIR...\n";

int cmd_matrix(int argc, char *argv[]);
int cmd_matrix(int argc, char *argv[])
{
	static struct matrix m;
	const char *out = NULL, *expl = NULL, *note = NULL;
	bool check = false;
	for (int i = 0; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		if (!strcmp(argv[i], "--out") && i + 1 < argc)
			out = argv[++i];
		else if (!strcmp(argv[i], "--explained") && i + 1 < argc)
			expl = argv[++i];
		else if (!strcmp(argv[i], "--note") && i + 1 < argc)
			note = argv[++i];
		else if (!strcmp(argv[i], "--check"))
			check = true;
		else if (!strcmp(argv[i], "--broken") && i + 1 < argc && strchr(argv[i + 1], '=') && m.ncols < MAX_COLS) {
			/* a target that did not run: a column all the same, and why */
			struct col *c = &m.cols[m.ncols++];
			eq = strchr(argv[++i], '=');
			snprintf(c->name, sizeof c->name, "%.*s", (int)(eq - argv[i]), argv[i]);
			snprintf(c->broken, sizeof c->broken, "%s", eq[1] ? eq + 1 : "did not run");
		} else if (eq && eq != argv[i] && m.ncols < MAX_COLS && (size_t)(eq - argv[i]) < sizeof m.cols[0].name) {
			struct col *c = &m.cols[m.ncols];
			snprintf(c->name, sizeof c->name, "%.*s", (int)(eq - argv[i]), argv[i]);
			if (run_load(&c->run, eq + 1) < 0)
				return 2;
			c->not_run = c->run.totals[V_NOT_RUN];
			m.ncols++;
		} else {
			fputs(usage, stderr);
			return 2;
		}
	}
	if (expl && load_explanations(&m, expl) < 0)
		return 2;
	if (check && expl && !out && m.ncols == 0)
		return 0;
	if (!out || m.ncols < 1) {
		fputs(usage, stderr);
		return 2;
	}
	while (m.ref < m.ncols && m.cols[m.ref].broken[0])
		m.ref++;
	if (m.ref == m.ncols) {
		fputs("pipelab-report: no target of the matrix ran: nothing to compare\n", stderr);
		return 2;
	}
	char *note_text = note ? read_file(note) : NULL;
	m.note = note_text;
	collect_rules(&m);
	char md_path[2100], html_path[2100];
	snprintf(md_path, sizeof md_path, "%s/matrix.md", out);
	snprintf(html_path, sizeof html_path, "%s/matrix.html", out);
	int rc = 2;
	FILE *md = pl_mkdir_p(out) == 0 ? fopen(md_path, "we") : NULL;
	FILE *h = md ? fopen(html_path, "we") : NULL;
	if (md && h)
		rc = matrix_render(&m, md, h);
	else
		fprintf(stderr, "pipelab-report: cannot write the matrix into '%s'\n", out);
	if (md && fclose(md) != 0)
		rc = 2;
	if (h && fclose(h) != 0)
		rc = 2;
	/* reports/matrix-<id>: the older matrices beyond PIPELAB_KEEP_RUNS go */
	const char *slash = strrchr(out, '/');
	if (rc != 2 && slash && !strncmp(slash + 1, "matrix-", 7)) {
		char parent[2048];
		snprintf(parent, sizeof parent, "%.*s", (int)(slash - out), out);
		int keep = run_keep();
		report_prune(parent, keep < 0 ? 20 : keep, slash + 1);
	}
	for (int r = 0; r < m.nrules; r++)
		free((void *)m.rules[r]);
	free((void *)m.rules);
	free((void *)m.ids);
	free(note_text);
	for (int c = 0; c < m.ncols; c++)
		run_free(&m.cols[c].run);
	return rc;
}
