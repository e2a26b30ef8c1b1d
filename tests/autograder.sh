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
# Gradescope: setup.sh as root when the image is built (it builds pipelab
# there, once), run_autograder copied to the root.
(cd / && AUTOGRADER_ROOT=$root bash "$root/source/setup.sh") >"$work/setup.log" 2>&1 && [ -x "$root/build/tools/pipelab-report" ] &&
  ok "setup.sh builds pipelab in the image ($root/build)" || { no "setup.sh failed"; cat "$work/setup.log"; }
cp "$root/source/run_autograder" "$root/run_autograder"
built=$(stat -c %Y "$root/build/tools/pipelab-report" 2>/dev/null)
# A base image whose cmake is older than 3.25 stops the image build, one line.
mkdir -p "$work/oldcmake" && printf '#!/bin/sh\necho "cmake version 3.22.1"\n' >"$work/oldcmake/cmake" && chmod +x "$work/oldcmake/cmake"
err=$(PATH=$work/oldcmake:$PATH AUTOGRADER_ROOT=$work/nowhere bash "$root/source/setup.sh" 2>&1)
rc=$?
[ $rc != 0 ] && [ "$(grep -c . <<<"$err")" = 1 ] && grep -q "cmake 3.22 is older than 3.25.*Ubuntu 24.04" <<<"$err" &&
  ok "setup.sh refuses cmake 3.22 in one line naming what to choose" || no "setup.sh with cmake 3.22: exit $rc, $err"

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
o=$(field buggy "d['output']")
grep -q "^- write/closed/full (1): FAIL write/closed/full@" <<<"$o" && ! grep -q "reports/\|index.html" <<<"$o" &&
  [ "$(stat -c %Y "$root/build/tools/pipelab-report")" = "$built" ] &&
  ok "buggy: the output lists each rule lost with its reason, names no report file; nothing rebuilt" ||
  no "buggy: output '$o'"

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

# The zip holds the files git tracks (edits to them included), never an
# untracked course folder or an earlier zip; weights are checked first; and
# through ./pipelab, --out and --weights are taken from where you stand.
if git -C "$src" rev-parse --git-dir >/dev/null 2>&1; then
  git clone -q "$src" "$work/clone" # this tree's zip maker in a clone of its own, to litter
  cp "$src/tools/cli/autograder.sh" "$work/clone/tools/cli/autograder.sh"
  cp "$src/tools/cli/autograder/setup.sh" "$src/tools/cli/autograder/run_autograder" "$work/clone/tools/cli/autograder/"
  mkdir -p "$work/clone/mycourse" && echo "alice,12" >"$work/clone/mycourse/grades.csv" && cp "$work/autograder.zip" "$work/clone/mycourse/old.zip"
  echo "edited" >>"$work/clone/docs/grading.md"
  (cd "$work" && PIPELAB_BUILD_DIR=$build "$work/clone/tools/cli/autograder.sh" --out clone.zip) >"$work/clone.log" 2>&1
  listing=$(cmake -E tar tf "$work/clone.zip" 2>/dev/null)
  mkdir -p "$work/cz" && (cd "$work/cz" && cmake -E tar xf "$work/clone.zip" pipelab/docs/grading.md)
  ! grep -q mycourse <<<"$listing" && grep -q '^pipelab/tools/cli/grade.sh$' <<<"$listing" && tail -1 "$work/cz/pipelab/docs/grading.md" | grep -q edited &&
    grep -q "uncommitted edits to [0-9]* tracked file" "$work/clone.log" &&
    ok "the zip holds the tracked files with their edits, not an untracked course folder" ||
    no "the zip from a clone with mycourse/: $(grep -c . <<<"$listing") entries, $(grep mycourse <<<"$listing" | head -2) $(cat "$work/clone.log")"
fi
mkdir -p "$work/caller" && printf 'read/* 2\nwirte/closed/* 3\n' >"$work/caller/typo.txt" && printf 'read/* 2\n' >"$work/caller/w.txt"
err=$(cd "$work/caller" && "$src/pipelab" autograder --weights typo.txt --out bad.zip 2>&1)
rc=$?
[ $rc = 2 ] && [ "$(grep -c . <<<"$err")" = 1 ] && grep -q "typo.txt:2: 'wirte/closed/\*' matches no rule" <<<"$err" && [ ! -e "$work/caller/bad.zip" ] &&
  ok "a weights line that matches no rule: refused in one line, no zip" || no "autograder --weights typo.txt: exit $rc, $err"
(cd "$work/caller" && "$src/pipelab" autograder --weights w.txt --out rel.zip) >/dev/null 2>&1
[ -s "$work/caller/rel.zip" ] && [ ! -e "$src/rel.zip" ] && cmake -E tar tf "$work/caller/rel.zip" | grep -qx weights.txt &&
  ok "./pipelab autograder takes --out and --weights from where you stand" || { no "relative --out/--weights: $(ls "$work/caller")"; rm -f "$src/rel.zip"; }
echo "$((n - bad)) passed, $bad failed"
[ $bad -eq 0 ]
