#!/usr/bin/env bash
# Self-test: pipelab-report compare on made-up records (fast, no case runs).
# One run named twice (reports/latest and build/vm/results after
# ./pipelab vm) is refused with one line and exit 2, never "0 cases disagree".
# The cases whose verdicts differ come first; the cases one run lacks are
# listed apart ("not run on"), not as disagreements (still exit 1); the
# measured values that differ are shown, timings left out.
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
# Two folders named alike without a run id of their own are two runs.
mkdir -p "$work/x" "$work/y"
base "$work/x/results"
base "$work/y/results"
compare alike "$work/x/results" "$work/y/results"
rc=$?
[ $rc -eq 0 ] || fail "two runs in folders named alike: exit $rc, expected 0 ($(cat "$work/alike.log"))"
compare self "$work/x/results" "$work/x/../x/results"
rc=$?
[ $rc -eq 2 ] || fail "one folder named twice: exit $rc, expected 2"
compare two "$work/native" "$work/vm"
rc=$?
[ $rc -eq 0 ] || fail "two runs that agree: exit $rc, expected 0 ($(cat "$work/two.log"))"

# Differences first; a filtered run's missing cases apart; measured values.
base "$work/vm2"
rec "$work/vm2" splicex/dev-zero-into-pipe@pipe SKIP "this kernel cannot splice from /dev/zero (EINVAL)"
rec "$work/vm2" write/open/full@pipe PASS ok '{"capacity_by_filling":{"value":4096,"unit":"bytes"}}'
rec "$work/native" write/open/full@pipe PASS ok '{"capacity_by_filling":{"value":65536,"unit":"bytes"},"time to fill the pipe":{"value":12,"unit":"microseconds"}}'
rm "$work"/vm2/read_open_data_*.json
compare diff "$work/native" "$work/vm2"
rc=$?
[ $rc -eq 1 ] || fail "runs that disagree: exit $rc, expected 1"
md=$work/diff/compare.md
sed -n '/^## Differences/,/^## /p' "$md" | grep -q '^| \[`splicex/dev-zero-into-pipe@pipe`\](#every-case) |' ||
  fail "the disagreement is not in the Differences section"
[ "$(sed -n '/^## Differences/,/^## /p' "$md" | grep -c '^| \[')" -eq 1 ] || fail "the Differences section lists more than the one case"
[ "$(grep -n '^## Differences' "$md" | cut -d: -f1)" -lt "$(grep -n '^## Every case' "$md" | cut -d: -f1)" ] ||
  fail "the Differences are not before every case"
grep -q '^- not run on vm2 .*: 2 case(s): `read/open/data@fifo`, `read/open/data@pipe`$' "$md" ||
  fail "the cases the second run lacks are not listed as not run on it"
! grep -q '⚠ `read/open/data' "$md" || fail "a case one run lacks is marked as a disagreement"
grep -q '^| `write/open/full@pipe` | capacity_by_filling | 65536 bytes | 4096 bytes |$' "$md" ||
  fail "a measured value that differs is not shown"
! grep -q 'time to fill the pipe' "$md" || fail "a timing is shown as a measured value that differs"
grep -q '1 cases disagree, 1 run(s) lack cases others have, 1 measured value(s) differ' "$work/diff.log" ||
  fail "the terminal line does not count what differs: $(cat "$work/diff.log")"
rm "$work"/vm/read_open_data_*.json
compare filtered "$work/native" "$work/vm"
rc=$?
[ $rc -eq 1 ] && grep -q '^No case.s verdict differs' "$work/filtered/compare.md" ||
  fail "a run that lacks cases: exit $rc (expected 1), or its missing cases listed as differences"

# Two runs of one kernel told apart by their configuration (run.json's
# "config", which ./pipelab vm writes for PIPELAB_VM_SYSCTL/_APPEND).
base "$work/cfg-a"
base "$work/cfg-b"
printf '{"run":"20261208-000001-1-0000-vm-linux-6.1","config":{"vm sysctl":"fs.pipe-max-size=4096"}}\n' >"$work/cfg-a/run.json"
printf '{"run":"20261208-000002-1-0000-vm-linux-6.1"}\n' >"$work/cfg-b/run.json"
compare cfg "$work/cfg-a" "$work/cfg-b"
grep -q '^| case | 20261208-000001-1-0000-vm-linux-6.1 (6.1.0-test x86_64, native; vm sysctl: fs.pipe-max-size=4096) | 20261208-000002-1-0000-vm-linux-6.1 (6.1.0-test x86_64, native) |$' \
  "$work/cfg/compare.md" || fail "the column headings do not tell the configurations apart"
grep -q '^| configuration | vm sysctl: fs.pipe-max-size=4096 | - |$' "$work/cfg/compare.md" || fail "the runs table lacks the configuration"

# Retention: reports/ keeps the last PIPELAB_KEEP_RUNS matrices and
# comparisons, each kind counted apart; a matrix still running (no
# matrix.md yet), a folder merely named like one, and runs are not touched.
rep=$work/reports
for i in 1 2 3 4; do
  mkdir -p "$rep/matrix-2026010$i-000000-1/targets" "$rep/compare-178000000$i-1"
  echo done >"$rep/matrix-2026010$i-000000-1/matrix.md"
  echo done >"$rep/compare-178000000$i-1/compare.md"
done
mkdir -p "$rep/matrix-20260109-000000-1/targets" "$rep/compare-1" "$rep/20260101-000000-1-0000-native"
echo '{}' >"$rep/20260101-000000-1-0000-native/results.json"
PIPELAB_REPORTS_DIR=$rep PIPELAB_KEEP_RUNS=2 "$report" compare "$work/native" "$work/vm2" >/dev/null 2>&1
kept=$(cd "$rep" && ls | grep -v '^compare-1[0-9]\{9\}-[0-9]*$' | paste -sd' ')
new=$(cd "$rep" && ls -d compare-1[0-9]*-* | grep -vc '^compare-178000000')
old=$(cd "$rep" && ls -d compare-178000000* | paste -sd' ')
[ "$kept" = "20260101-000000-1-0000-native compare-1 matrix-20260103-000000-1 matrix-20260104-000000-1 matrix-20260109-000000-1" ] &&
  [ "$new" -eq 1 ] && [ "$old" = compare-1780000004-1 ] || fail "PIPELAB_KEEP_RUNS=2 kept: $kept, $old (and $new new comparison)"

[ $bad -eq 0 ] && echo "ok   one run named twice is refused (exit 2); differences first, cases a run lacks apart, measured values that differ shown; the last PIPELAB_KEEP_RUNS matrices and comparisons kept"
exit $bad
