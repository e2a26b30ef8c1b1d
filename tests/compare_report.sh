#!/usr/bin/env bash
# Self-test: pipelab-report compare on made-up records (fast, no case runs).
# One run named twice (reports/latest and build/vm/results after
# ./pipelab vm) is refused with one line and exit 2, never "0 cases disagree".
# usage: compare_report.sh BUILD_DIR SOURCE_DIR
set -u
build=$(cd "$1" && pwd)
src=$(cd "$2" && pwd)
. "$src/tests/matrix/records.sh"
work=$(mktemp -d "${TMPDIR:-/tmp}/pipelab-comparereport-XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT; trap 'exit 143' TERM
report=$build/tools/pipelab-report
bad=0
fail() { echo "FAIL $*"; bad=1; }
compare() { # name runs... -> exit status; report in $work/$name
  local name=$1
  shift
  "$report" compare --out "$work/$name" "$@" >"$work/$name.log" 2>&1
}

base "$work/native"
printf '{"run":"20261208-030553-22298-14c9-vm-linux-6.1"}\n' >"$work/vmrun.json"
base "$work/vm"
cp "$work/vmrun.json" "$work/vm/run.json"
cp -a "$work/vm" "$work/vm-rendered"
compare same "$work/vm" "$work/vm-rendered"
rc=$?
[ $rc -eq 2 ] && [ "$(wc -l <"$work/same.log")" -eq 1 ] && grep -q 'are the same run (20261208-030553-22298-14c9-vm-linux-6.1)' "$work/same.log" ||
  fail "one run named twice: exit $rc, expected 2 with one line: $(cat "$work/same.log")"
[ ! -e "$work/same" ] || fail "a refused comparison wrote a report"
compare two "$work/native" "$work/vm"
rc=$?
[ $rc -eq 0 ] || fail "two runs that agree: exit $rc, expected 0 ($(cat "$work/two.log"))"

[ $bad -eq 0 ] && echo "ok   one run named twice is refused (exit 2)"
exit $bad
