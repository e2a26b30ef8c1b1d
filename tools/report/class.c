/* A class: every student's score per rule, side by side.
 *
 *   GRADE_DIR/students/NAME/evidence/    the student's evidence records
 *   GRADE_DIR/students/NAME/reports/latest/index.html   the student's report
 *   GRADE_DIR/students/NAME/library      the library path (one line)
 *   GRADE_DIR/students/NAME/reason       why nothing was judged (optional)
 *
 * writes GRADE_DIR/class.html, class.csv and students/NAME/results.json
 * (Gradescope's format). */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "class.h"
#include "content.h"

static char *first_line(const char *path)
{
	char *s = read_file(path);
	if (s)
		s[strcspn(s, "\r\n")] = '\0';
	return s;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct student *)a)->name, ((const struct student *)b)->name);
}

static void load_student(struct student *st, const char *root, const char *name, char **ids, int nids,
			 const struct weights *w)
{
	char path[2400];
	snprintf(st->name, sizeof st->name, "%s", name);
	snprintf(path, sizeof path, "%s/students/%s/library", root, name);
	st->library = first_line(path);
	snprintf(path, sizeof path, "%s/students/%s/reason", root, name);
	st->reason = first_line(path);
	snprintf(path, sizeof path, "%s/students/%s/evidence", root, name);
	if (!st->reason && access(path, R_OK) == 0 && run_load(&st->run, path) == 0) {
		st->loaded = true;
		if (st->run.n == 0)
			st->reason = strdup("no case ran (the suite stopped before its first case)");
	} else if (!st->reason)
		st->reason = strdup("no evidence: the run did not start");
	score_run(st->loaded ? &st->run : NULL, ids, nids, w, &st->score);
	/* A case with no record means the run was cut short (stopped, or the
	 * lab failed): its rules were never judged, so neither is the student. */
	int missing = 0, cases = 0;
	for (int i = 0; i < st->score.n; i++) {
		cases += st->score.rules[i].kinds;
		missing += st->score.rules[i].missing;
	}
	if (!st->reason && missing && asprintf(&st->reason,
					       "incomplete run (%d of %d cases have no record; see students/%s/ctest.log)",
					       missing, cases, name) < 0)
		st->reason = NULL;
	if (st->reason)
		st->score.got = 0;
	snprintf(path, sizeof path, "%s/students/%s/reports/latest/index.html", root, name);
	st->has_report = access(path, R_OK) == 0;
}

int class_load(struct class *c, const char *root, const char *cases, const char *weights)
{
	memset(c, 0, sizeof *c);
	if (weights_load(&c->w, weights) < 0)
		return fprintf(stderr, "pipelab-report: %s\n", c->w.error), -1;
	c->nids = cases_load(cases, &c->ids);
	if (c->nids < 0) {
		fprintf(stderr, "pipelab-report: cannot read the case list '%s'\n", cases);
		return -1;
	}
	char **rules = NULL;
	int nrules = rules_of_cases(c->ids, c->nids, &rules), bad = nrules && weights_check(&c->w, rules, nrules);
	cases_free(rules, nrules);
	if (bad)
		return fprintf(stderr, "pipelab-report: %s\n", c->w.error), -1;
	char dir[2100];
	snprintf(dir, sizeof dir, "%s/students", root);
	DIR *d = opendir(dir);
	if (!d) {
		fprintf(stderr, "pipelab-report: no students in '%s'\n", root);
		return -1;
	}
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		c->st = realloc(c->st, sizeof *c->st * (size_t)(c->n + 1));
		struct student *st = &c->st[c->n++];
		memset(st, 0, sizeof *st);
		load_student(st, root, e->d_name, c->ids, c->nids, &c->w);
	}
	closedir(d);
	qsort(c->st, (size_t)c->n, sizeof *c->st, by_name);
	/* The rule columns: the suite's, or the union the students' runs hold. */
	for (int i = 0; i < c->n; i++)
		if (c->st[i].score.n > c->nrules) {
			c->nrules = c->st[i].score.n;
			c->rules = &c->st[i].score;
		}
	return 0;
}

void class_free(struct class *c)
{
	for (int i = 0; i < c->n; i++) {
		if (c->st[i].loaded)
			run_free(&c->st[i].run);
		score_free(&c->st[i].score);
		free(c->st[i].library);
		free(c->st[i].reason);
	}
	free(c->st);
	cases_free(c->ids, c->nids);
	weights_free(&c->w);
	memset(c, 0, sizeof *c);
}

const struct rule_result *student_rule(const struct student *st, const char *rule)
{
	for (int i = 0; i < st->score.n; i++)
		if (!strcmp(st->score.rules[i].id, rule))
			return &st->score.rules[i];
	return NULL;
}

bool student_passes(const struct student *st, const char *rule)
{
	const struct rule_result *x = student_rule(st, rule);
	return !st->reason && x && rule_passed(x);
}

static void csv_field(FILE *f, const char *s)
{
	fputc('"', f);
	for (; s && *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s == '\n' ? ' ' : *s, f);
	}
	fputc('"', f);
}

int render_class_csv(const struct class *c, const char *path)
{
	FILE *f = fopen(path, "we");
	if (!f)
		return -1;
	fputs("student,score,max_score,library,not_judged_because", f);
	for (int k = 0; k < c->nrules; k++)
		fprintf(f, ",%s", c->rules->rules[k].id);
	/* Each rule's weight, so that a student's score is this row times theirs. */
	char note[1100];
	snprintf(note, sizeof note, "weights: %s", c->w.source);
	fprintf(f, "\n\"(weight)\",%g,%g,\"\",", c->nrules ? c->rules->max : 0, c->nrules ? c->rules->max : 0);
	csv_field(f, note);
	for (int k = 0; k < c->nrules; k++)
		fprintf(f, ",%g", c->rules->rules[k].weight);
	fputc('\n', f);
	for (int i = 0; i < c->n; i++) {
		const struct student *st = &c->st[i];
		csv_field(f, st->name);
		fprintf(f, ",%g,%g,", st->score.got, st->score.max);
		csv_field(f, st->library);
		fputc(',', f);
		csv_field(f, st->reason);
		for (int k = 0; k < c->nrules; k++)
			fprintf(f, ",%d", student_passes(st, c->rules->rules[k].id));
		fputc('\n', f);
	}
	return fclose(f);
}

int class_main(int argc, char **argv)
{
	const char *root = NULL, *cases = NULL, *weights = NULL;
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--cases") && i + 1 < argc)
			cases = argv[++i];
		else if (!strcmp(argv[i], "--weights") && i + 1 < argc)
			weights = argv[++i];
		else if (!root)
			root = argv[i];
		else {
			fprintf(stderr, "pipelab-report class: unexpected argument '%s'\n", argv[i]);
			return 2;
		}
	}
	if (!root) {
		fputs("usage: pipelab-report class GRADE_DIR [--cases FILE] [--weights FILE]\n", stderr);
		return 2;
	}
	struct class c;
	if (class_load(&c, root, cases, weights) < 0)
		return 2;
	int bad = 0, judged = 0;
	char path[2400];
	for (int i = 0; i < c.n; i++) {
		const struct student *st = &c.st[i];
		snprintf(path, sizeof path, "%s/students/%s/results.json", root, st->name);
		bad |= write_gradescope(path, st->name, &st->score, st->reason);
		judged += !st->reason;
	}
	snprintf(path, sizeof path, "%s/class.csv", root);
	bad |= render_class_csv(&c, path);
	snprintf(path, sizeof path, "%s/class.html", root);
	bad |= render_class_html(&c, path);
	if (bad)
		fprintf(stderr, "pipelab-report: writing the class report into '%s' failed\n", root);
	else
		printf("pipelab: %d %s on %d rules (weights: %s): %d judged, %d not judged\n", c.n,
		       c.n == 1 ? "student" : "students", c.nrules, c.w.source, judged, c.n - judged);
	for (int i = 0; !bad && i < c.n; i++)
		if (c.st[i].reason)
			printf("pipelab:   not judged: %s (%s)\n", c.st[i].name, c.st[i].reason);
	int all_full = c.n > 0;
	for (int i = 0; i < c.n; i++)
		all_full = all_full && !c.st[i].reason && c.st[i].score.got == c.st[i].score.max;
	class_free(&c);
	return bad ? 2 : all_full ? 0 : 1;
}

/* One submission, for an autograder: results.json from one evidence dir. */
int gradescope_main(int argc, char **argv)
{
	const char *dir = NULL, *cases = NULL, *weights = NULL, *reason = NULL, *name = "submission", *out = NULL;
	for (int i = 0; i < argc; i++) {
		const char **opt = !strcmp(argv[i], "--cases")	   ? &cases
				   : !strcmp(argv[i], "--weights") ? &weights
				   : !strcmp(argv[i], "--reason")  ? &reason
				   : !strcmp(argv[i], "--name")	   ? &name
				   : !strcmp(argv[i], "--out")	   ? &out
								   : NULL;
		if (opt && i + 1 < argc)
			*opt = argv[++i];
		else if (!opt && !dir)
			dir = argv[i];
		else
			return fputs("pipelab-report gradescope: bad arguments\n", stderr), 2;
	}
	if (!dir || !out) {
		fputs("usage: pipelab-report gradescope EVIDENCE_DIR --out results.json [--cases FILE] [--weights FILE]"
		      " [--reason TEXT] [--name NAME]\n",
		      stderr);
		return 2;
	}
	struct weights w;
	char **ids;
	if (weights_load(&w, weights) < 0)
		return fprintf(stderr, "pipelab-report: %s\n", w.error), 2;
	int nids = cases_load(cases, &ids);
	struct run r;
	bool loaded = !reason && access(dir, R_OK) == 0 && run_load(&r, dir) == 0;
	if (!reason && (!loaded || r.n == 0))
		reason = "no case ran";
	struct score s;
	score_run(loaded ? &r : NULL, ids, nids < 0 ? 0 : nids, &w, &s);
	int rc = write_gradescope(out, name, &s, reason);
	printf("pipelab: %s: score %g of %g%s%s\n", name, reason ? 0 : s.got, s.max, reason ? ": " : "",
	       reason ? reason : "");
	bool full = !reason && s.got == s.max;
	score_free(&s);
	if (loaded)
		run_free(&r);
	cases_free(ids, nids < 0 ? 0 : nids);
	weights_free(&w);
	return rc ? 2 : full ? 0 : 1;
}
