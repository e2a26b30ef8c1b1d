#!/usr/bin/env bash
# Self-test: SIGKILL a case binary mid-scenario (CLARIFICATIONS 9) and check
# that no process, FIFO, temp dir or Criterion socket is left, and that the
# run still records the case (BROKEN, from the launcher's fallback).
# usage: containment.sh BUILD_DIR
set -u
build=$(cd "$1" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/pipelab-selftest-XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT; trap 'exit 143' TERM # a killed run still cleans up (EXIT trap)
mkdir -p "$work/tmp" "$work/results"
fail() { echo "FAIL: $*"; exit 1; }

TMPDIR=$work/tmp PIPELAB_RESULTS_DIR=$work/results "$build/tools/pipelab-launch" \
  --id selftest/hold@fifo --test selftest/hold_fifo --evidence hold \
  --mult 1 --deadline 60 -- "$build/tests/hold_case" --filter selftest/hold_fifo \
  >"$work/launch.out" 2>&1 &
launcher=$!

# Wait (bounded) for the judge to announce itself: the scenario is then live.
pidfile=
for _ in $(seq 1 200); do
  pidfile=$(find "$work/tmp" -name judge.pid 2>/dev/null | head -1)
  [ -n "$pidfile" ] && [ -s "$pidfile" ] && break
  sleep 0.05 # polling a file the case writes; bounded to 10 s in all
done
[ -n "$pidfile" ] || { kill -9 $launcher; fail "the hold case never reached its scenario"; }
judge=$(cat "$pidfile")
[ -n "$(find "$work/tmp" -type p)" ] || fail "no FIFO while the scenario was live"
pgrep -f pipelab-hold-grandchild >/dev/null || fail "the grandchild never started"

runner=$(awk '{print $4}' "/proc/$judge/stat") # Criterion's runner owns the socket
kill -9 "$judge"
wait $launcher
rc=$?
echo "launcher exit status: $rc"
cat "$work/launch.out"

[ "$rc" -ne 0 ] || fail "a killed case must not pass"
left=$(pgrep -f "hold_case|pipelab-hold-grandchild")
[ -z "$left" ] || fail "processes left behind: $left"
[ -z "$(ls -A "$work/tmp")" ] || fail "temp files left: $(find "$work/tmp")"
[ ! -e "/tmp/criterion_$runner.sock" ] || fail "Criterion's socket /tmp/criterion_$runner.sock was left"
verdict=$("$build/tools/pipelab-report" verdicts "$work/results" | awk '$1=="selftest/hold@fifo"{print $2}')
[ "$verdict" = BROKEN ] || fail "expected a BROKEN record for the killed case, got '$verdict'"
echo "PASS: killed mid-scenario; nothing left; recorded as $verdict"
