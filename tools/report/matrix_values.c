/* pipelab-report matrix: the implementation-defined values each target
 * measured or recorded, one row a value, so a difference shows at a glance. */
#include <string.h>

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

struct value_row {
	const char *label, *key;
	bool is_measured; /* else: a string field anywhere in the records */
};

static const struct value_row value_rows[] = {
	{ "capacity (bytes, by filling)", "capacity_by_filling", true },
	{ "default F_GETPIPE_SZ (bytes)", "default F_GETPIPE_SZ", true },
	{ "PIPE_BUF (bytes)", "PIPE_BUF", true },
	{ "page size (bytes)", "page size", true },
	{ "blocking proof method", "method", false },
	{ "wchan names", "wchan", false },
	{ "kernel", "release", false },
	{ "arch", "arch", false },
	{ "libc", "libc", false },
};

static void value_of(const struct run *r, const struct value_row *row, char *out, size_t n)
{
	out[0] = '\0';
	if (row->is_measured)
		measured(r, row->key, out, n);
	else
		for (int i = 0; i < r->n; i++)
			walk(r->recs[i].j, row->key, out, n);
	if (!out[0])
		snprintf(out, n, "-");
}

void matrix_values(const struct matrix *m, FILE *md, FILE *h)
{
	char value[VALUE_LEN];
	fputs("\n## Implementation-defined values (measured)\n\n", md);
	fputs("<h2>Implementation-defined values (measured)</h2>\n", h);
	matrix_head(h, md, m, "value");
	for (size_t v = 0; v < sizeof value_rows / sizeof value_rows[0]; v++) {
		fprintf(md, "| %s |", value_rows[v].label);
		fputs("<tr><td>", h);
		put_html(h, value_rows[v].label);
		fputs("</td>", h);
		for (int c = 0; c < m->ncols; c++) {
			if (m->cols[c].broken[0])
				snprintf(value, sizeof value, "—");
			else
				value_of(&m->cols[c].run, &value_rows[v], value, sizeof value);
			fputc(' ', md);
			put_md(md, value);
			fputs(" |", md);
			fputs("<td>", h);
			put_html(h, value);
			fputs("</td>", h);
		}
		fputs("\n", md);
		fputs("</tr>\n", h);
	}
	fputs("</table>\n", h);
}
