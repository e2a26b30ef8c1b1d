/* compare: the measured values that differ between runs (a pipe's capacity,
 * pipe-max-size, how many exclusive epoll waiters one write wakes), case by
 * case: a kernel developer compares kernels by them, and a verdict alone
 * hides them.  Timings (microseconds, clock ticks) differ on every run and
 * say nothing of the implementation: they are left out. */
#include <string.h>

#include "compare.h"
#include "content.h"

static bool timing(const char *unit)
{
	return unit && (!strcmp(unit, "microseconds") || !strcmp(unit, "clock ticks"));
}

/* run i's value of key in case id: "65536 bytes", or "" when it has none */
static const char *value(const struct run *r, const char *id, const char *key, char *buf, size_t n)
{
	const struct rec *x = run_find(r, id);
	const cJSON *v = x ? cJSON_GetObjectItem(cJSON_GetObjectItem(x->j, "measured"), key) : NULL;
	const cJSON *num = cJSON_GetObjectItem(v, "value");
	const char *unit = cJSON_GetStringValue(cJSON_GetObjectItem(v, "unit"));
	buf[0] = '\0';
	if (cJSON_IsNumber(num))
		snprintf(buf, n, "%.15g%s%s", num->valuedouble, unit ? " " : "", unit ? unit : "");
	return buf;
}

static bool differs(struct run *runs, int n, const char *id, const char *key)
{
	char first[128] = "", one[128];
	bool seen = false;
	for (int i = 0; i < n; i++) {
		if (!*value(&runs[i], id, key, one, sizeof one))
			continue;
		if (!seen) {
			snprintf(first, sizeof first, "%s", one);
			seen = true;
		} else if (strcmp(first, one))
			return true;
	}
	return false;
}

static void value_row(struct run *runs, int n, const char *id, const char *key, FILE *m, FILE *h)
{
	char one[128];
	fprintf(m, "| `%s` | ", id);
	put_md(m, key);
	fputs(" |", m);
	fputs("<tr><td><code>", h);
	put_html(h, id);
	fputs("</code></td><td>", h);
	put_html(h, key);
	fputs("</td>", h);
	for (int i = 0; i < n; i++) {
		const char *v = *value(&runs[i], id, key, one, sizeof one) ? one : "—";
		fputc(' ', m);
		put_md(m, v);
		fputs(" |", m);
		fputs("<td>", h);
		put_html(h, v);
		fputs("</td>", h);
	}
	fputs("\n", m);
	fputs("</tr>\n", h);
}

int compare_values(struct run *runs, int n, const char **ids, int nid, FILE *m, FILE *h)
{
	int count = 0;
	char buf[512];
	for (int k = 0; k < nid; k++)
		for (int i = 0; i < n; i++) {
			const struct rec *x = run_find(&runs[i], ids[k]);
			const cJSON *v, *measured = x ? cJSON_GetObjectItem(x->j, "measured") : NULL;
			cJSON_ArrayForEach(v, measured)
			{
				bool earlier = false; /* the key was seen in an earlier run's record */
				for (int e = 0; e < i && !earlier; e++) {
					const struct rec *y = run_find(&runs[e], ids[k]);
					earlier = y && cJSON_GetObjectItem(cJSON_GetObjectItem(y->j, "measured"), v->string);
				}
				if (earlier || timing(cJSON_GetStringValue(cJSON_GetObjectItem(v, "unit"))) ||
				    !differs(runs, n, ids[k], v->string))
					continue;
				if (!count++) {
					fputs("\n## Measured values that differ\n\nImplementation-defined values the cases "
					      "measured, where the runs measured different ones (timings left out). They "
					      "never fail a case.\n\n| case | value |", m);
					fputs("<h2 id=\"measured\">Measured values that differ</h2><p>Implementation-defined "
					      "values the cases measured, where the runs measured different ones (timings left "
					      "out). They never fail a case.</p><table><tr><th>case</th><th>value</th>", h);
					for (int r = 0; r < n; r++) {
						fprintf(m, " %s |", compare_label(&runs[r], buf, sizeof buf));
						fputs("<th>", h);
						put_html(h, buf);
						fputs("</th>", h);
					}
					fputs("\n|---|---|", m);
					for (int r = 0; r < n; r++)
						fputs("---|", m);
					fputs("\n", m);
					fputs("</tr>\n", h);
				}
				value_row(runs, n, ids[k], v->string, m, h);
			}
		}
	if (count)
		fputs("</table>\n", h);
	return count;
}

/* Each run's system, one row a field: two runs of one kernel with other
 * settings (pipe-max-size, the guest's sysctls) must not look alike. */
void compare_systems(struct run *runs, int n, FILE *m, FILE *h)
{
	static const char *const label[] = { "kernel", "libc", "arch", "target", "settings", "configuration" };
	char buf[512];
	fputs("\n## Runs\n\n| |", m);
	fputs("<h2 id=\"runs\">Runs</h2><table><tr><th></th>", h);
	for (int i = 0; i < n; i++) {
		fprintf(m, " %s |", runs[i].id);
		fputs("<th>", h);
		put_html(h, runs[i].id);
		fputs("</th>", h);
	}
	fputs("\n|---|", m);
	for (int i = 0; i < n; i++)
		fputs("---|", m);
	fputs("\n", m);
	fputs("</tr>\n", h);
	for (size_t f = 0; f < sizeof label / sizeof label[0]; f++) {
		fprintf(m, "| %s |", label[f]);
		fprintf(h, "<tr><td>%s</td>", label[f]);
		for (int i = 0; i < n; i++) {
			const struct run *r = &runs[i];
			switch (f) {
			case 0: snprintf(buf, sizeof buf, "%s %s", sys_str(r, "kernel"), sys_str(r, "release")); break;
			case 1: snprintf(buf, sizeof buf, "%s %s", sys_str(r, "libc"), sys_str(r, "libc_version")); break;
			case 2: snprintf(buf, sizeof buf, "%s", sys_str(r, "arch")); break;
			case 3: snprintf(buf, sizeof buf, "%s", sys_str(r, "target")); break;
			case 4: snprintf(buf, sizeof buf, "%s", sys_str(r, "settings")); break;
			default:
				if (!*run_config(r, buf, sizeof buf))
					snprintf(buf, sizeof buf, "-");
				break;
			}
			fputc(' ', m);
			put_md(m, buf);
			fputs(" |", m);
			fputs("<td>", h);
			put_html(h, buf);
			fputs("</td>", h);
		}
		fputs("\n", m);
		fputs("</tr>\n", h);
	}
	fputs("</table>\n", h);
}
