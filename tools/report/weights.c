/* Weights files: "PATTERN WEIGHT" lines (docs/grading.md), read once,
 * checked against the suite's rules before anything is graded, and the
 * `pipelab-report weights` command grade.sh and autograder.sh ask. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "content.h"
#include "score.h"

static int fail(struct weights *w, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(w->error, sizeof w->error, fmt, ap);
	va_end(ap);
	return -1;
}

static int add(struct weights *w, const char *pat, double v, int line)
{
	char **pats = realloc(w->pat, sizeof *w->pat * (size_t)(w->n + 1));
	if (pats)
		w->pat = pats;
	double *ws = realloc(w->w, sizeof *w->w * (size_t)(w->n + 1));
	if (ws)
		w->w = ws;
	int *lines = realloc(w->line, sizeof *w->line * (size_t)(w->n + 1));
	if (lines)
		w->line = lines;
	if (!pats || !ws || !lines || !(w->pat[w->n] = strdup(pat)))
		return fail(w, "out of memory");
	w->w[w->n] = v;
	w->line[w->n++] = line;
	return 0;
}

/* One line: the pattern, the weight, then at most a # comment.  A '*'
 * anywhere but at the end would never match (patterns are prefixes). */
static int parse_line(struct weights *w, const char *path, int no, const char *p)
{
	char pat[256];
	double v;
	int used = 0;
	if (sscanf(p, "%255s %lf%n", pat, &v, &used) != 2 || v < 0)
		return fail(w, "%s:%d: expected \"RULE-OR-PREFIX* WEIGHT\" (a weight >= 0)", path, no);
	const char *rest = p + used + strspn(p + used, " \t\r\n");
	if (*rest && *rest != '#')
		return fail(w, "%s:%d: unexpected '%.*s' after the weight (a comment starts with #)", path, no,
			    (int)strcspn(rest, "\r\n"), rest);
	const char *star = strchr(pat, '*');
	if (star && star[1])
		return fail(w, "%s:%d: '%s': a '*' may only end a pattern (a prefix of rule ids)", path, no, pat);
	return add(w, pat, v, no);
}

int weights_load(struct weights *w, const char *path)
{
	memset(w, 0, sizeof *w);
	snprintf(w->source, sizeof w->source, "%s", path ? path : "default");
	if (!path)
		return 0;
	FILE *f = fopen(path, "re");
	if (!f)
		return fail(w, "cannot read the weights file '%s'", path);
	char line[512];
	int no = 0, rc = 0;
	while (!rc && fgets(line, sizeof line, f)) {
		no++;
		const char *p = line + strspn(line, " \t\r");
		if (*p != '#' && *p != '\n' && *p)
			rc = parse_line(w, path, no, p);
	}
	fclose(f);
	if (rc) {
		char why[sizeof w->error];
		memcpy(why, w->error, sizeof why);
		weights_free(w);
		memcpy(w->error, why, sizeof why);
	}
	return rc;
}

void weights_free(struct weights *w)
{
	for (int i = 0; i < w->n; i++)
		free(w->pat[i]);
	free(w->pat);
	free(w->w);
	free(w->line);
	w->pat = NULL;
	w->w = NULL;
	w->line = NULL;
	w->n = 0;
}

bool weights_match(const struct weights *w, int i, const char *rule)
{
	size_t n = strlen(w->pat[i]);
	if (n && w->pat[i][n - 1] == '*')
		return !strncmp(w->pat[i], rule, n - 1);
	return !strcmp(w->pat[i], rule);
}

double weight_of(const struct weights *w, const char *rule)
{
	/* Claims judge the notes, not the implementation: out of the score by default. */
	double v = !strncmp(rule, "claims/", 7) ? 0 : 1;
	for (int i = 0; i < w->n; i++)
		if (weights_match(w, i, rule))
			v = w->w[i];
	return v;
}

int weights_count(const struct weights *w, int i, char *const *rules, int nrules)
{
	int n = 0;
	for (int k = 0; k < nrules; k++)
		n += weights_match(w, i, rules[k]);
	return n;
}

/* A line that matches nothing is a typo ("wirte/..." for "write/...") or a topic named
 * without its '*' ("splice"): grading with it would quietly score as if it
 * were not there, so it is refused. */
int weights_check(struct weights *w, char *const *rules, int nrules)
{
	for (int i = 0; i < w->n; i++) {
		if (weights_count(w, i, rules, nrules))
			continue;
		const char *p = w->pat[i];
		size_t n = strlen(p);
		bool prefix = false;
		for (int k = 0; k < nrules && !prefix && p[n - 1] != '*'; k++)
			prefix = !strncmp(rules[k], p, n);
		return fail(w, "%s:%d: '%s' matches no rule of the suite%s%s%s (./pipelab grade --list-rules lists them)",
			    w->source, w->line[i], p, prefix ? "; did you mean '" : "", prefix ? p : "", prefix ? "*'?" : "");
	}
	return 0;
}

static int by_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int rules_of_cases(char **ids, int nids, char ***rules)
{
	*rules = calloc((size_t)nids + 1, sizeof **rules);
	if (!*rules)
		return 0;
	int n = 0;
	for (int i = 0; i < nids; i++) {
		char rule[160];
		rule_of(ids[i], rule, sizeof rule);
		char *copy = strdup(rule);
		if (copy)
			(*rules)[n++] = copy;
	}
	qsort(*rules, (size_t)n, sizeof **rules, by_str);
	int m = 0; /* each rule once: its kinds are adjacent once sorted */
	for (int i = 0; i < n; i++) {
		if (m && !strcmp((*rules)[m - 1], (*rules)[i]))
			free((*rules)[i]);
		else
			(*rules)[m++] = (*rules)[i];
	}
	return m;
}

/* pipelab-report weights [FILE] --cases CASES [--list]: exit 0 when every
 * line of FILE parses and matches a rule of the suite, else the one line
 * that does not on stderr, exit 2.  --list: each rule and its weight. */
int weights_main(int argc, char **argv)
{
	const char *file = NULL, *cases = NULL;
	bool list = false;
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--cases") && i + 1 < argc)
			cases = argv[++i];
		else if (!strcmp(argv[i], "--list"))
			list = true;
		else if (!file && argv[i][0] != '-')
			file = argv[i];
		else
			return fputs("usage: pipelab-report weights [FILE] --cases CASES [--list]\n", stderr), 2;
	}
	char **ids = NULL, **rules = NULL;
	int nids = cases ? cases_load(cases, &ids) : -1;
	if (nids <= 0)
		return fprintf(stderr, "the suite's case list '%s' is missing or empty\n", cases ? cases : ""), 2;
	int nrules = rules_of_cases(ids, nids, &rules);
	struct weights w;
	int rc = weights_load(&w, file) < 0 || weights_check(&w, rules, nrules) < 0 ? 2 : 0;
	if (rc)
		fprintf(stderr, "%s\n", w.error);
	for (int k = 0; list && !rc && k < nrules; k++)
		printf("%-60s %g\n", rules[k], weight_of(&w, rules[k]));
	weights_free(&w);
	cases_free(rules, nrules);
	cases_free(ids, nids);
	return rc;
}
