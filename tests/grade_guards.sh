#!/usr/bin/env bash
# Self-test of ./pipelab grade's guards: what a teacher's slip must not cost
# (the submissions, an earlier report, a shared folder's mode), paths with
# spaces, weights checked before anything is graded, what a class folder may
# hold, class.html's grid, two grades at once, and a run cut short.  Most
# classes run only the read/ cases (PIPELAB_CASES) to stay fast; the two
# that need time run the whole suite.
# usage: grade_guards.sh BUILD_DIR SOURCE_DIR
set -u
build=$(cd "$1" && pwd)
src=$(cd "$2" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/pipelab-guards-XXXXXX")
chmod 755 "$work" # run as root, the submissions are loaded (and judged) as the students' uids
cleanup() {
  local u
  for u in $(cat "$work"/*/students/*/uid 2>/dev/null); do rm -f "/tmp/pipelab-litter-$u" "/dev/shm/pipelab-litter-$u"; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT; trap 'exit 143' TERM
export PIPELAB_GRADE_UID_BASE=$((140000 + ($$ % 700) * 40)) PIPELAB_BUILD_DIR=$build PIPELAB_CASES='^read/'
bad=0 n=0
ok() { n=$((n + 1)); echo "ok   $*"; }
no() { n=$((n + 1)); bad=$((bad + 1)); echo "FAIL $*"; }
grade() { "$src/tools/cli/grade.sh" "$@"; }
snapshot() { (cd "$1" 2>/dev/null && find . \( -type f -o -type l \) -exec md5sum {} + 2>/dev/null | sort; stat -c '%a %n' .); }
row() { awk -F, -v s="\"$2\"" '$1 == s {print; exit}' "$1/class.csv"; }
score() { row "$1" "$2" | cut -d, -f2-3; }
pass=$build/examples/passthrough.so
root=''
[ "$(id -u)" = 0 ] && root=1

mkdir -p "$work/class" "$work/empty" "$work/pair"
cp "$pass" "$work/class/alice.so"; cp "$pass" "$work/class/bob.so"
cp "$pass" "$work/pair/a.so"; cp "$pass" "$work/pair/b.so" # for the whole suite
grade "$work/class" --out "$work/out" >/dev/null 2>&1 || no "the first grade of the class failed"
class0=$(snapshot "$work/class") out0=$(snapshot "$work/out")
# One line on stderr, exit 2, and nothing changed: the class, the earlier
# report, no half-written folder beside it.
refused() { # WHAT GREP ARGS...
  local what=$1 want=$2 err rc
  shift 2
  err=$(grade "$@" 2>&1 >/dev/null)
  rc=$?
  if [ $rc = 2 ] && [ "$(printf '%s\n' "$err" | wc -l)" = 1 ] && grep -q -- "$want" <<<"$err" &&
    [ "$(snapshot "$work/class")" = "$class0" ] && [ "$(snapshot "$work/out")" = "$out0" ] &&
    [ -z "$(ls -d "$work"/.*.new-* "$work"/class/.*.new-* 2>/dev/null)" ]; then
    ok "$what: refused in one line, the class and the earlier report intact"
  else no "$what: exit $rc, '$err'"; fi
}
refused "--out the class folder itself" "overlaps the class folder" "$work/class" --out "$work/class"
refused "--out inside the class folder" "overlaps the class folder" "$work/class" --out "$work/class/reports"
refused "--out around the class folder" "overlaps the class folder" "$work/class" --out "$work"
refused "an empty class into an earlier report" "no submission in" "$work/empty" --out "$work/out"
printf 'read/* 2\nwirte/closed/* 3\n' >"$work/typo.txt"
refused "a weights pattern that matches no rule" "typo.txt:2: 'wirte/closed/\*' matches no rule" "$work/class" --out "$work/out" --weights "$work/typo.txt"
printf 'read 0\n' >"$work/nostar.txt"
refused "a topic without its '*'" "did you mean 'read\*'" "$work/class" --out "$work/out" --weights "$work/nostar.txt"
printf 'read/* two\n' >"$work/syntax.txt"
refused "a weights line that does not parse" "syntax.txt:1: expected" "$work/class" --out "$work/out" --weights "$work/syntax.txt"
mkdir -p "$work/shared" && chmod 1777 "$work/shared" && echo mine >"$work/shared/notes.txt"
err=$(grade "$work/class" --out "$work/shared" 2>&1 >/dev/null)
[ $? = 2 ] && grep -q "did not write" <<<"$err" && [ "$(stat -c %a "$work/shared")" = 1777 ] && [ -s "$work/shared/notes.txt" ] &&
  ok "a folder grade did not write is refused, its mode and files kept" || no "--out a shared folder: '$err', mode $(stat -c %a "$work/shared")"

# The documented weights example covers splice and splicex; the rule list.
sed -n '/^    # weights.txt/,/^$/p' "$src/docs/grading.md" | sed 's/^    //' >"$work/doc-weights.txt"
list=$(env -u PIPELAB_CASES "$src/tools/cli/grade.sh" --list-rules --weights "$work/doc-weights.txt")
if [ $? = 0 ] && grep -q '^splicex/' <<<"$list" && ! grep -E '^splicex?/' <<<"$list" | grep -vq ' 0$' &&
  grep -q '^write/closed/full  *3$' <<<"$list"; then
  ok "docs/grading.md's weights example is valid and weighs splice/ and splicex/ 0 (--list-rules)"
else no "the documented weights example: $(grep -E '^(splice|write/closed)' <<<"$list" | tr -s ' ' | tr '\n' ';')"; fi

# A re-run replaces grade's own report, a stale weights.txt included; the CSV
# has each rule's weight.
printf 'read/* 2\n' >"$work/w.txt"
grade "$work/class" --out "$work/out" --weights "$work/w.txt" >/dev/null 2>&1
w1=$(row "$work/out" "(weight)") s1=$(score "$work/out" alice)
grade "$work/class" --out "$work/out" >/dev/null 2>&1
w2=$(row "$work/out" "(weight)")
[ "$s1" = 8,8 ] && [[ $w1 = *,2,2,2,2 ]] && [[ $w2 = *,1,1,1,1 ]] && [ ! -e "$work/out/weights.txt" ] &&
  ok "re-runs replace the report: weights 2 then none (no stale weights.txt), a weight row in class.csv" ||
  no "re-runs: score $s1, weight rows '$w1' then '$w2', $(ls -A "$work/out" | tr '\n' ' ')"

# Spaces and colons in the class's and the report's paths.
mkdir -p "$work/OS course"
cp "$pass" "$work/OS course/Dana Lee.so"
grade "$work/OS course" --out "$work/out dir: 2" >/dev/null 2>&1
[ "$(score "$work/out dir: 2" Dana_Lee)" = 4,4 ] && row "$work/out dir: 2" Dana_Lee | grep -q "OS course/Dana Lee.so" &&
  ok "\"OS course/Dana Lee.so\" into \"out dir: 2\" scores full marks" || no "spaces: $(row "$work/out dir: 2" Dana_Lee)"

# What a class folder holds: notes and zips are no students; a library 3
# levels deep is found; a link inside the class is followed, one out of it not.
f=$work/friction
mkdir -p "$f/deep/a/b" "$f/linked" "$f/escape"
cp "$pass" "$f/deep/a/b/libpipe.so"
ln -s ../deep/a/b/libpipe.so "$f/linked/libpipe.so"
ln -s "$pass" "$f/escape/libpipe.so"
echo notes >"$f/README.txt"; echo zip >"$f/old.zip"; echo text >"$f/text.so"
err=$(grade "$f" --out "$work/fo" 2>&1 >"$work/fo.out")
[ "$(score "$work/fo" deep)" = 4,4 ] && [ "$(score "$work/fo" linked)" = 4,4 ] &&
  row "$work/fo" escape | grep -q "link to outside the class folder" && [ -z "$(row "$work/fo" README)" ] &&
  [ "$(grep -c 'ignored (neither a folder nor a .so file): README.txt old.zip' <<<"$err")" = 1 ] &&
  ok "a class folder: notes ignored in one line, a library 3 deep found, a link in the class followed, one out of it not" ||
  no "the friction class: $(cut -d, -f1,2,5 "$work/fo/class.csv" | tr '\n' ';') stderr: $err"
grep -q "2 not judged" "$work/fo.out" && grep -q "not judged: escape (its library" "$work/fo.out" && grep -q "not judged: text (not an ELF" "$work/fo.out" &&
  ok "the terminal summary counts and names the students not judged" || no "summary: $(cat "$work/fo.out")"
# class.html: one cell per rule in every row (the sort reads cell i of each),
# name and score sticky, each student's lost rules, the weights in effect.
cells=$(sed -n '/<tbody>/,/<\/tbody>/p' "$work/fo/class.html" | grep '^<tr>' | awk '{print gsub(/<td/, "")}' | sort -u)
[ "$cells" = 6 ] && grep -q 'position:sticky' "$work/fo/class.html" && grep -q 'id="students"' "$work/fo/class.html" &&
  grep -q '<td>default</td><td class="name"><code>\*</code></td><td>1</td><td>4</td>' "$work/fo/class.html" &&
  ok "class.html: every row has one cell per rule, sticky name and score, lost rules and weights sections" ||
  no "class.html: cells per row: $cells"
[ "$(grep -c . <<<"$err")" = 2 ] || no "grade said more than two lines: $err"
grep -q "Full report: \|reports/latest" "$work/fo/students/deep/results.json" && no "results.json names a report students cannot open"

# Files a student leaves in /tmp and /dev/shm go with the student.
if [ -n "$root" ]; then
  mkdir -p "$work/litter" && cp "$build/tests/grade/litterer.so" "$work/litter/messy.so"
  grade "$work/litter" --out "$work/lo" >/dev/null 2>&1
  u=$(cat "$work/lo/students/messy/uid")
  left=$(find /tmp /var/tmp /dev/shm -xdev -maxdepth 2 -uid "$u" 2>/dev/null)
  [ "$(score "$work/lo" messy)" = 4,4 ] && [ -z "$left" ] && ok "a student's files in /tmp and /dev/shm are removed (uid $u)" ||
    no "litter of uid $u: $left (score $(score "$work/lo" messy))"
fi

# Two grades at once (two TAs, one uid base): each run's uids are its own,
# so neither sweeps the other's students; both give full marks.
env -u PIPELAB_CASES "$src/tools/cli/grade.sh" "$work/pair" --out "$work/p1" --jobs 1 >"$work/p1.log" 2>&1 &
g1=$!
env -u PIPELAB_CASES "$src/tools/cli/grade.sh" "$work/pair" --out "$work/p2" --jobs 1 >"$work/p2.log" 2>&1 &
g2=$!
wait $g1; r1=$?; wait $g2; r2=$?
max=$(row "$work/p1" "(weight)" | cut -d, -f2)
common=$(comm -12 <(sort "$work"/p1/students/*/uid 2>/dev/null) <(sort "$work"/p2/students/*/uid 2>/dev/null))
if [ $r1 = 0 ] && [ $r2 = 0 ] && cmp -s "$work/p1/class.csv" "$work/p2/class.csv" && [ "$(score "$work/p1" a)" = "$max,$max" ] &&
  { [ -z "$root" ] || [ -z "$common" ]; }; then
  ok "two grades of one class at once: identical full scores ($max), no uid shared"
else no "two grades at once: exits $r1 $r2, uids in common: $common, $(diff "$work/p1/class.csv" "$work/p2/class.csv" 2>&1 | cut -c1-200) $(tail -2 "$work/p1.log" "$work/p2.log")"; fi

# A run cut short (its ctest killed, not by grade): the student is not
# judged ("incomplete run"), the class stops with 128+9, the earlier report
# stays and the partial one goes to DIR-interrupted.
grade "$work/pair" --out "$work/cut" >/dev/null 2>&1
cut0=$(snapshot "$work/cut")
env -u PIPELAB_CASES "$src/tools/cli/grade.sh" "$work/pair" --out "$work/cut" --jobs 1 >"$work/cut.log" 2>&1 &
g=$!
c=''
for _ in $(seq 500); do
  gp=$(pgrep -f "^$build/tools/pipelab-guard -- ctest .*$work/\.cut\.new" | head -1)
  [ -n "$gp" ] && c=$(pgrep -P "$gp" ctest) && [ -n "$c" ] && break
  sleep 0.02
done
[ -n "$c" ] && kill -KILL $c
wait $g
rc=$?
r=$(row "$work/cut-interrupted" a)
if [ $rc = 137 ] && [[ $r = '"a",0,'*'"incomplete run (its cases were stopped by SIGKILL)"'* ]] &&
  [ "$(snapshot "$work/cut")" = "$cut0" ] && [ "$(wc -l <"$work/cut.log")" = 1 ]; then
  ok "a student whose cases were killed is not judged (incomplete run), the class stops (137), the earlier report stays"
else no "a run cut short: exit $rc, row '$r', log: $(cat "$work/cut.log")"; fi

# ./pipelab grade: its own usage, and a TERM to it reaches the grade (exec).
"$src/pipelab" grade --help | head -1 | grep -q '^usage: ./pipelab grade SUBMISSIONS_DIR' &&
  ok "./pipelab grade --help prints ./pipelab grade's usage" || no "grade --help: $("$src/pipelab" grade --help | head -1)"
env -u PIPELAB_CASES "$src/pipelab" grade "$work/pair" --out "$work/t" --jobs 1 >"$work/t.log" 2>&1 &
g=$!
for _ in $(seq 1000); do ls "$work"/.t.new-*/students/a/evidence/*.json >/dev/null 2>&1 && break; sleep 0.02; done
kill -TERM $g
wait $g
rc=$?
sleep 0.2
left=$(pgrep -af "$work/" | grep -v "^$$ ")
[ $rc = 143 ] && [ -z "$left" ] && [ -s "$work/t-interrupted/class.csv" ] &&
  ok "a TERM to ./pipelab grade stops the grade itself (exit 143, nothing left running)" || no "TERM to ./pipelab grade: exit $rc, left: $left"
echo "$((n - bad)) passed, $bad failed"
[ $bad -eq 0 ]
