#!/usr/bin/env bash
# Self-test of ./pipelab grade: a class of 30 mock submissions (the project's
# fault libraries, the two examples, and four that cannot be judged: missing,
# not a library, an object file, crashing when loaded).  Checks the class
# report, the CSV, 30 Gradescope files against the schema, each fault's score
# against the manifest, and a clear row for each submission not judged.
# usage: grade.sh BUILD_DIR SOURCE_DIR
set -u
build=$(cd "$1" && pwd)
src=$(cd "$2" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/pipelab-grade-XXXXXX")
chmod 755 "$work" # run as root, the submissions are loaded (and judged) as nobody
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT; trap 'exit 143' TERM # a killed run still cleans up (EXIT trap)
bad=0 n=0
# The students' uids: a range of this run's own (grade runs here are one at a
# time), so that self-tests running in parallel never share a uid.
export PIPELAB_GRADE_UID_BASE=$((62000 + ($$ % 700) * 40))
ok() { n=$((n + 1)); echo "ok   $*"; }
no() { n=$((n + 1)); bad=$((bad + 1)); echo "FAIL $*"; }
subs=$work/subs
mkdir -p "$subs/dir_student"
faults=$(sed -n 's/^\([a-z0-9_]*\):.*/\1/p' "$src/tests/faults/manifest.txt" | head -24)
for f in $faults; do [ -f "$build/faults/$f.so" ] && ln -s "$build/faults/$f.so" "$subs/$f.so"; done
cp "$build/examples/passthrough.so" "$subs/dir_student/libpipe.so"  # a directory holding the library
cp "$build/examples/sigpipe_ignored.so" "$subs/"
ln -s "$work/nowhere/gone.so" "$subs/missing.so"
echo "not a library" >"$subs/text_file.so"
echo 'int f(void) { return 0; }' >"$work/o.c"
${CC:-cc} -c -o "$subs/object_file.so" "$work/o.c" || no "cannot compile the object-file submission"
cp "$build/tests/grade/crash_on_load.so" "$subs/crasher.so"
count=$(ls "$subs" | wc -l)

start=$(date +%s%N)
PIPELAB_BUILD_DIR=$build "$src/tools/cli/grade.sh" "$subs" --out "$work/class" >"$work/grade.log" 2>&1
rc=$?
secs=$(( ($(date +%s%N) - start) / 1000000 ))
[ $rc -eq 1 ] && ok "grade exits 1 (some student short of full marks), $count submissions in $secs ms" ||
  { no "grade exited $rc (expected 1)"; cat "$work/grade.log"; }
for f in class.html class.csv; do [ -s "$work/class/$f" ] && ok "$f written" || no "$f missing"; done
files=$(ls "$work"/class/students/*/results.json 2>/dev/null)
[ "$(echo "$files" | grep -c .)" -eq "$count" ] && ok "$count Gradescope files" || no "Gradescope files: $(echo "$files" | grep -c .) of $count"
if command -v python3 >/dev/null; then
  python3 "$src/tests/grade/check_gradescope.py" $files && ok "every results.json validates against the schema" || no "schema"
else
  echo "note: python3 absent, schema check skipped"
fi
score() { awk -F, -v s="\"$1\"" '$1 == s {print $2; exit}' "$work/class/class.csv"; }
max=$(awk -F, 'NR == 2 {print $3}' "$work/class/class.csv")
# A fault must lose exactly the rules of the cases its manifest names (claims
# weigh 0); "?" cases may or may not fail, so they widen the range.
for f in $faults; do
  [ -e "$subs/$f.so" ] || continue
  ids=$(grep "^$f:" "$src/tests/faults/manifest.txt" | cut -d: -f2-)
  must=$(printf '%s\n' $ids | grep -v '^?' | grep -v '^claims/' | sed 's/@.*//' | sort -u)
  may=$(printf '%s\n' $ids | sed -n 's/^?//p' | grep -v '^claims/' | sed 's/@.*//' | sort -u | comm -23 - <(echo "$must"))
  hi=$((max - $(echo "$must" | grep -c .))) lo=$((max - $(echo "$must" | grep -c .) - $(echo "$may" | grep -c .)))
  s=$(score "$f")
  if [ -n "$s" ] && [ "${s%.*}" -le $hi ] && [ "${s%.*}" -ge $lo ]; then ok "$f scores $s of $max (manifest: $lo..$hi)"
  else no "$f scores '$s' of $max; the manifest says $lo..$hi"; fi
done
[ "$(score dir_student)" = "$max" ] && ok "the template library in a directory scores full marks" || no "dir_student scores $(score dir_student)"
s=$(score sigpipe_ignored); [ -n "$s" ] && [ "$s" -lt "$max" ] && ok "the example with a bug loses marks ($s of $max)" || no "sigpipe_ignored scores '$s'"
expect_row() { # NAME TEXT
  local line; line=$(grep "^\"$1\"," "$work/class/class.csv")
  if [ "$(score "$1")" = 0 ] && printf '%s' "$line" | grep -q "$2" && grep -q "not judged: $2" "$work/class/students/$1/results.json"; then
    ok "$1: score 0, \"$2\""
  else no "$1: expected score 0 with \"$2\": $line"; fi
}
expect_row missing "the submission is missing"
expect_row text_file "not an ELF file"
expect_row object_file "an object file (.o)"
expect_row crasher "crashes while being loaded"
grep -q 'href="students/sigpipe_ignored/reports/latest/index.html"' "$work/class/class.html" && ok "class.html links each report" || no "no link to the reports"
grep -q 'The rules most students fail' "$work/class/class.html" && grep -q 'Weights: <code>default' "$work/class/class.html" &&
  ok "class.html names the hardest rules and the weights" || no "class.html lacks the hardest rules or the weights"
# A weights file: write/closed/* worth 5, everything else as before.
printf 'write/closed/* 5\n' >"$work/w.txt"
mkdir -p "$work/one" && cp "$subs/sigpipe_ignored.so" "$work/one/"
PIPELAB_BUILD_DIR=$build "$src/tools/cli/grade.sh" "$work/one" --out "$work/w" --weights "$work/w.txt" --jobs 4 >/dev/null 2>&1
w=$(awk -F, '$1 == "\"sigpipe_ignored\"" {print $2 "/" $3}' "$work/w/class.csv")
[ "$w" = "$s/$((max + 8))" ] && ok "a weights file changes the score ($w)" || no "weights: sigpipe_ignored got $w, expected $s/$((max + 8)) (its two write/closed rules fail)"
# Students cannot hurt each other: a killer (kill(-1, SIGKILL) in every actor)
# graded at the same time as two honest classmates costs them nothing.
if [ "$(id -u)" = 0 ]; then
  mkdir -p "$work/mixed" "$work/rt"
  chmod 755 "$work/rt" # the students' libraries and temp dirs go here (TMPDIR)
  cp "$build/tests/grade/slow_load.so" "$work/mixed/honest_a.so" # honest, a slow load check: seen while graded
  cp "$build/tests/grade/killer.so" "$work/mixed/killer.so"
  cp "$build/tests/grade/slow_load.so" "$work/mixed/honest_b.so"
  cp "$build/tests/grade/escaper.so" "$work/mixed/escaper.so"
  TMPDIR=$work/rt PIPELAB_BUILD_DIR=$build "$src/tools/cli/grade.sh" "$work/mixed" --out "$work/m" --jobs 4 >"$work/mixed.log" 2>&1 &
  g=$!
  # ... nor read each other's libraries or results: each loads a copy only its
  # own uid reads; the folders let other uids pass, never list.
  la='' lb=''
  for _ in $(seq 400); do
    la=$(ls "$work"/rt/pipelab-grade-*/honest_a/lib/libpipe.so 2>/dev/null) lb=$(ls "$work"/rt/pipelab-grade-*/honest_b/lib/libpipe.so 2>/dev/null)
    [ -n "$la" ] && [ -n "$lb" ] && break
    sleep 0.02
  done
  as() { local u=$1; shift; setpriv --reuid="$u" --regid="$u" --clear-groups "$@" >/dev/null 2>&1; }
  ua=$(stat -c %u "$la" 2>/dev/null) ub=$(stat -c %u "$lb" 2>/dev/null)
  if [ -n "$ua" ] && [ "$ua" != 0 ] && [ "$ua" != "$ub" ] && [ "$(stat -c %a "$la")" = 400 ] && as "$ua" cat "$la" &&
    ! as "$ub" cat "$la" && ! as "$ub" ls "${la%/lib/*}" && ! as "$ub" ls "${la%/honest_a/*}"; then
    ok "a student's library is a copy for its uid alone (uid $ua; another uid cannot read it or list the folders)"
  else no "the copy of honest_a's library is open to other uids: $(ls -ld "$la" "${la%/lib/*}" "${la%/honest_a/*}" 2>&1)"; fi
  wait $g
  mscore() { awk -F, -v s="\"$1\"" '$1 == s {print $2; exit}' "$work/m/class.csv"; }
  for h in honest_a honest_b; do
    [ "$(mscore $h)" = "$max" ] && ok "$h, graded beside a killer, keeps full marks" ||
      no "$h, graded beside a killer, scores '$(mscore $h)' of $max"
  done
  if [ "$(cat "$work/m/students/honest_a/uid")" = "$ua" ] && ! as "$ub" ls "$work/m/students/honest_a" &&
    ! as "$ub" ls "$work/m/students" && ! as "$ub" ls "$work/m/students/honest_a/evidence" &&
    ! as "$ub" cat "$work/m/class.csv" && [ -z "$(ls "$work/rt")" ]; then
    ok "the report is root's alone (no student uid reads it); the students' copies are gone"
  else no "the report is open to other uids, or copies are left: $(ls -ld "$work"/m{,/students,/students/honest_a} "$work"/rt/* 2>&1)"; fi
  # ... nor outlive the grade: the escaper's daemon (setsid in the load check)
  # is gone, as is anything else of the class's uids.
  left=''
  for u in $(cat "$work"/m/students/*/uid); do
    left+=$(ps -u "$u" -o pid=,stat=,args= 2>/dev/null | awk '$2 !~ /^Z/')
  done
  [ -z "$left" ] && ok "no process of the class's uids outlives the grade" || no "left running: $left"
  k=$(mscore killer); [ -n "$k" ] && [ "${k%.*}" -lt "$max" ] && ok "the killer loses marks ($k)" || no "killer scores '$k'"
fi
# Interrupted (SIGTERM to grade.sh alone): the running student's ctest tree
# stops, no temp dir is left, the partial report (in DIR-interrupted, DIR
# untouched) lists who finished and the rest as an incomplete run, one line,
# exit 143.
mkdir -p "$work/int"
echo "not a library" >"$work/int/a_text.so"
cp "$build/examples/passthrough.so" "$work/int/b.so"; cp "$build/examples/passthrough.so" "$work/int/c.so"
PIPELAB_BUILD_DIR=$build "$src/tools/cli/grade.sh" "$work/int" --out "$work/i" --jobs 1 >"$work/int.log" 2>&1 &
g=$!
for _ in $(seq 600); do ls "$work"/.i.new-*/students/b/evidence/*.json >/dev/null 2>&1 && break; sleep 0.02; done # a case of b's has run
kill -TERM $g; wait $g; rc=$?
irow() { awk -F, -v s="\"$1\"" '$1 == s {print $5; exit}' "$work/i-interrupted/class.csv"; }
left=$(pgrep -af "$work/" | grep -v "^$$ ")
if [ $rc = 143 ] && [ "$(wc -l <"$work/int.log")" = 1 ] && irow b | grep -q '"incomplete run (the grade was interrupted while its cases ran)"' &&
  irow c | grep -q '"incomplete run (the grade was interrupted before its turn)"' && [ ! -e "$work/i" ] &&
  irow a_text | grep -q "not an ELF" && [ -z "$left" ] && ! ls -d "$work"/.i.new-* >/dev/null 2>&1; then
  ok "an interrupted grade stops the running ctest, cleans up, reports who finished in DIR-interrupted (exit 143)"
else no "interrupted grade: exit $rc, $(cat "$work/int.log"), rows: $(cut -d, -f1,5 "$work/i-interrupted/class.csv" 2>&1 | tr '\n' ' '), left: $left"; fi
echo "$((n - bad)) passed, $bad failed"
[ $bad -eq 0 ]
