#!/usr/bin/env bash
# Grade a class: every submission in SUBMISSIONS_DIR is one student's shared
# library (alice.so) or a directory holding one (alice/libpipe.so); the
# student's name is the file's or the directory's name.  Each student runs the
# whole suite in isolation (own evidence and report folders, own TMPDIR), with
# the library preloaded; several students at once, up to the cores.  Nothing
# is rebuilt per student.
#
# usage: grade.sh SUBMISSIONS_DIR [--out DIR] [--weights FILE] [--jobs N]
#   --out DIR      where the class report goes (default: reports/grade-DATE)
#   --weights FILE "RULE WEIGHT" lines; a prefix ending in * matches many rules
#                  (default: 1 per rule, claims/* 0; see docs/grading.md)
#   --jobs N       students at once (default: the number of cores)
# Environment: PIPELAB_BUILD_DIR (default: build), PIPELAB_GRADE_CASE_JOBS
# (ctest -j per student, default 2), PIPELAB_GRADE_LOAD_TIMEOUT (seconds, 10),
# PIPELAB_GRADE_UID_BASE (default 61000): run as root, student number i runs
# as uid BASE+i (uids the system knows are skipped), so that one student's
# code can signal only that student's own processes.
# Exit: 0 every student scores full marks, 1 some does not, 2 usage or setup
# error; interrupted (Ctrl-C, SIGTERM), 130 or 143, with the class report of
# the students who finished (the others "interrupted").
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${PIPELAB_BUILD_DIR:-$here/build}
say() { printf 'pipelab grade: %s\n' "$*" >&2; }
die() { say "$*"; exit 2; }

subs='' out='' weights='' jobs=$(nproc 2>/dev/null || echo 2)
while [ $# -gt 0 ]; do
  case "$1" in
    --out) [ $# -ge 2 ] || die "--out needs a directory"; out=$2; shift 2 ;;
    --weights) [ $# -ge 2 ] || die "--weights needs a file"; weights=$2; shift 2 ;;
    --jobs) [ $# -ge 2 ] && [ "$2" -ge 1 ] 2>/dev/null || die "--jobs needs a number >= 1"; jobs=$2; shift 2 ;;
    -h|--help) sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown option '$1' (see --help)" ;;
    *) [ -z "$subs" ] || die "one SUBMISSIONS_DIR only ('$1' is a second)"; subs=$1; shift ;;
  esac
done
[ -n "$subs" ] || die "usage: ./pipelab grade SUBMISSIONS_DIR [--out DIR] [--weights FILE] [--jobs N]"
[ -d "$subs" ] || die "'$subs' is not a directory of submissions"
subs=$(cd "$subs" && pwd)
if [ -n "$weights" ]; then
  [ -r "$weights" ] || die "the weights file '$weights' cannot be read"
  weights=$(cd "$(dirname "$weights")" && pwd)/$(basename "$weights")
fi
report=$build/tools/pipelab-report check=$build/tools/pipelab-check-impl guard=$build/tools/pipelab-guard
load_timeout=${PIPELAB_GRADE_LOAD_TIMEOUT:-10}
[ "$load_timeout" -ge 1 ] 2>/dev/null || die "PIPELAB_GRADE_LOAD_TIMEOUT='$load_timeout' is not a number of seconds"
[ -x "$report" ] && [ -x "$check" ] && [ -x "$guard" ] && [ -f "$build/cases/CTestTestfile.cmake" ] || die "no built suite in $build (./pipelab grade builds it)"
out=${out:-${PIPELAB_REPORTS_DIR:-$here/reports}/grade-$(date -u +%Y%m%d-%H%M%S)}
mkdir -p "$out/students" || die "cannot create '$out'"
out=$(cd "$out" && pwd)
chmod 0711 "$out" "$out/students" # students pass through to their own folder, never list
rm -rf "${out:?}/students/"* "$out/class.html" "$out/class.csv"
[ -n "$weights" ] && cp "$weights" "$out/weights.txt"

# The suite's cases: a rule with no record for a student is NOT RUN, a fail.
# (ids: an entry may hold several variants, tools/case_ids.sh)
"$here/tools/case_ids.sh" "$build/cases" -L cases >"$out/cases.txt"
[ -s "$out/cases.txt" ] || die "the suite in $build lists no case"

# The shared library of a submission, or why there is none (on stdout, rc 1).
# Its real path: the actors load it from there, so links (the autograder's
# class is one, in a private temp dir) must not stand in their way.
find_library() { # ENTRY
  if [ -d "$1" ]; then
    local libs
    libs=$(find -H "$1" -maxdepth 2 -type f -name '*.so*' 2>/dev/null | sort)
    [ -n "$libs" ] || { echo "no shared library (*.so) in the submitted directory"; return 1; }
    [ "$(printf '%s\n' "$libs" | wc -l)" -eq 1 ] || { echo "several shared libraries in the directory: $(printf '%s\n' "$libs" | sed "s|^$1/||" | paste -sd ' ')"; return 1; }
    realpath -- "$libs"
  elif [ -f "$1" ]; then
    realpath -- "$1"
  else
    echo "the submission is missing (a dangling link or not a file)"; return 1
  fi
}

# Runs CMD in the background and waits for it, so that a TERM to this
# student's subshell (bash runs traps only between commands) stops it at once.
stop=''
run_stoppable() { # CMD...
  "$@" &
  local p=$! rc
  while :; do
    wait "$p"; rc=$?
    [ -z "$stop" ] && return $rc
    kill -TERM "$p" 2>/dev/null
    kill -0 "$p" 2>/dev/null || return 143
  done
}

grade_one() { # NAME ENTRY UID
  local name=$1 dir=$out/students/$1 lib why
  trap 'stop=1' TERM
  [ -n "$3" ] && export PIPELAB_UNPRIVILEGED_USER=$3
  # What the lab writes here is for root (the launcher writes the evidence
  # and the reports as root); other students' uids may pass through the
  # folder to their own, never list or read it.
  local mask; mask=$(umask); umask 077
  mkdir -p "$dir/tmp" "$dir/evidence" "$dir/reports"
  chmod 0711 "$dir"
  if ! lib=$(find_library "$2"); then echo "$lib" >"$dir/reason"; rm -rf "$dir/tmp"; return; fi
  echo "$lib" >"$dir/library"
  # The library loaded is a copy only this student's uid can read.
  mkdir -p "$dir/lib" && cp -- "$lib" "$dir/lib/${lib##*/}" ||
    { echo "the submission cannot be copied" >"$dir/reason"; rm -rf "$dir/tmp"; return; }
  lib=$dir/lib/${lib##*/}
  chmod 0400 "$lib"; chmod 0700 "$dir/lib"
  [ -n "$3" ] && chown "$3:$3" "$dir/lib" "$lib" "$dir/tmp"
  # A library the actors cannot load, or whose loading crashes or hangs, is
  # not judged: pipelab-check-impl says why (it loads it unprivileged, in a
  # throwaway process, never in this script or as root).
  if ! run_stoppable "$check" --reason --deadline "$load_timeout" "$lib" >"$dir/why"; then
    [ -n "$stop" ] && { rm -rf "$dir/tmp" "$dir/why"; exit 143; }
    why=$(cat "$dir/why")
    echo "${why:-its library could not be checked}" >"$dir/reason"; rm -rf "$dir/tmp" "$dir/why"; return
  fi
  rm -f "$dir/why"
  # The report's links to the rule catalogue, from students/NAME/reports/RUN/.
  local docs
  docs=$(realpath -m --relative-to="$dir/reports/run" "$here/docs")
  : >"$dir/ctest.log"; : >"$dir/ctest-junit.xml"
  umask "$mask" # the cases run with the caller's umask
  # Under the guard: stopped, it stops ctest's whole tree, nothing orphaned.
  PIPELAB_PRELOAD=$lib PIPELAB_TARGET=$name PIPELAB_RESULTS_DIR=$dir/evidence PIPELAB_REPORTS_DIR=$dir/reports \
    PIPELAB_DOCS_URL=$docs TMPDIR=$dir/tmp run_stoppable "$guard" -- ctest --test-dir "$build/cases" -L cases \
    -j "${PIPELAB_GRADE_CASE_JOBS:-2}" --output-junit "$dir/ctest-junit.xml" >"$dir/ctest.log" 2>&1
  # Whatever of this student's code still runs (it hid from ctest's and the
  # launcher's deadlines with setsid) ends here: the uid is this student's.
  [ -n "$3" ] && "$check" --sweep "$3"
  rm -rf "$dir/tmp"
  [ -n "$stop" ] && exit 143
  chmod 0600 "$dir/ctest-junit.xml" 2>/dev/null # ctest writes it anew
  ls "$dir/evidence"/*.json >/dev/null 2>&1 || echo "no case ran with it (see students/$name/ctest.log)" >"$dir/reason"
  : >"$dir/graded"
}

# Run as root, each student's code runs as a uid of its own, no account's.
uid_base=${PIPELAB_GRADE_UID_BASE:-61000}
[ "$uid_base" -ge 1 ] 2>/dev/null || die "PIPELAB_GRADE_UID_BASE='$uid_base' is not a uid above 0"
next_uid=$uid_base
uid=''
next_student_uid() { # sets uid (empty when not root: no box, no uid to give)
  uid=''
  [ "$(id -u)" = 0 ] || return 0
  while getent passwd "$next_uid" >/dev/null; do next_uid=$((next_uid + 1)); done
  uid=$next_uid; next_uid=$((next_uid + 1))
}

# The students, named after their submissions.
names=() entries=()
declare -A seen=()
for entry in "$subs"/*; do
  [ -e "$entry" ] || [ -L "$entry" ] || continue
  name=$(basename "$entry")
  name=${name%%.so*}
  name=$(printf '%s' "$name" | tr -c 'A-Za-z0-9._-' '_')
  [ -n "${seen[$name]:-}" ] && name=$name-${#names[@]}
  seen[$name]=1
  names+=("$name") entries+=("$entry")
done
n=${#names[@]}
[ $n -gt 0 ] || die "no submission in '$subs'"

# An interrupt (Ctrl-C, SIGTERM to this script) stops every student's run,
# then the class report is written for those who finished.
interrupted=''
trap 'interrupted=130' INT
trap 'interrupted=143' TERM
start=$(date +%s%N)
for i in "${!names[@]}"; do
  while [ -z "$interrupted" ] && [ "$(jobs -pr | wc -l)" -ge "$jobs" ]; do wait -n; done
  [ -z "$interrupted" ] || break
  next_student_uid
  grade_one "${names[$i]}" "${entries[$i]}" "$uid" &
done
while [ -z "$interrupted" ] && [ -n "$(jobs -pr)" ]; do wait; done
if [ -n "$interrupted" ]; then
  for p in $(jobs -pr); do kill -TERM "$p" 2>/dev/null; done
  while [ -n "$(jobs -pr)" ]; do wait; done
  done_n=0
  for name in "${names[@]}"; do
    dir=$out/students/$name
    if [ -e "$dir/graded" ] || [ -s "$dir/reason" ]; then done_n=$((done_n + 1)); continue; fi
    mkdir -p "$dir" && echo "interrupted" >"$dir/reason"
  done
  rm -f "$out"/students/*/graded
  "$report" class "$out" --cases "$out/cases.txt" ${weights:+--weights "$out/weights.txt"} >/dev/null
  say "interrupted: $done_n of $n submission$([ $n = 1 ] || echo s) graded, the rest not judged; open $out/class.html"
  exit "$interrupted"
fi
rm -f "$out"/students/*/graded
secs=$(( ($(date +%s%N) - start) / 1000000 ))
"$report" class "$out" --cases "$out/cases.txt" ${weights:+--weights "$out/weights.txt"}
rc=$?
say "$n submission$([ $n = 1 ] || echo s) graded in $((secs / 1000)).$(printf '%03d' $((secs % 1000))) s; open $out/class.html"
exit $rc
