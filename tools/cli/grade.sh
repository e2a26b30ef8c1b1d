#!/usr/bin/env bash
# usage: ./pipelab grade SUBMISSIONS_DIR [--out DIR] [--weights FILE] [--jobs N]
#        ./pipelab grade --list-rules [--weights FILE]
# Grades a class: each folder of SUBMISSIONS_DIR (holding one library, up to
# 3 levels deep) and each *.so file in it is one student, named after it;
# other files are listed once and ignored.  Each student runs the whole suite
# in isolation with the library preloaded, several students at once.
#   --out DIR      the class report (default: reports/grade-DATE): a new or
#                  empty folder, or one an earlier grade wrote, replaced only
#                  when this run completes; never in, at or around the class
#   --weights FILE "RULE WEIGHT" lines; a prefix ending in * matches many rules
#                  (default: 1 per rule, claims/* 0); each line must match one
#   --jobs N       students at once (default: the number of cores)
#   --list-rules   every rule and its weight (with --weights: that file's)
# Environment: PIPELAB_GRADE_CASE_JOBS (ctest -j per student, default 2),
# PIPELAB_GRADE_LOAD_TIMEOUT (seconds, default 10), PIPELAB_GRADE_UID_BASE
# (default 61000: as root, each student runs as a uid of its own from there).
# Exit: 0 every student scores full marks, 1 some does not, 2 usage or setup
# error (nothing written); 128+N stopped by signal N (130 Ctrl-C, 143
# SIGTERM): DIR stays as it was, the partial report goes to DIR-interrupted.
# See docs/grading.md.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${PIPELAB_BUILD_DIR:-$here/build}
say() { printf 'pipelab grade: %s\n' "$*" >&2; }
die() { say "$*"; exit 2; }
. "$here/tools/cli/grade_input.sh"
. "$here/tools/cli/grade_uids.sh"
. "$here/tools/cli/grade_one.sh"

usage="usage: ./pipelab grade SUBMISSIONS_DIR [--out DIR] [--weights FILE] [--jobs N] (--help says more)"
class='' out='' weights='' list_rules='' jobs=$(nproc 2>/dev/null || echo 2)
while [ $# -gt 0 ]; do
  case "$1" in
    --out) [ $# -ge 2 ] && [ -n "$2" ] || die "--out needs a directory"; out=$2; shift 2 ;;
    --weights) [ $# -ge 2 ] && [ -n "$2" ] || die "--weights needs a file"; weights=$2; shift 2 ;;
    --jobs) [ $# -ge 2 ] && [ "$2" -ge 1 ] 2>/dev/null || die "--jobs needs a number >= 1"; jobs=$2; shift 2 ;;
    --list-rules) list_rules=1; shift ;;
    -h | --help) sed -n '2,/^# See docs/p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown option '$1' ($usage)" ;;
    *) [ -z "$class" ] || die "one SUBMISSIONS_DIR only ('$1' is a second)"; class=$1; shift ;;
  esac
done
report=$build/tools/pipelab-report check=$build/tools/pipelab-check-impl guard=$build/tools/pipelab-guard
[ -x "$report" ] && [ -x "$check" ] && [ -x "$guard" ] && [ -f "$build/cases/CTestTestfile.cmake" ] ||
  die "no built suite in $build (./pipelab grade builds it)"
if [ -n "$weights" ]; then
  [ -f "$weights" ] && [ -r "$weights" ] || die "the weights file '$weights' cannot be read"
  weights=$(realpath -- "$weights")
fi
# The suite's cases: a rule with no record for a student means a run cut short.
cases=$("$here/tools/case_ids.sh" "$build/cases" -L cases)
[ -n "$cases" ] || die "the suite in $build lists no case"
[ -z "$weights" ] || check_weights "$weights" "$cases"
if [ -n "$list_rules" ]; then
  exec "$report" weights ${weights:+"$weights"} --cases <(printf '%s\n' "$cases") --list
fi

# Everything is checked before anything is written.
[ -n "$class" ] || die "$usage"
[ -d "$class" ] || die "'$class' is not a directory of submissions"
class=$(realpath -- "$class")
list_submissions "$class"
n=${#names[@]}
[ "$n" -gt 0 ] || die "no submission in '$class' (a folder or a .so file per student)"
out=$(realpath -m -- "${out:-${PIPELAB_REPORTS_DIR:-$here/reports}/grade-$(date -u +%Y%m%d-%H%M%S)}")
check_out "$out" "$class"
load_timeout=${PIPELAB_GRADE_LOAD_TIMEOUT:-10}
[ "$load_timeout" -ge 1 ] 2>/dev/null || die "PIPELAB_GRADE_LOAD_TIMEOUT='$load_timeout' is not a number of seconds"
uid_base=${PIPELAB_GRADE_UID_BASE:-61000}
[ "$uid_base" -ge 1 ] 2>/dev/null || die "PIPELAB_GRADE_UID_BASE='$uid_base' is not a uid above 0"
[ ${#ignored[@]} -eq 0 ] || say "ignored (neither a folder nor a .so file): ${ignored[*]}"

# The new report is written beside --out and swapped in once complete; the
# students' libraries and temp dirs go to a folder of this run's in TMPDIR
# (or /tmp if TMPDIR's path has a space or colon, which preloads cannot use).
stage='' rt='' interrupted=''
cleanup() {
  [ -z "$stage" ] || rm -rf -- "$stage"
  [ -z "$rt" ] || rm -rf -- "$rt"
  release_uids
}
trap cleanup EXIT
trap 'interrupted=130' INT
trap 'interrupted=143' TERM
root='' uids=()
[ "$(id -u)" != 0 ] || root=1
[ -z "$root" ] || claim_uids "$n" || die "cannot claim the students' uids (claims in /run/pipelab or /var/lib/pipelab)"
# The students' code must reach its library and the FIFO peer program it
# execs; a private folder above either (a clone in /root) would fail them
# all.  Asked as a uid of this run's: no other grade's sweep can kill it.
if [ -n "$root" ] && ! miss=$(uid_reaches "${uids[0]}" "$build/tools/pipelab-fifo-peer"); then
  die "the students' uids cannot reach $miss (a folder above it is private): put pipelab where every user may pass through (not under /root), or chmod o+x the folders above it"
fi
tmp=${TMPDIR:-/tmp}
case "$tmp" in *[[:space:]:]*) tmp=/tmp ;; esac
rt=$(mktemp -d "$tmp/pipelab-grade-XXXXXX") || die "cannot create a folder in '$tmp'"
chmod 0711 "$rt" # each student's uid passes through to its own folder, lists nothing
if [ -n "$root" ] && ! miss=$(uid_reaches "${uids[0]}" "$rt"); then
  die "the students' uids cannot reach $miss: set TMPDIR to a folder every user may pass through (/tmp)"
fi
mkdir -p -- "$(dirname "$out")" || die "cannot create the folder of '$out'"
stage=$(mktemp -d "$(dirname "$out")/.${out##*/}.new-XXXXXX") || die "cannot write beside '$out'"
: >"$stage/$GRADE_MARKER"
printf '%s\n' "$cases" >"$stage/cases.txt"
[ -z "$weights" ] || cp -- "$weights" "$stage/weights.txt"
mkdir "$stage/students"
[ -z "$interrupted" ] || { say "interrupted before any student was graded; nothing written"; exit "$interrupted"; }

# A student whose run was stopped by a signal grade.sh did not get (the OOM
# killer, a kill of the guard) stops the class as an interrupt would.
check_stopped() {
  local f
  for f in "$stage"/students/*/stopped; do
    [ -e "$f" ] && [ -z "$interrupted" ] && interrupted=$(cat "$f") && stopped_by=$(basename "$(dirname "$f")")
  done
  return 0
}
stopped_by=''
start=$(date +%s%N)
for i in "${!names[@]}"; do
  while [ -z "$interrupted" ] && [ "$(jobs -pr | wc -l)" -ge "$jobs" ]; do wait -n; check_stopped; done
  [ -z "$interrupted" ] || break
  grade_one "${names[$i]}" "${entries[$i]}" "${uids[$i]:-}" &
done
while [ -z "$interrupted" ] && [ -n "$(jobs -pr)" ]; do wait -n; check_stopped; done

# With sudo, the finished report is the teacher's (SUDO_UID) to open: the
# students' uids are gone by now; while grading it was root's alone.
give_to_teacher() {
  [ -n "$root" ] && [ -n "${SUDO_UID:-}" ] && [ "$SUDO_UID" != 0 ] || return 0
  chown -R -- "$SUDO_UID:${SUDO_GID:-$SUDO_UID}" "$stage"
}
# Replaces DEST by the stage, under a lock on its parent folder (two grades
# finishing into one --out take turns).
publish() { # DEST
  local fd ok=0
  exec {fd}<"$(dirname "$1")"
  flock "$fd"
  swap_in "$stage" "$1" || ok=1
  exec {fd}<&-
  [ $ok = 0 ] || { trap - EXIT; rm -rf -- "$rt"; release_uids
    die "'$1' could not be replaced (it now holds files grade did not write, or cannot be renamed); the new report is in $stage"; }
  stage=''
}
s=s
[ "$n" = 1 ] && s=''
if [ -n "$interrupted" ]; then
  for p in $(jobs -pr); do kill -TERM "$p" 2>/dev/null; done
  while [ -n "$(jobs -pr)" ]; do wait; done
  done_n=0
  for name in "${names[@]}"; do
    d=$stage/students/$name
    if [ -e "$d/graded" ] || { [ -s "$d/reason" ] && [ ! -e "$d/stopped" ]; }; then done_n=$((done_n + 1)); continue; fi
    [ -s "$d/reason" ] || { mkdir -p "$d" && echo "incomplete run (the grade was interrupted before its turn)" >"$d/reason"; }
  done
  rm -f "$stage"/students/*/graded "$stage"/students/*/stopped
  "$report" class "$stage" --cases "$stage/cases.txt" ${weights:+--weights "$weights"} >/dev/null
  why="interrupted"
  [ -z "$stopped_by" ] || why="stopped, as $stopped_by's run was cut short ($(sed 's/^incomplete run (\(.*\))$/\1/' "$stage/students/$stopped_by/reason" 2>/dev/null))"
  give_to_teacher
  publish "$out-interrupted"
  say "$why: $done_n of $n submission$s graded, the rest not judged; any earlier report in $out is untouched; open $out-interrupted/class.html"
  exit "$interrupted"
fi
rm -f "$stage"/students/*/graded
secs=$((($(date +%s%N) - start) / 1000000))
"$report" class "$stage" --cases "$stage/cases.txt" ${weights:+--weights "$weights"}
rc=$?
if [ $rc -gt 1 ]; then
  [ -z "$interrupted" ] || { say "interrupted while writing the class report; any earlier report in $out is untouched"; exit "$interrupted"; }
  die "the class report could not be written; any earlier report in $out is untouched"
fi
give_to_teacher
publish "$out"
# An earlier interrupted run's partial report is superseded.
if [ -d "$out-interrupted" ] && [ -f "$out-interrupted/$GRADE_MARKER" ]; then rm -rf -- "$out-interrupted"; fi
say "$n submission$s graded in $((secs / 1000)).$(printf '%03d' $((secs % 1000))) s; open $out/class.html"
exit $rc
