/* The rules a case checks, as every report shows them: each id linked to its
 * section of docs/rules.md, and what the rule says in one line, taken from
 * that section's heading when the report tool is built (rule_titles.inc, by
 * cmake/RuleTitles.cmake), so a reader need not open the catalogue (a
 * browser shows a linked .md file as plain text, without jumping to the
 * rule) and the words cannot drift from it. */
#include <stdlib.h>
#include <string.h>

#include "content.h"

static const struct {
	const char *id, *title;
} TITLES[] = {
#include "rule_titles.inc"
};

enum { ID_MAX = 32 };

/* The next id of a rule list ("C, D" -> "C", then "D"); false at its end. */
static bool next_id(const char **p, char *id, size_t n)
{
	*p += strspn(*p, ", ");
	size_t len = strcspn(*p, ", ");
	if (!len)
		return false;
	snprintf(id, n, "%.*s", (int)(len < n ? len : n - 1), *p);
	*p += len;
	return true;
}

/* "E4" and "E" are letter E's; the S items each have their own ("S2"). */
static bool catalogued(const char *id) { return id[0] >= 'A' && id[0] <= 'Z' && (id[1] == '\0' || (id[1] >= '0' && id[1] <= '9')); }

void rule_group(const char *id, char *out, size_t n)
{
	if (!catalogued(id))
		snprintf(out, n, "%s", id);
	else if (id[0] == 'S' && id[1])
		snprintf(out, n, "S%d", atoi(id + 1));
	else
		snprintf(out, n, "%c", id[0]);
}

const char *rule_title(const char *id)
{
	char group[ID_MAX];
	rule_group(id, group, sizeof group);
	for (size_t i = 0; i < sizeof TITLES / sizeof TITLES[0]; i++)
		if (!strcmp(TITLES[i].id, group))
			return TITLES[i].title;
	return NULL;
}

int rule_order(const char *group)
{
	size_t i = 0;
	while (i < sizeof TITLES / sizeof TITLES[0] && strcmp(TITLES[i].id, group))
		i++;
	return (int)i;
}

void first_rule(const char *rule, char *out, size_t n)
{
	const char *p = rule ? rule : "";
	if (!next_id(&p, out, n))
		snprintf(out, n, "?");
}

/* "C, D" -> each id linked to its letter's section of docs/rules.md. */
void rule_links(FILE *f, const char *rule, bool html)
{
	const char *p = rule && *rule ? rule : "?";
	while (*p) {
		size_t n = strcspn(p, ", ");
		if (n == 0) {
			fputc(*p++, f);
			continue;
		}
		char id[ID_MAX];
		snprintf(id, sizeof id, "%.*s", (int)(n < sizeof id ? n : sizeof id - 1), p);
		const char *title = catalogued(id) ? rule_title(id) : NULL;
		if (catalogued(id) && html) {
			fprintf(f, "<a href=\"%s/rules.md#rule-%c\"", docs_url(), id[0]);
			if (title) {
				fputs(" title=\"", f);
				put_html(f, title);
				fputc('"', f);
			}
			fprintf(f, ">%s</a>", id);
		} else if (catalogued(id)) {
			fprintf(f, "[%s](%s/rules.md#rule-%c)", id, docs_url(), id[0]);
		} else {
			fputs(id, f);
		}
		p += n;
	}
}

/* "C — Writing: the notes' write table; D — SIGPIPE and EPIPE": each
 * catalogue entry once ("K, K1" is K's); "" when none is catalogued. */
const char *rule_statement(const char *rule, char *buf, size_t n)
{
	const char *p = rule ? rule : "";
	char id[ID_MAX], group[ID_MAX], seen[8][ID_MAX];
	int nseen = 0;
	size_t used = 0;
	buf[0] = '\0';
	while (next_id(&p, id, sizeof id) && used < n) {
		const char *title = rule_title(id);
		rule_group(id, group, sizeof group);
		bool dup = false;
		for (int i = 0; i < nseen; i++)
			dup = dup || !strcmp(seen[i], group);
		if (!title || dup || nseen >= (int)(sizeof seen / sizeof seen[0]))
			continue;
		snprintf(seen[nseen++], ID_MAX, "%s", group);
		used += (size_t)snprintf(buf + used, n - used, "%s%s — %s", used ? "; " : "", group, title);
	}
	return buf;
}
