/* The cases a run selected (run.json's "selected", from ctest's listing)
 * are ctest's entries, except a group's entry (pipelab-launch --group),
 * which stands for its variants; run.c's run_merge_selected gives each a
 * record when it has none. */
#include "run.h"

#include <regex.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* PIPELAB_CASES / PIPELAB_CASES_EXCLUDE, as pipelab-launch reads them. */
static bool env_matches(const char *env, const char *id, bool if_unset)
{
	const char *re = getenv(env);
	regex_t rx;
	if (!re || !*re || regcomp(&rx, re, REG_EXTENDED | REG_NOSUB) != 0)
		return if_unset;
	bool m = regexec(&rx, id, 0, NULL, 0) == 0;
	regfree(&rx);
	return m;
}

void run_add_selected(cJSON *names, const cJSON *test)
{
	const char *name = cJSON_GetStringValue(cJSON_GetObjectItem(test, "name"));
	const cJSON *cmd = cJSON_GetObjectItem(test, "command"), *a;
	bool group = false;
	cJSON_ArrayForEach(a, cmd)
	{
		const char *s = cJSON_GetStringValue(a), *id = a->next ? cJSON_GetStringValue(a->next) : NULL;
		if (s && !strcmp(s, "--"))
			break;
		if (!s || strcmp(s, "--case") != 0 || !id)
			continue;
		group = true;
		if (env_matches("PIPELAB_CASES", id, true) && !env_matches("PIPELAB_CASES_EXCLUDE", id, false))
			cJSON_AddItemToArray(names, cJSON_CreateString(id));
	}
	if (!group && name)
		cJSON_AddItemToArray(names, cJSON_CreateString(name));
}
