#!/usr/bin/env bash
# Self-test: the CLI contract of ./pipelab and the run records' safety.
# - help/--help exit 0; an unknown command is named, exit 2; zero cases
#   selected, an unknown or malformed run argument, exit 2; -R selects one
#   rule inside a group by its id; a preload the loader would ignore (object file, PIE
#   executable, text file, a 32-bit or another machine's library) or cannot
#   use (an undefined symbol, a constructor that exits or hangs) stops the run with what it is and the loader's
#   message, exit 2, before any case ran; a run that wrote no report is not 0;
# - relative PIPELAB_PRELOAD, PIPELAB_REPORTS_DIR, PIPELAB_RESULTS_DIR and
#   compare's and grade's arguments are taken from the caller's directory;
# - the case process inherits no descriptor above 2 (ctest's LastTest.log);
# - a forged run id (run.json) cannot put a report outside the reports folder;
# - the reports folder and the results root keep the last PIPELAB_KEEP_RUNS runs.
# usage: cli_contract.sh SOURCE_DIR BUILD_DIR GOLDEN_INPUT_DIR
set -u
src=$(cd "$1" && pwd)
build=$(cd "$2" && pwd)
golden=$(cd "$3" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/pipelab-cli-contract-XXXXXX")
chmod 755 "$work" # the preload check loads libraries as nobody
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT; trap 'exit 143' TERM # a killed run still cleans up (EXIT trap)
export PIPELAB_GRADE_UID_BASE=$((120000 + ($$ % 700) * 40)) # grade's uids: this run's own
bad=0
n=0
ok() { n=$((n + 1)); echo "ok   $*"; }
fail() { n=$((n + 1)); bad=$((bad + 1)); echo "FAIL $*"; }
unset PIPELAB_RESULTS_DIR PIPELAB_PRELOAD PIPELAB_TARGET PIPELAB_KEEP_RUNS
export PIPELAB_REPORTS_DIR=$work/reports
report=$build/tools/pipelab-report
one='^write/closed/full@pipe$'

expect() { # name, exit status, text in the output, command...
  local name=$1 want=$2 text=$3
  shift 3
  local out rc
  out=$(timeout 120 "$@" 2>&1)
  rc=$?
  if [ $rc -ne "$want" ] || ! grep -qF -- "$text" <<<"$out"; then
    fail "$name: exit $rc (expected $want) and '$text' expected in:"
    sed 's/^/    /' <<<"$out" | tail -5
  else
    ok "$name (exit $rc)"
  fi
}

expect "help" 0 "./pipelab run" "$src/pipelab" help
expect "--help" 0 "Exit status" "$src/pipelab" --help
expect "no command" 2 "./pipelab run" "$src/pipelab"
expect "unknown command" 2 "pipelab: unknown command 'frobnicate'" "$src/pipelab" frobnicate
expect "zero cases selected" 2 "no case matches" "$src/pipelab" run -R pipelab-no-such-case
expect "unknown run argument" 2 "unknown argument '--bogus'" "$src/pipelab" run --bogus
expect "run option without its value" 2 "-R needs a value" "$src/pipelab" run -R
expect "-R not a regular expression" 2 "is not a regular expression" "$src/pipelab" run -R '('
# -R matches case ids, also those that share a ctest entry (a group).
expect "one rule of a group selected by id" 0 "1 case: 1 PASS" \
  env PIPELAB_REPORTS_DIR="$work/group-reports" "$src/pipelab" run -R '^select/write-end-ready-with-room@fifo$'
expect "bad PIPELAB_KEEP_RUNS" 2 "PIPELAB_KEEP_RUNS='many'" env PIPELAB_KEEP_RUNS=many "$src/pipelab" run -R "$one"

# Preloads the loader ignores: one line with the loader's own words, nothing run.
echo "not a library" >"$work/text.so"
printf 'int pipelab_x(void) { return 1; }\n' >"$work/x.c"
gcc -c -fPIC -o "$work/obj.o" "$work/x.c"
printf 'int main(void) { return 0; }\n' >"$work/main.c"
gcc -fPIE -pie -o "$work/pie" "$work/main.c"
expect "text file as preload" 2 "'$work/text.so': not an ELF file" env PIPELAB_PRELOAD="$work/text.so" "$src/pipelab" run -R "$one"
expect "object file as preload" 2 "only ET_DYN and ET_EXEC can be loaded" env PIPELAB_PRELOAD="$work/obj.o" "$src/pipelab" run -R "$one"
expect "PIE executable as preload" 2 "position-independent executable" env PIPELAB_PRELOAD="$work/pie" "$src/pipelab" run -R "$one"
# Libraries the loader takes but that cannot be used: their own code runs
# (unprivileged, in a throwaway process) and what it did is named.
printf 'extern int pipelab_nowhere(void);\nint pipelab_y(void) { return pipelab_nowhere(); }\n' >"$work/u.c"
gcc -shared -fPIC -o "$work/undef.so" "$work/u.c"
printf '#include <stdlib.h>\n__attribute__((constructor)) static void c(void) { exit(0); }\n' >"$work/e.c"
gcc -shared -fPIC -o "$work/exits.so" "$work/e.c"
printf '#include <unistd.h>\n__attribute__((constructor)) static void c(void) { for (;;) pause(); }\n' >"$work/h.c"
gcc -shared -fPIC -o "$work/hangs.so" "$work/h.c"
expect "undefined symbol in the preload" 2 "the loader refuses it: undefined symbol: pipelab_nowhere" env PIPELAB_PRELOAD="$work/undef.so" "$src/pipelab" run -R "$one"
expect "a preload whose constructor exits" 2 "ends the process while being loaded (exit status 0)" env PIPELAB_PRELOAD="$work/exits.so" "$src/pipelab" run -R "$one"
# A library for another machine: this one's, its ELF class or machine changed.
cp "$build/examples/passthrough.so" "$work/as32.so"
printf '\001' | dd of="$work/as32.so" bs=1 seek=4 conv=notrunc 2>/dev/null   # EI_CLASS: ELFCLASS32
cp "$build/examples/passthrough.so" "$work/other-arch.so"
printf '\377\177' | dd of="$work/other-arch.so" bs=1 seek=18 conv=notrunc 2>/dev/null # e_machine: none real
expect "a 32-bit library as preload" 2 "a 32-bit library" env PIPELAB_PRELOAD="$work/as32.so" "$src/pipelab" run -R "$one"
expect "another machine's library as preload" 2 "another processor architecture" env PIPELAB_PRELOAD="$work/other-arch.so" "$src/pipelab" run -R "$one"
expect "a preload that hangs while loaded" 2 "hangs while being loaded (killed after 1 s)" "$build/tools/pipelab-check-impl" --deadline 1 "$work/hangs.so"
[ ! -e "$work/reports" ] && ok "no run started for a bad preload" || fail "a bad preload still started a run: $(ls "$work/reports")"

expect "a run that wrote no report" 2 "no report was written" \
  env PIPELAB_REPORTS_DIR=/proc/pipelab-nowhere "$src/pipelab" run -R "$one"

# Relative paths from where the user stands.
mkdir -p "$work/caller/lib"
cp "$build/faults/write_no_reader_succeeds.so" "$work/caller/lib/mine.so"
(cd "$work/caller" && PIPELAB_PRELOAD=lib/mine.so PIPELAB_REPORTS_DIR=rel-reports PIPELAB_RESULTS_DIR=rel-results \
  timeout 120 "$src/pipelab" run -R "$one" >"$work/rel.log" 2>&1)
rc=$?
[ $rc -eq 1 ] && "$report" verdicts "$work/caller/rel-results" | grep -qx 'write/closed/full@pipe FAIL' &&
  ok "relative PIPELAB_PRELOAD and PIPELAB_RESULTS_DIR: the library judged (exit 1, FAIL)" ||
  { fail "relative preload/results: exit $rc"; tail -5 "$work/rel.log"; }
# The terminal names cases, each once: a case that did not pass gets one
# line (the summary's, not also its own inside ctest's output), and ctest's
# closing list of entries ("{posix,claims}#1 (Failed)") is not shown.
grouped='^claims/b-sigpipe-does-not-terminate$'
out=$(cd "$work/caller" && PIPELAB_PRELOAD=lib/mine.so PIPELAB_REPORTS_DIR=rel-reports timeout 120 "$src/pipelab" run -R "$grouped" 2>&1)
lines=$(grep -c '^pipelab: FAIL claims/b-sigpipe-does-not-terminate: ' <<<"$out")
if [ "$lines" = 1 ] && ! grep -q 'The following tests FAILED\|(Failed)$\|tests failed out of' <<<"$out"; then
  ok "a failing case's line is printed once, and no list of ctest entries"
else
  fail "the terminal shows the case $lines times or ctest's entry list:"; sed 's/^/    /' <<<"$out" | tail -8
fi
[ -f "$work/caller/rel-reports/latest/index.html" ] && ok "relative PIPELAB_REPORTS_DIR: report under the caller's directory" ||
  fail "no report in $work/caller/rel-reports"
(cd "$work/caller" && PIPELAB_REPORTS_DIR=rel-reports timeout 120 "$src/pipelab" run -R "$one" >/dev/null 2>&1)
first=$(ls "$work/caller/rel-reports" | grep -v latest | head -1)
(cd "$work/caller" && timeout 120 "$src/pipelab" compare "rel-reports/$first" rel-reports/latest --out cmp >"$work/cmp.log" 2>&1)
rc=$?
# exit 1: the runs disagree (the first judged a faulty library)
[ $rc -eq 1 ] && [ -f "$work/caller/cmp/compare.html" ] && ok "compare: relative runs and --out from the caller's directory" ||
  { fail "compare with relative paths: exit $rc"; tail -3 "$work/cmp.log"; }

# A forged run id stays inside the reports folder.
for forged in '../../escape' 'latest' '.hidden' 'a/b' '..'; do
  mkdir -p "$work/forge"
  cp "$golden"/*.json "$work/forge/"
  printf '{"run": "%s", "started": "2026-01-01 00:00:00 UTC"}\n' "$forged" >"$work/forge/run.json"
  mkdir -p "$work/box/reports"
  "$report" render "$work/forge" --out "$work/box/reports" >"$work/forge.log" 2>&1
  link=$(readlink "$work/box/reports/latest")
  outside=$(find "$work/box" -mindepth 1 -maxdepth 1 ! -name reports; find "$work" -maxdepth 2 -name escape)
  if [ -z "$outside" ] && [ -n "$link" ] && [ "${link#*/}" = "$link" ] && [ -f "$work/box/reports/$link/index.html" ] &&
    grep -q 'not a valid run id' "$work/forge.log"; then
    ok "forged run id '$forged': report in reports/$link"
  else
    fail "forged run id '$forged': latest -> '$link', outside: $outside"; cat "$work/forge.log"
  fi
  rm -rf "$work/forge" "$work/box"
done

# Retention: the last N runs, nothing else touched.
# The case process inherits no descriptor of ctest's (or anyone's) above 2.
mkdir -p "$work/fds"
fds=$(PIPELAB_RESULTS_DIR=$work/fds "$build/tools/pipelab-launch" --id fds --test cli/fds --evidence fds -- \
  ls -l /proc/self/fd 3>"$work/ctest-log-stand-in" 7<"$work/ctest-log-stand-in" 2>&1)
grep -q ' 2 -> ' <<<"$fds" && ! grep -q 'ctest-log-stand-in' <<<"$fds" &&
  ok "the case process inherits no descriptor above 2 from whoever ran the launcher" || fail "descriptors passed to the case: $fds"

# grade: the class, --out and --weights from the caller's directory (a class
# of one submission that is not judged: nothing runs, the paths are all).
mkdir -p "$work/caller/class" && echo "not a library" >"$work/caller/class/text.so" && echo 'read/* 2' >"$work/caller/w.txt"
(cd "$work/caller" && "$src/pipelab" grade class --out rel --weights w.txt >/dev/null 2>&1)
rc=$?
[ $rc = 1 ] && [ -s "$work/caller/rel/class.csv" ] && cmp -s "$work/caller/w.txt" "$work/caller/rel/weights.txt" &&
  ok "grade takes the class, --out and --weights from the caller's directory" ||
  fail "grade with relative paths: exit $rc, $(ls "$work/caller" | tr '\n' ' ')"

mkdir -p "$work/keep/my-notes" "$work/keep/compare-1"
for i in 1 2 3 4 5; do
  mkdir -p "$work/in$i"
  cp "$golden"/*.json "$work/in$i/"
  printf '{"run": "2026010%d-000000-1-0000-native", "started": "2026-01-0%d 00:00:00 UTC"}\n' $i $i >"$work/in$i/run.json"
  PIPELAB_KEEP_RUNS=3 "$report" render "$work/in$i" --out "$work/keep" >/dev/null
done
kept=$(ls "$work/keep" | tr '\n' ' ')
[ "$kept" = "20260103-000000-1-0000-native 20260104-000000-1-0000-native 20260105-000000-1-0000-native compare-1 latest my-notes " ] &&
  ok "PIPELAB_KEEP_RUNS=3 keeps the last 3 reports and nothing else is touched" || fail "reports kept: $kept"
true &
dead=$!
wait $dead
for i in 1 2 3 4; do
  dir=$(PIPELAB_RUN_OWNER=$dead PIPELAB_KEEP_RUNS=2 "$report" begin --print --root "$work/root" | head -1)
  echo '{"case": "x"}' >"$dir/x.json"
done
left=$(ls "$work/root" | wc -l)
[ "$left" -eq 2 ] && ok "PIPELAB_KEEP_RUNS=2 keeps the last 2 results folders" || fail "results folders kept: $left"
live=$(PIPELAB_RUN_OWNER=$$ PIPELAB_KEEP_RUNS=1 "$report" begin --print --root "$work/root" | head -1) # owner: this script, alive
echo '{"case": "x"}' >"$live/x.json"
PIPELAB_RUN_OWNER=$dead PIPELAB_KEEP_RUNS=1 "$report" begin --root "$work/root" >/dev/null
[ -d "$live" ] && ok "a results folder whose run is still going is never removed" || fail "a live run's results folder was removed"

echo "$((n - bad)) passed, $bad failed"
[ $bad -eq 0 ]
