#!/usr/bin/env bash
# Self-test: a group of variants in one case process (PIPELAB_GROUP_CASES,
# harness/group_run.c, tools/launch_group.c).  Each variant keeps what it
# had as a ctest entry of its own: its record (a fallback naming why when it
# left none), its log cut at 1 MiB, its limits and warnings, its verdict
# line; a crash, an exit or a hang loses only that variant; whatever it left
# behind is killed before the next; a whole process that dies or runs out of
# time still leaves one record per variant; PIPELAB_CASES selects variants.
# usage: group_isolation.sh BUILD_DIR
set -u
build=$(cd "$1" && pwd)
bin=$build/tests/group_case
launch=$build/tools/pipelab-launch
work=$(mktemp -d "${TMPDIR:-/tmp}/pipelab-group-XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT; trap 'exit 143' TERM
bad=0
ok() { echo "ok   $*"; }
fail() { echo "FAIL $*"; bad=$((bad + 1)); }

# group NAME DEADLINE VARIANT...: run them as one group; output in $work/NAME.out
group() {
  local name=$1 deadline=$2 args=() v
  shift 2
  for v in "$@"; do args+=(--case "grouptest/$v" "grouptest/${v//-/_}" "grouptest_$v"); done
  mkdir -p "$work/$name"
  PIPELAB_RESULTS_DIR=$work/$name TMPDIR=$work "$launch" --group "grouptest/{selftest}" "${args[@]}" \
    --mult 1 --deadline "$deadline" -- "$bin" --pipelab-run-each >"$work/$name.out" 2>&1
  echo $? >"$work/$name.rc"
}
field() { # NAME VARIANT FIELD: one top-level field of a record, as text
  python3 - "$work/$1/grouptest_$2.json" "$3" <<'EOF'
import json, sys
try:
    v = json.load(open(sys.argv[1])).get(sys.argv[2], "")
except (OSError, ValueError):
    v = "(no record)"
print(v if isinstance(v, str) else json.dumps(v))
EOF
}
expect() { # NAME VARIANT FIELD PATTERN
  local got
  got=$(field "$1" "$2" "$3")
  if grep -Eq -- "$4" <<<"$got"; then ok "$1: $2 $3 ~ $4"; else fail "$1: $2 $3 is '$got', expected ~ '$4'"; fi
}

group mixed 200 passes fails skips crashes exits hangs leaves-a-daemon floods
[ "$(cat "$work/mixed.rc")" = 1 ] && ok "mixed: launcher exit 1" || fail "mixed: launcher exit $(cat "$work/mixed.rc"), expected 1"
expect mixed passes verdict '^PASS$'
expect mixed fails verdict '^FAIL$'
expect mixed skips verdict '^SKIP$'
expect mixed crashes verdict '^BROKEN$'
expect mixed crashes reason 'SIGSEGV'
expect mixed exits verdict '^BROKEN$'
expect mixed exits reason 'exited with status 3'
expect mixed hangs verdict '^TIMEOUT$'
expect mixed hangs reason 'deadline'
expect mixed leaves-a-daemon verdict '^PASS$'
expect mixed leaves-a-daemon warnings '^\["1 process\(es\) outlived the case and were killed at its end: [0-9]+ '
expect mixed floods verdict '^PASS$'
expect mixed floods limits 'output cut at 1 MiB'
expect mixed passes warnings '^$'
size=$(stat -c %s "$work/mixed/grouptest_floods.log")
[ "$size" -le $((1 << 20)) ] && ok "mixed: the flood's log kept to 1 MiB ($size)" || fail "mixed: the flood's log is $size bytes"
grep -q 'x' "$work/mixed/grouptest_passes.log" && fail "mixed: another variant's output in passes' log" || ok "mixed: logs are per variant"
for line in "PASS grouptest/passes" "FAIL grouptest/fails" "BROKEN grouptest/crashes" "TIMEOUT grouptest/hangs"; do
  grep -q "pipelab: $line" "$work/mixed.out" && ok "mixed: output names '$line'" || fail "mixed: no 'pipelab: $line' in the output"
done
pgrep -f pipelab-group-daemon >/dev/null && fail "mixed: the daemon outlived its group" || ok "mixed: nothing left running"

# The whole process out of time: the running variant TIMEOUT, the rest BROKEN, none lost.
group whole 2 passes hangs fails
expect whole passes verdict '^PASS$'
expect whole hangs verdict '^TIMEOUT$'
expect whole hangs reason "group's case process.*while this variant ran"
expect whole fails verdict '^BROKEN$'
expect whole fails reason 'before this variant started'

group skipped 20 skips skips
[ "$(cat "$work/skipped.rc")" = 77 ] && ok "all skip: exit 77" || fail "all skip: exit $(cat "$work/skipped.rc")"
group passing 20 passes leaves-a-daemon
[ "$(cat "$work/passing.rc")" = 0 ] && ok "all pass: exit 0" || fail "all pass: exit $(cat "$work/passing.rc")"

# PIPELAB_CASES: only the selected variants run and have records.
PIPELAB_CASES='/fails$' group selected 20 passes fails
expect selected fails verdict '^FAIL$'
[ ! -e "$work/selected/grouptest_passes.json" ] && ok "PIPELAB_CASES: an unselected variant has no record" ||
  fail "PIPELAB_CASES: the unselected variant ran"
PIPELAB_CASES='nothing-here' group none 20 passes
[ "$(cat "$work/none.rc")" = 77 ] && ok "PIPELAB_CASES selecting none: exit 77" || fail "PIPELAB_CASES selecting none: exit $(cat "$work/none.rc")"

[ $bad -eq 0 ] && echo "group isolation: all checks passed" || echo "group isolation: $bad check(s) failed"
[ $bad -eq 0 ]
