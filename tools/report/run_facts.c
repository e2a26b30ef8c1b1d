/* The report's links into the clone's docs, and the summary's line on how
 * blocking was proven: two facts about a whole run, not about one field. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "content.h"

static char docs_rel[4096];

void docs_url_from(const char *report_dir)
{
	/* The docs of the clone this tool was built from, as a path relative to
	 * the report's folder (reports may go anywhere: PIPELAB_REPORTS_DIR). */
	char from[PATH_MAX + 1], to[PATH_MAX + 1];
	docs_rel[0] = '\0';
	if (!realpath(report_dir, from) || !realpath(PIPELAB_SOURCE_DIR "/docs", to))
		return;
	size_t lf = strlen(from), lt = strlen(to); /* realpath: both below PATH_MAX, room for one '/' */
	from[lf] = '/';
	from[lf + 1] = '\0';
	to[lt] = '/';
	to[lt + 1] = '\0';
	size_t common = 0; /* length of the shared leading components, up to a '/' */
	for (size_t i = 0; from[i] && from[i] == to[i]; i++)
		if (from[i] == '/')
			common = i + 1;
	size_t used = 0;
	for (const char *p = from + common; *p; p++)
		if (*p == '/' && used < sizeof docs_rel)
			used += (size_t)snprintf(docs_rel + used, sizeof docs_rel - used, "../");
	if (used < sizeof docs_rel)
		snprintf(docs_rel + used, sizeof docs_rel - used, "%.*s", (int)(strlen(to + common) - 1), to + common);
}

const char *docs_url(void)
{
	/* ./pipelab grade may set it for its own folders; otherwise the clone's
	 * docs, from where the report was written (docs_url_from). */
	const char *u = getenv("PIPELAB_DOCS_URL");
	if (u && *u)
		return u;
	return docs_rel[0] ? docs_rel : "../../docs";
}

/* "116 blocking proofs, all from /proc" or "... 44 by the weaker interrupt
 * probe (in 20 cases)": a summary must say when verdicts rest on the probe. */
const char *proof_summary(const struct run *r, char *buf, size_t n)
{
	int proc = 0, probe = 0, probe_cases = 0;
	for (int i = 0; i < r->n; i++) {
		int mine = 0;
		const cJSON *sc;
		cJSON_ArrayForEach(sc, cJSON_GetObjectItem(r->recs[i].j, "scenarios"))
		{
			const cJSON *b;
			cJSON_ArrayForEach(b, cJSON_GetObjectItem(sc, "blocking"))
			{
				const char *m = cJSON_GetStringValue(cJSON_GetObjectItem(b, "method"));
				if (m && !strcmp(m, "proc"))
					proc++;
				else
					mine++;
			}
		}
		probe += mine;
		probe_cases += mine > 0;
	}
	if (!probe && !proc)
		snprintf(buf, n, "no blocking proof in this run");
	else if (!probe)
		snprintf(buf, n, proc == 1 ? "%d blocking proof, from /proc" : "%d blocking proofs, all from /proc", proc);
	else
		snprintf(buf, n, "%d blocking proofs: %d from /proc, %d by the weaker interrupt probe (in %d %s)",
			 proc + probe, proc, probe, probe_cases, cases_word(probe_cases));
	return buf;
}
