/* The case API of the blocking proof (blocking.c): each await runs one
 * proof and records the case's place (file:line) in its check. */
#include "proof.h"

bool pl_await_blocked_at(const char *file, int line, pl_sandbox *sb, int actor, enum pl_op op, const char *why)
{
	struct proof p = { .sb = sb, .actor = actor, .op = op, .why = why, .file = file, .line = line,
			   .window_end = sb->deadline_ns, .judge = true };
	return pl_prove(&p);
}

bool pl_await_blocked_in_at(const char *file, int line, pl_sandbox *sb, int actor, const char *call)
{
	struct proof p = { .sb = sb, .actor = actor, .op = PL_OP_CALL, .call = call, .file = file, .line = line,
			   .window_end = sb->deadline_ns, .judge = true };
	return pl_prove(&p);
}

bool pl_await_still_blocked_at(const char *file, int line, pl_sandbox *sb, int actor, enum pl_op op)
{
	if (actor > 0 && actor < PL_MAX_ACTORS && sb->next_proof[actor] > 0)
		sb->next_proof[actor]--;
	return pl_await_blocked_at(file, line, sb, actor, op, NULL);
}

bool pl_probe_blocked(pl_sandbox *sb, int actor, enum pl_op op, double window_s)
{
	struct proof p = { .sb = sb, .actor = actor, .op = op, .file = "(self-test)",
			   .window_end = pl_now_ns() + (int64_t)(window_s * 1e9), .judge = false };
	return pl_prove(&p);
}

bool pl_probe_still_blocked(pl_sandbox *sb, int actor, enum pl_op op, const char *call, double window_s)
{
	if (actor > 0 && actor < PL_MAX_ACTORS && sb->next_proof[actor] > 0)
		sb->next_proof[actor]--;
	int64_t end = window_s > 0 ? pl_now_ns() + (int64_t)(window_s * 1e9) : sb->deadline_ns;
	struct proof p = { .sb = sb, .actor = actor, .op = call ? PL_OP_CALL : op, .call = call,
			   .file = "(classification)", .window_end = end < sb->deadline_ns ? end : sb->deadline_ns,
			   .judge = false };
	return pl_prove(&p);
}

/* The plain functions behind the macros of pipelab.h. */
bool(pl_await_blocked)(pl_sandbox *sb, int actor, enum pl_op op)
{
	return pl_await_blocked_at("(harness)", 0, sb, actor, op, NULL);
}

bool(pl_await_blocked_in)(pl_sandbox *sb, int actor, const char *call)
{
	return pl_await_blocked_in_at("(harness)", 0, sb, actor, call);
}

bool(pl_await_blocked_why)(pl_sandbox *sb, int actor, enum pl_op op, const char *why)
{
	return pl_await_blocked_at("(harness)", 0, sb, actor, op, why);
}

bool(pl_await_still_blocked)(pl_sandbox *sb, int actor, enum pl_op op)
{
	return pl_await_still_blocked_at("(harness)", 0, sb, actor, op);
}
