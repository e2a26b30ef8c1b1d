#!/usr/bin/env bash
# Self-test of the Gradescope autograder, end to end with a fake /autograder
# root: ./pipelab autograder writes the zip; it is unpacked as Gradescope does
# (source/), setup.sh runs, then run_autograder for four submissions: a library
# with a bug, a missing one, a text file, one that crashes when loaded.  Each
# must leave a valid results.json with the right score.
# usage: autograder.sh BUILD_DIR SOURCE_DIR
set -u
build=$(cd "$1" && pwd)
src=$(cd "$2" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/pipelab-autograder-XXXXXX")
chmod 755 "$work" # run as root, the submissions are loaded (and judged) as nobody
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT; trap 'exit 143' TERM # a killed run still cleans up (EXIT trap)
export PIPELAB_GRADE_UID_BASE=$((90000 + ($$ % 700) * 40)) # grade's uids: this run's own
bad=0 n=0
ok() { n=$((n + 1)); echo "ok   $*"; }
no() { n=$((n + 1)); bad=$((bad + 1)); echo "FAIL $*"; }
(cd "$work" && "$src/tools/cli/autograder.sh" --out "$work/autograder.zip") >"$work/zip.log" 2>&1 ||
  { cat "$work/zip.log"; echo "FAIL: the zip was not written"; exit 1; }
root=$work/autograder
mkdir -p "$root/source"
(cd "$root/source" && cmake -E tar xf "$work/autograder.zip") || { echo "FAIL: cannot unpack the zip"; exit 1; }
for f in setup.sh run_autograder pipelab/CMakeLists.txt pipelab/tools/cli/grade.sh; do
  [ -e "$root/source/$f" ] && ok "the zip holds $f" || no "the zip lacks $f"
done
[ -x "$root/source/run_autograder" ] && ok "run_autograder is executable in the zip" || no "run_autograder lost its x bit"
# Gradescope: setup.sh as root in source/, run_autograder copied to the root.
(cd "$root/source" && PIPELAB_NO_INSTALL=1 bash ./setup.sh) >"$work/setup.log" 2>&1 && ok "setup.sh" || { no "setup.sh failed"; cat "$work/setup.log"; }
cp "$root/source/run_autograder" "$root/run_autograder"

grade() { # NAME: prepare the submission first
  rm -rf "$root/results"
  start=$(date +%s)
  AUTOGRADER_ROOT=$root "$root/run_autograder" >"$work/$1.log" 2>&1
  local rc=$?
  [ $rc -eq 0 ] || no "$1: run_autograder exited $rc"
  [ -s "$root/results/results.json" ] || { no "$1: no results/results.json"; cat "$work/$1.log"; return 1; }
  cp "$root/results/results.json" "$work/$1.json"
  if command -v python3 >/dev/null; then
    python3 "$src/tests/grade/check_gradescope.py" "$work/$1.json" && ok "$1: results.json validates ($(( $(date +%s) - start )) s)" || no "$1: schema"
  fi
}
field() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$work/$1.json" 2>/dev/null; }

mkdir -p "$root/submission"
cp "$build/examples/sigpipe_ignored.so" "$root/submission/"
grade buggy
s=$(field buggy "d['score']")
f=$(field buggy "[t['name'] for t in d['tests'] if t['status']=='failed']")
case "$f" in *write/closed/full*) [ "${s%.*}" -gt 0 ] && ok "buggy: score $s, write/closed/full failed" || no "buggy: score $s" ;;
  *) no "buggy: write/closed/full not among the failed tests: $f" ;; esac

rm -rf "$root/submission"
grade missing && field missing "d['output']" | grep -q "missing" && [ "$(field missing "d['score']")" = 0 ] &&
  ok "missing submission: score 0, says missing" || no "missing: $(field missing "d['output']")"

mkdir -p "$root/submission"
echo "hello" >"$root/submission/student.so"
grade not-a-library && field not-a-library "d['output']" | grep -q "not an ELF file" &&
  ok "a text file: score 0, says not an ELF file" || no "not-a-library: $(field not-a-library "d['output']")"

rm -rf "$root/submission"; mkdir -p "$root/submission"
cp "$build/tests/grade/crash_on_load.so" "$root/submission/"
grade crasher && field crasher "d['output']" | grep -q "crashes while being loaded" &&
  ok "a crashing library: score 0, says it crashes" || no "crasher: $(field crasher "d['output']")"
echo "$((n - bad)) passed, $bad failed"
[ $bad -eq 0 ]
