#!/usr/bin/env bash
# Self-test: every fault library turns exactly the cases its manifest names red
# (no more, no fewer), and none makes a case hang past its deadline.
# A manifest line "legal:NAME" names a legal model of another implementation
# (tests/faults/legal_*.c) instead: under it every posix-labelled case must
# stay PASS; other cases may change (they are listed, not judged).
# usage: mutants.sh BUILD_DIR MANIFEST
#        MUTANTS_SURVEY=1 mutants.sh BUILD_DIR MANIFEST   prints, for every built
#        library, the cases it turns red, in the manifest's format (to review)
set -u
usage() { echo "usage: mutants.sh BUILD_DIR MANIFEST" >&2; exit 2; }
[ $# -eq 2 ] && [ -d "$1/cases" ] && [ -r "$2" ] || usage
build=$(cd "$1" && pwd)
manifest=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/pipelab-mutants-XXXXXX") || exit 2
# The lanes below run in the background, each in a process group of its own
# (set -m), each run of the suite under pipelab-guard: a stopped check stops
# every guard, which ends all its run left (ctest, launchers, cases, actors)
# before the folder goes.
set -m
# A launcher being stopped may still write its last record as the folder
# goes: removed again once it has.
trap 'for j in $(jobs -p); do kill -TERM -- -"$j"; done 2>/dev/null; wait
  rm -rf "$work" 2>/dev/null || { sleep 1; rm -rf "$work"; }' EXIT
trap 'exit 130' INT; trap 'exit 143' TERM # a killed run still cleans up (EXIT trap)
bad=0
total=0
if [ -n "${MUTANTS_SURVEY:-}" ]; then
  for lib in "$build"/faults/*.so; do
    name=$(basename "$lib" .so)
    PIPELAB_PRELOAD=$lib PIPELAB_RESULTS_DIR=$work/$name PIPELAB_REPORTS_DIR=$work/reports \
      ctest --test-dir "$build/cases" -j2 -L cases >/dev/null 2>&1
    echo "$name: $("$build/tools/pipelab-report" verdicts "$work/$name" | awk '$2 != "PASS" {printf "%s ", $1}')"
    "$build/tools/pipelab-report" verdicts "$work/$name" | awk '$2 == "TIMEOUT" || $2 == "BROKEN" {print "#   " $0}'
  done
  exit 0
fi
# The posix-labelled cases, as ctest knows them (labels come from each rule's
# profile; an entry may hold several variants: case_ids.sh lists their ids).
posix_cases=$("$(dirname "$0")/../tools/case_ids.sh" "$build/cases" -L '^posix$' | sort)
legal_check() { # NAME: every posix case PASS under the legal model
  local name=$1 lib=$build/faults/$1.so start ms red changed
  [ -f "$lib" ] || { echo "FAIL legal:$name: $lib not built"; return 1; }
  start=$(date +%s%N)
  PIPELAB_PRELOAD=$lib PIPELAB_RESULTS_DIR=$work/$name PIPELAB_REPORTS_DIR=$work/reports \
    "$build/tools/pipelab-guard" -- ctest --test-dir "$build/cases" -j2 -L cases >"$work/$name.log" 2>&1
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  "$build/tools/pipelab-report" verdicts "$work/$name" >"$work/$name.verdicts"
  red=$(awk '$2 != "PASS" {print $1}' "$work/$name.verdicts" | sort | comm -12 - <(echo "$posix_cases"))
  changed=$(awk '$2 != "PASS" {print $1}' "$work/$name.verdicts" | sort | comm -23 - <(echo "$posix_cases") | tr '\n' ' ')
  if [ "$(wc -l <"$work/$name.verdicts")" -lt 2 ]; then
    echo "FAIL legal:$name: the suite did not run"; return 1
  elif [ -n "$red" ]; then
    echo "FAIL legal:$name (${ms} ms): posix cases not PASS under a legal implementation:"
    grep -F -w -f <(echo "$red") "$work/$name.verdicts" | sed 's/^/  /'
    return 1
  fi
  echo "ok   legal:$name (${ms} ms): all $(echo "$posix_cases" | grep -c .) posix cases PASS${changed:+; other cases changed: $changed}"
}
mutant_check() { # NAME IDS...: the fault turns exactly its manifest's cases red
  local name=$1 ids=${*:2} lib start ms got maybe want timeouts ncases
  lib=$build/faults/$name.so
  [ -f "$lib" ] || { echo "FAIL $name: $lib not built"; return 1; }
  start=$(date +%s%N)
  # The cases' own test directory: its run hooks and logs stay apart from ours.
  PIPELAB_PRELOAD=$lib PIPELAB_RESULTS_DIR=$work/$name PIPELAB_REPORTS_DIR=$work/reports \
    "$build/tools/pipelab-guard" -- ctest --test-dir "$build/cases" -j2 -L cases >"$work/$name.log" 2>&1
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  "$build/tools/pipelab-report" verdicts "$work/$name" >"$work/$name.verdicts"
  got=$(awk '$2 != "PASS" {print $1}' "$work/$name.verdicts" | sort)
  # "?id": the fault's effect on that case depends on scheduling; either is fine.
  maybe=$(printf '%s\n' $ids | sed -n 's/^?//p' | sort)
  want=$(printf '%s\n' $ids | grep -v '^?' | sort)
  [ -n "$maybe" ] && got=$(comm -23 <(echo "$got") <(echo "$maybe"))
  # A TIMEOUT from a scenario deadline is the fault contained; a case the
  # launcher had to kill (or ctest) is a hang past the deadlines.
  timeouts=$(grep -l '"source":.*pipelab-launch fallback' "$work/$name"/*.json 2>/dev/null | xargs -r grep -l '"verdict":[[:space:]]*"TIMEOUT"')
  ncases=$(wc -l <"$work/$name.verdicts")
  if [ "$got" != "$want" ]; then
    echo "FAIL $name (${ms} ms): red cases differ from the manifest"
    diff <(echo "$want") <(echo "$got") | sed 's/^</  expected red, stayed green:/; s/^>/  turned red, not in manifest:/' | grep -v '^[0-9]'
    return 1
  elif [ -n "$timeouts" ]; then
    echo "FAIL $name (${ms} ms): hung past the scenario deadlines: $timeouts"
    return 1
  elif [ "$ncases" -lt 2 ]; then
    echo "FAIL $name: only $ncases records; the suite did not run"
    return 1
  fi
  echo "ok   $name (${ms} ms): caught by exactly $(echo "$want" | grep -c .) of $ncases cases"
}
# Lanes: a fault whose cases sleep until their deadlines leaves the machine
# idle, so PIPELAB_MUTANT_JOBS manifest lines (default 2) are checked at
# once; each line's result is printed in manifest order.  Cases that a
# loaded machine could judge either way are marked "?" in the manifest.
jobs=${PIPELAB_MUTANT_JOBS:-2}
case "$jobs" in '' | *[!0-9]* | 0) echo "PIPELAB_MUTANT_JOBS='$jobs' is not a positive number" >&2; exit 2 ;; esac
n=0
while read -r name ids; do
  case "$name" in ''|'#'*) continue ;; esac
  n=$((n + 1))
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n; done
  if [ "${name#legal:}" != "$name" ]; then
    { legal_check "${name#legal:}"; echo $? >"$work/line-$n.rc"; } >"$work/line-$n.out" 2>&1 &
  else
    # shellcheck disable=SC2086 # the ids are words
    { mutant_check "${name%:}" $ids; echo $? >"$work/line-$n.rc"; } >"$work/line-$n.out" 2>&1 &
  fi
done <"$manifest"
wait
for i in $(seq 1 "$n"); do
  total=$((total + 1))
  cat "$work/line-$i.out"
  [ "$(cat "$work/line-$i.rc" 2>/dev/null)" = 0 ] || bad=$((bad + 1))
done
echo "$((total - bad)) passed, $bad failed"
[ "$bad" -eq 0 ] && [ "$total" -gt 0 ]
