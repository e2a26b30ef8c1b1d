#!/usr/bin/env bash
# Self-test: SIGINT and SIGTERM mid-run, to `./pipelab run` itself and to its
# process group, stop everything within 2 s, leave no process, temp dir or
# FIFO behind, write the partial report with the rest NOT RUN, and leave
# reports/latest on the last complete run.
# usage: cli_interrupt.sh SOURCE_DIR
set -u
src=$(cd "$1" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/pipelab-cli-interrupt-XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT; trap 'exit 143' TERM # a killed run still cleans up (EXIT trap)
bad=0
n=0
ok() { n=$((n + 1)); echo "ok   $*"; }
fail() { n=$((n + 1)); bad=$((bad + 1)); echo "FAIL $*"; }
export PIPELAB_REPORTS_DIR=$work/reports

# A complete run first: reports/latest must stay on it.
if PIPELAB_RESULTS_DIR=$work/complete timeout 120 "$src/pipelab" run -L table >"$work/complete.log" 2>&1; then
  ok "a complete run to start from"
else
  fail "the complete run failed:"; tail -5 "$work/complete.log"; exit 1
fi
latest=$(readlink "$work/reports/latest")

# The run's processes: ./pipelab, ctest, launchers and cases all have its TMPDIR
# (or one below it) in their environment.
ours() { grep -lsaF "TMPDIR=$1" /proc/[0-9]*/environ 2>/dev/null | cut -d/ -f3; }

interrupt() { # SIGNAL to: process|group
  local sig=$1 to=$2 name="SIG$1 to the $2"
  local tmp=$work/tmp-$sig-$to res=$work/res-$sig-$to attempt rc=0
  mkdir -p "$tmp"
  for attempt in 1 2 3; do
    rm -rf "$res"
    TMPDIR=$tmp PIPELAB_RESULTS_DIR=$res setsid "$src/pipelab" run >"$work/$sig-$to.log" 2>&1 &
    local pid=$!
    # Wait (bounded) until some cases have finished: the signal lands mid-run.
    local waited=0
    while [ "$(ls "$res" 2>/dev/null | grep -c '\.json$')" -lt 4 ] && [ $waited -lt 3000 ] && kill -0 $pid 2>/dev/null; do
      sleep 0.01; waited=$((waited + 10))
    done
    local t0
    t0=$(date +%s%N)
    if [ "$to" = group ]; then kill -"$sig" -- -"$pid" 2>/dev/null; else kill -"$sig" "$pid" 2>/dev/null; fi
    wait $pid
    rc=$?
    ms=$(( ($(date +%s%N) - t0) / 1000000 ))
    [ $rc -ne 0 ] && break # else the run finished before the signal: again
  done
  local want=$((128 + $(kill -l "$sig")))
  [ $rc -eq $want ] && ok "$name: exit $rc" || { fail "$name: exit $rc, expected $want"; tail -5 "$work/$sig-$to.log"; }
  [ "$ms" -le 2000 ] && ok "$name: stopped in $ms ms" || fail "$name: took $ms ms to stop (more than 2 s)"
  local left
  left=$(ours "$tmp")
  [ -z "$left" ] && ok "$name: no process left" || { fail "$name: processes left: $left"; ps -o pid,cmd -p $left; kill -9 $left 2>/dev/null; }
  [ -z "$(ls -A "$tmp")" ] && ok "$name: no temp dir left" || fail "$name: left in TMPDIR: $(ls -A "$tmp")"
  [ -z "$(find "$work" -type p)" ] && ok "$name: no FIFO left" || fail "$name: FIFOs left: $(find "$work" -type p)"
  local part
  part=$(ls -d "$work"/reports/*-interrupted 2>/dev/null | while read -r d; do grep -qs "interrupted by SIG$sig " "$d/results.json" && echo "$d"; done | tail -1)
  if [ -n "$part" ] && [ -f "$part/index.html" ]; then
    local notrun passed
    notrun=$(grep -o '"NOT RUN":[[:space:]]*[0-9]*' "$part/results.json" | tr -dc 0-9)
    passed=$(grep -m1 -o '"PASS":[[:space:]]*[0-9]*' "$part/results.json" | tr -dc 0-9)
    [ "${notrun:-0}" -gt 0 ] && [ "${passed:-0}" -gt 0 ] && ok "$name: partial report: $passed PASS, $notrun NOT RUN" ||
      fail "$name: partial report without both finished and NOT RUN cases (PASS ${passed:-?}, NOT RUN ${notrun:-?})"
  else
    fail "$name: no partial report labelled interrupted"
  fi
  [ "$(readlink "$work/reports/latest")" = "$latest" ] && ok "$name: reports/latest still on the complete run" ||
    fail "$name: reports/latest moved to $(readlink "$work/reports/latest")"
  rm -rf "$work"/reports/*-interrupted
}

interrupt TERM process
interrupt INT process
interrupt TERM group
interrupt INT group
echo "$((n - bad)) passed, $bad failed"
[ $bad -eq 0 ]
