/* A case's evidence record: the JSON file the reports are made from. */
#include "proof.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <gnu/libc-version.h>
#endif

cJSON *pl_step_json(const struct pl_step *s)
{
	char out[64], what[sizeof s->what], data[sizeof s->preview];
	pl_bounded(s->what, sizeof s->what, what, sizeof what);
	pl_bounded(s->preview, sizeof s->preview, data, sizeof data);
	cJSON *j = cJSON_CreateObject();
	cJSON_AddStringToObject(j, "op", s->op == PL_OP_CALL ? what : pl_op_name(s->op));
	if (s->fd >= 0)
		cJSON_AddNumberToObject(j, "fd", s->fd);
	if (s->op == PL_OP_READ || s->op == PL_OP_WRITE)
		cJSON_AddNumberToObject(j, "size", (double)s->arg);
	if (what[0] && s->op != PL_OP_CALL)
		cJSON_AddStringToObject(j, "detail", what);
	cJSON_AddStringToObject(j, "result", pl_step_outcome(s, out, sizeof out));
	if (s->done) {
		cJSON_AddNumberToObject(j, "ret", (double)s->ret);
		if (s->ret < 0)
			cJSON_AddStringToObject(j, "errno", pl_errno_name(s->err));
	}
	if (data[0])
		cJSON_AddStringToObject(j, "data", data);
	if (s->probe_eintr)
		cJSON_AddBoolToObject(j, "interrupted_by_probe", 1);
	cJSON_AddNumberToObject(j, "t_enter_ns", (double)s->t_enter_ns);
	if (s->done)
		cJSON_AddNumberToObject(j, "t_exit_ns", (double)s->t_exit_ns);
	return j;
}

long pl_fs_sysctl(const char *name)
{
	char path[80];
	long v = -1;
	snprintf(path, sizeof path, "/proc/sys/fs/%s", name);
	FILE *f = fopen(path, "re");
	if (f && fscanf(f, "%ld", &v) != 1)
		v = -1;
	if (f)
		fclose(f);
	return v;
}

/* This process's effective capabilities (its actors', unless boxed). */
static unsigned long long effective_caps(void)
{
	char line[128];
	unsigned long long eff = 0;
	FILE *f = fopen("/proc/self/status", "re");
	while (f && fgets(line, sizeof line, f))
		if (sscanf(line, "CapEff: %llx", &eff) == 1)
			break;
	if (f)
		fclose(f);
	return eff;
}

/* What the measured values depend on beyond the kernel and libc: who the
 * actors run as (root's pipes are not capped by pipe-max-size or the
 * per-user page limits), those limits, and the deadlines' multiplier. */
static void add_settings(cJSON *s)
{
	/* pipe-max-size binds a process without CAP_SYS_RESOURCE; the per-user
	 * page limits one without CAP_SYS_RESOURCE and CAP_SYS_ADMIN. */
	enum { CAP_SYS_ADMIN_BIT = 21, CAP_SYS_RESOURCE_BIT = 24 };
	char who[128], line[400];
	pl_box_privilege(who, sizeof who);
	unsigned long long caps = pl_box_impl() && geteuid() == 0 ? 0 : effective_caps();
	bool resource = (caps >> CAP_SYS_RESOURCE_BIT) & 1, admin = (caps >> CAP_SYS_ADMIN_BIT) & 1;
	long max = pl_fs_sysctl("pipe-max-size"), soft = pl_fs_sysctl("pipe-user-pages-soft"),
	     hard = pl_fs_sysctl("pipe-user-pages-hard");
	cJSON_AddStringToObject(s, "actors_as", who);
	cJSON_AddBoolToObject(s, "actors_cap_sys_resource", resource);
	cJSON_AddBoolToObject(s, "actors_cap_sys_admin", admin);
	cJSON_AddNumberToObject(s, "pipe_max_size", (double)max);
	cJSON_AddNumberToObject(s, "pipe_user_pages_soft", (double)soft);
	cJSON_AddNumberToObject(s, "pipe_user_pages_hard", (double)hard);
	cJSON_AddNumberToObject(s, "timeout_mult", pl_timeout_mult());
	snprintf(line, sizeof line, "actors as %s%s; pipe-max-size %ld, pipe-user-pages-soft %ld, -hard %ld; deadlines x%g",
		 who,
		 resource ? ", with CAP_SYS_RESOURCE (pipe-max-size and the per-user page limits do not bind them)"
		 : admin  ? ", with CAP_SYS_ADMIN (the per-user page limits do not bind them)"
			  : "",
		 max, soft, hard, pl_timeout_mult());
	cJSON_AddStringToObject(s, "settings", line);
}

static char *system_json(void);

char *pl_system_json(void)
{
	/* The same for every record of a case process, and for the variants it
	 * forks (group_run.c asks once before the first): worked out once. */
	static char *once;
	if (!once)
		once = system_json();
	return strdup(once);
}

static char *system_json(void)
{
	struct utsname u;
	uname(&u);
	cJSON *s = cJSON_CreateObject();
	cJSON_AddStringToObject(s, "kernel", u.sysname);
	cJSON_AddStringToObject(s, "release", u.release);
	cJSON_AddStringToObject(s, "arch", u.machine);
#ifdef __GLIBC__
	cJSON_AddStringToObject(s, "libc", "glibc");
	cJSON_AddStringToObject(s, "libc_version", gnu_get_libc_version());
#elif defined(PIPELAB_LIBC_NAME) /* set by a toolchain file (musl names itself nowhere) */
	cJSON_AddStringToObject(s, "libc", PIPELAB_LIBC_NAME);
	cJSON_AddStringToObject(s, "libc_version", PIPELAB_LIBC_VERSION);
#else
	cJSON_AddStringToObject(s, "libc", "unknown");
	cJSON_AddStringToObject(s, "libc_version", "unknown");
#endif
	const char *target = getenv("PIPELAB_TARGET");
	const char *preload = getenv("PIPELAB_PRELOAD");
	const char *emulator = getenv("PIPELAB_EMULATOR");
	char t[600];
	if (target && *target)
		snprintf(t, sizeof t, "%s", target);
	else if (emulator && *emulator)
		snprintf(t, sizeof t, "emulator:%s", emulator);
	else if (preload && *preload)
		snprintf(t, sizeof t, "interposed:%s", preload);
	else
		snprintf(t, sizeof t, "native");
	cJSON_AddStringToObject(s, "target", t);
	if (preload && *preload)
		cJSON_AddStringToObject(s, "preload", preload);
	if (emulator && *emulator)
		cJSON_AddStringToObject(s, "emulator", emulator);
	cJSON_AddNumberToObject(s, "page_size", (double)sysconf(_SC_PAGESIZE));
	add_settings(s);
	char *out = cJSON_PrintUnformatted(s);
	cJSON_Delete(s);
	return out;
}

void pl_case_full_id(const pl_case *c, char *buf, size_t n)
{
	if (strchr(c->spec.id, '@') || c->kind == PL_NOKIND)
		snprintf(buf, n, "%s", c->spec.id);
	else
		snprintf(buf, n, "%s@%s", c->spec.id, pl_kind_name(c->kind));
}

static bool evidence_path(const pl_case *c, char *path, size_t n)
{
	const char *file = getenv("PIPELAB_EVIDENCE");
	if (file && *file) {
		snprintf(path, n, "%s", file);
		return true;
	}
	const char *dir = getenv("PIPELAB_RESULTS_DIR");
	if (!dir || !*dir)
		return false;
	char id[256];
	pl_case_full_id(c, id, sizeof id);
	for (char *p = id; *p; p++)
		if (*p == '/' || *p == '@')
			*p = '_';
	snprintf(path, n, "%s/%s.json", dir, id);
	return true;
}

/* The proofs of blocking that rest on the weaker interrupt probe, so a
 * report can say which verdicts lean on it: [{scenario, actor, call, why}]. */
static cJSON *probe_proofs(const cJSON *scenarios)
{
	cJSON *list = cJSON_CreateArray();
	const cJSON *sc, *b;
	cJSON_ArrayForEach(sc, scenarios)
		cJSON_ArrayForEach(b, cJSON_GetObjectItem(sc, "blocking")) {
			const char *m = cJSON_GetStringValue(cJSON_GetObjectItem(b, "method"));
			if (!m || strcmp(m, "probe") != 0)
				continue;
			cJSON *e = cJSON_CreateObject();
			cJSON_AddItemToObject(e, "scenario", cJSON_Duplicate(cJSON_GetObjectItem(sc, "name"), 1));
			cJSON_AddItemToObject(e, "actor", cJSON_Duplicate(cJSON_GetObjectItem(b, "actor"), 1));
			cJSON_AddItemToObject(e, "call", cJSON_Duplicate(cJSON_GetObjectItem(b, "call"), 1));
			cJSON_AddItemToObject(e, "why", cJSON_Duplicate(cJSON_GetObjectItem(b, "why_probe"), 1));
			cJSON_AddItemToArray(list, e);
		}
	return list;
}

void pl_write_evidence(pl_case *c)
{
	char id[256], path[1024];
	pl_case_full_id(c, id, sizeof id);
	cJSON *r = cJSON_CreateObject();
	cJSON_AddNumberToObject(r, "schema", 1);
	cJSON_AddStringToObject(r, "case", id);
	cJSON_AddStringToObject(r, "test", c->test_name);
	cJSON_AddStringToObject(r, "rule", c->spec.rule);
	cJSON_AddStringToObject(r, "class", c->spec.klass);
	if (c->spec.cell)
		cJSON_AddStringToObject(r, "cell", c->spec.cell);
	cJSON_AddStringToObject(r, "kind", pl_kind_name(c->kind));
	cJSON_AddStringToObject(r, "title", c->spec.title);
	cJSON_AddStringToObject(r, "expected", c->spec.expected);
	cJSON_AddStringToObject(r, "verdict", pl_verdict_name(c->verdict));
	if (c->reason[0])
		cJSON_AddStringToObject(r, "reason", c->reason);
	/* "observed" in one line.  A case that passed: its own words, else its
	 * checks.  One that did not: what went wrong (its failed checks, else the
	 * reason), never the case's narrative, which a body may write whatever
	 * its checks found. */
	char obs[2048] = "";
	size_t used = 0;
	cJSON *it;
	bool passed = c->verdict == PL_PASS;
	if (passed)
		cJSON_ArrayForEach(it, c->observed)
			used += (size_t)snprintf(obs + used, used < sizeof obs ? sizeof obs - used : 0, "%s%s",
						 used ? "; " : "", it->valuestring);
	if (!used)
		cJSON_ArrayForEach(it, c->checks) {
			cJSON *ok = cJSON_GetObjectItem(it, "ok");
			if (used < sizeof obs && (passed || !cJSON_IsTrue(ok)))
				used += (size_t)snprintf(obs + used, sizeof obs - used, "%s%s: %s", used ? "; " : "",
							 cJSON_GetObjectItem(it, "what")->valuestring,
							 cJSON_GetObjectItem(it, "observed")->valuestring);
		}
	if (!used && c->reason[0])
		snprintf(obs, sizeof obs, "%s", c->reason);
	cJSON_AddStringToObject(r, "observed", obs);
	if (c->claim)
		cJSON_AddItemToObject(r, "claim", c->claim);
	cJSON_AddItemToObject(r, "checks", c->checks);
	cJSON_AddItemToObject(r, "measured", c->measured);
	cJSON_AddItemToObject(r, "notes", c->observed);
	cJSON_AddItemToObject(r, "probe_proofs", probe_proofs(c->scenarios));
	cJSON_AddItemToObject(r, "scenarios", c->scenarios);
	c->checks = c->measured = c->observed = c->scenarios = c->claim = NULL;
	char *sys = pl_system_json();
	cJSON_AddItemToObject(r, "system", cJSON_Parse(sys));
	free(sys);
	cJSON_AddNumberToObject(r, "duration_ms", (double)(pl_now_ns() - c->t0_ns) / 1e6);
	cJSON_AddNumberToObject(r, "written_at", (double)time(NULL));

	if (evidence_path(c, path, sizeof path)) {
		char tmp[1100];
		snprintf(tmp, sizeof tmp, "%s.tmp%d", path, getpid());
		char *text = cJSON_Print(r);
		FILE *f = fopen(tmp, "we");
		bool ok = f && fputs(text, f) >= 0;
		if (f && fclose(f) != 0)
			ok = false;
		/* Rename so a reader never sees half a record. */
		if (!ok || rename(tmp, path) != 0) {
			fprintf(stderr, "pipelab: cannot write evidence %s: %s\n", path, strerror(errno));
			unlink(tmp);
			pl_case_set_verdict(c, PL_BROKEN, "cannot write evidence record %s: %s", path, strerror(errno));
		}
		free(text);
	}
	cJSON_Delete(r);
}

