#!/usr/bin/env bash
# Self-test: two `./pipelab run` at once in one checkout, one with a project
# fault library as PIPELAB_PRELOAD, one without, each get the verdicts of
# their own implementation, in their own results and report folders.
# Uses the default results layout (build/runs/<run-id>); reports go to a
# temp dir, so reports/latest is not touched.
# usage: cli_concurrent.sh SOURCE_DIR MANIFEST
set -u
src=$(cd "$1" && pwd)
manifest=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/pipelab-cli-concurrent-XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT; trap 'exit 143' TERM # a killed run still cleans up (EXIT trap)
bad=0
n=0
ok() { n=$((n + 1)); echo "ok   $*"; }
fail() { n=$((n + 1)); bad=$((bad + 1)); echo "FAIL $*"; }
unset PIPELAB_RESULTS_DIR PIPELAB_PRELOAD PIPELAB_TARGET
export PIPELAB_REPORTS_DIR=$work/reports

fault=write_no_reader_succeeds
lib=$src/build/faults/$fault.so
[ -f "$lib" ] || { echo "FAIL $lib is not built"; exit 1; }
want=$(sed -n "s/^$fault: //p" "$manifest" | tr ' ' '\n' | grep -v '^?' | grep . | sort)

PIPELAB_PRELOAD=$lib timeout 300 "$src/pipelab" run >"$work/buggy.log" 2>&1 &
buggy=$!
timeout 300 "$src/pipelab" run >"$work/correct.log" 2>&1 &
correct=$!
wait $buggy; rc_buggy=$?
wait $correct; rc_correct=$?

report_of() { sed -n 's/^pipelab: report: \(.*\)\/index.html$/\1/p' "$1" | tail -1; }
rep_buggy=$(report_of "$work/buggy.log")
rep_correct=$(report_of "$work/correct.log")
[ $rc_correct -eq 0 ] && ok "the run without a library: exit 0" || { fail "the run without a library: exit $rc_correct"; tail -5 "$work/correct.log"; }
[ $rc_buggy -eq 1 ] && ok "the run with $fault: exit 1" || { fail "the run with $fault: exit $rc_buggy"; tail -5 "$work/buggy.log"; }
if [ -n "$rep_buggy" ] && [ -n "$rep_correct" ] && [ "$rep_buggy" != "$rep_correct" ]; then
  ok "two report folders: $(basename "$rep_buggy"), $(basename "$rep_correct")"
else
  fail "the runs did not get a report folder each ('$rep_buggy', '$rep_correct')"
fi
verdicts() { "$src/build/tools/pipelab-report" verdicts "$1"; }
red_correct=$(verdicts "$rep_correct" | awk '$2 != "PASS"')
total_correct=$(verdicts "$rep_correct" | wc -l)
[ -z "$red_correct" ] && [ "$total_correct" -gt 2 ] && ok "the correct run: all $total_correct cases PASS" ||
  fail "the correct run has $total_correct cases, not all PASS: $(echo $red_correct | head -c 300)"
got=$(verdicts "$rep_buggy" | awk '$2 != "PASS" {print $1}' | sort)
maybe=$(sed -n "s/^$fault: //p" "$manifest" | tr ' ' '\n' | sed -n 's/^?//p' | sort)
[ -n "$maybe" ] && got=$(comm -23 <(echo "$got") <(echo "$maybe"))
[ "$got" = "$want" ] && ok "the buggy run: exactly the $(echo "$want" | wc -l) cases the manifest names are red" ||
  { fail "the buggy run's red cases differ from the manifest"; diff <(echo "$want") <(echo "$got") | head -10; }
grep -q "preload-$fault" <<<"$rep_buggy" && ok "the buggy run's id names its target" || fail "run id '$rep_buggy' does not name the preload"
echo "$((n - bad)) passed, $bad failed"
[ $bad -eq 0 ]
