/* pipelab-report matrix: the implementation-defined values each target
 * measured or recorded, one row a value, so a difference shows at a glance. */
#include <string.h>

#include "content.h"
#include "matrix.h"

/* Implementation-defined values: distinct values of a measured key, or of a
 * string field anywhere in the records (proof method, wchan). */
static void add_value(char *out, size_t n, const char *v)
{
	size_t len = strlen(v);
	for (const char *p = out; (p = strstr(p, v)); p += len)
		if ((p == out || p[-1] == ' ') && (p[len] == ',' || p[len] == '\0'))
			return;
	size_t used = strlen(out);
	snprintf(out + used, n - used, "%s%s", used ? ", " : "", v);
}

static void walk(const cJSON *j, const char *key, char *out, size_t n)
{
	for (const cJSON *c = j ? j->child : NULL; c; c = c->next) {
		if (c->string && !strcmp(c->string, key) && cJSON_IsString(c))
			add_value(out, n, c->valuestring);
		walk(c, key, out, n);
	}
}

static void measured(const struct run *r, const char *key, char *out, size_t n)
{
	out[0] = '\0';
	for (int i = 0; i < r->n; i++) {
		const cJSON *v = cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(r->recs[i].j, "measured"), key), "value");
		if (cJSON_IsNumber(v)) {
			char num[32];
			snprintf(num, sizeof num, "%.0f", v->valuedouble);
			add_value(out, n, num);
		}
	}
}

/* Where a row's value comes from. */
enum source {
	MEASURED, /* a measured key of any record */
	FIELD,    /* a string field anywhere in the records (proof method, wchan) */
	LIBC,     /* the records' system: "glibc 2.36" */
	CONFIG,   /* the run's configuration (a VM's guest sysctls, its kernel command line) */
};

struct value_row {
	const char *label, *key;
	enum source from;
};

/* docs/rules.md S2: the edge-triggered re-wake and the EPOLLEXCLUSIVE wake
 * count changed between kernel releases, so the matrix is where they are
 * compared; the limits are as the actors saw them (root's are not an
 * ordinary user's). */
static const struct value_row value_rows[] = {
	{ "capacity (bytes, by filling)", "capacity_by_filling", MEASURED },
	{ "default F_GETPIPE_SZ (bytes)", "default F_GETPIPE_SZ", MEASURED },
	{ "PIPE_BUF (bytes)", "PIPE_BUF", MEASURED },
	{ "page size (bytes)", "page size", MEASURED },
	{ "pipe-max-size (bytes, as the actors saw it)", "pipe-max-size", MEASURED },
	{ "pipe-user-pages-soft (pages, as seen)", "pipe-user-pages-soft", MEASURED },
	{ "pipe-user-pages-hard (pages, as seen)", "pipe-user-pages-hard", MEASURED },
	{ "capacity of a pipe made past the soft limit (bytes)", "capacity of a pipe made past the soft limit", MEASURED },
	{ "epoll: edge-triggered waiter woken again by a write into a non-empty pipe (1 yes, 0 no)",
	  "edge-triggered waiter woken by a write into a non-empty pipe", MEASURED },
	{ "epoll: EPOLLEXCLUSIVE waiters returning from one write (of 4 asleep)",
	  "exclusive epoll waiters returning from one write (of 4 asleep)", MEASURED },
	{ "epoll: writes to wake 4 EPOLLEXCLUSIVE waiters", "writes to wake 4 exclusive epoll waiters", MEASURED },
	{ "blocking proof method", "method", FIELD },
	{ "wchan names", "wchan", FIELD },
	{ "kernel", "release", FIELD },
	{ "arch", "arch", FIELD },
	{ "libc", "libc", LIBC },
	{ "settings", "settings", FIELD },
	{ "configuration", "config", CONFIG },
};

static void value_of(const struct run *r, const struct value_row *row, char *out, size_t n)
{
	out[0] = '\0';
	char libc[160];
	if (row->from == CONFIG)
		run_config(r, out, n);
	for (int i = 0; i < r->n && (row->from == FIELD || row->from == LIBC); i++) {
		const cJSON *sys = cJSON_GetObjectItem(r->recs[i].j, "system");
		if (row->from == FIELD)
			walk(r->recs[i].j, row->key, out, n);
		else if (cJSON_GetStringValue(cJSON_GetObjectItem(sys, "libc"))) {
			const char *version = cJSON_GetStringValue(cJSON_GetObjectItem(sys, "libc_version"));
			snprintf(libc, sizeof libc, "%s %s", cJSON_GetStringValue(cJSON_GetObjectItem(sys, "libc")),
				 version ? version : "(version unknown)");
			add_value(out, n, libc);
		}
	}
	if (row->from == MEASURED)
		measured(r, row->key, out, n);
	if (!out[0])
		snprintf(out, n, "-");
}

/* A value unlike the reference column's is marked: a difference shows at a
 * glance, though it never fails anything. */
void matrix_values(const struct matrix *m, FILE *md, FILE *h)
{
	char value[VALUE_LEN], ref[VALUE_LEN];
	fputs("\n## Implementation-defined values (measured)\n\nA value unlike the reference column's is in bold "
	      "(marked); these values never fail a case.\n\n", md);
	fputs("<h2>Implementation-defined values (measured)</h2>\n<p>A value unlike the reference column's is "
	      "marked; these values never fail a case.</p>\n", h);
	matrix_head(h, md, m, "value");
	for (size_t v = 0; v < sizeof value_rows / sizeof value_rows[0]; v++) {
		fprintf(md, "| %s |", value_rows[v].label);
		fputs("<tr><td>", h);
		put_html(h, value_rows[v].label);
		fputs("</td>", h);
		value_of(&m->cols[m->ref].run, &value_rows[v], ref, sizeof ref);
		for (int c = 0; c < m->ncols; c++) {
			if (m->cols[c].broken[0])
				snprintf(value, sizeof value, "—");
			else
				value_of(&m->cols[c].run, &value_rows[v], value, sizeof value);
			bool differs = !m->cols[c].broken[0] && strcmp(value, ref);
			fputs(differs ? " **" : " ", md);
			put_md(md, value);
			fputs(differs ? "** |" : " |", md);
			fputs(differs ? "<td class=\"expl\">" : "<td>", h);
			put_html(h, value);
			fputs("</td>", h);
		}
		fputs("\n", md);
		fputs("</tr>\n", h);
	}
	fputs("</table>\n", h);
}
