#!/usr/bin/env bash
# usage: ./pipelab autograder [--out FILE.zip] [--weights FILE]
# Writes the zip Gradescope expects for a programming assignment: setup.sh
# and run_autograder at its root, the weights (checked against the suite's
# rules first) as weights.txt, and pipelab's own files under pipelab/: the
# files git tracks, as they are in the work tree (uncommitted edits to them
# included and counted; untracked files never, so a course folder, grades or
# an earlier zip in the clone stay out).  A copy that is not a git clone is
# refused.  Gradescope unpacks the zip in /autograder/source.
#   --out FILE.zip  default: autograder.zip where you stand
#   --weights FILE  "RULE WEIGHT" lines (docs/grading.md)
# Exit: 0 written, 2 usage or setup error (nothing written).
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${PIPELAB_BUILD_DIR:-$here/build}
say() { printf 'pipelab autograder: %s\n' "$*" >&2; }
die() { say "$*"; exit 2; }
out=autograder.zip weights=''
while [ $# -gt 0 ]; do
  case "$1" in
    --out) [ $# -ge 2 ] && [ -n "$2" ] || die "--out needs a file name"; out=$2; shift 2 ;;
    --weights) [ $# -ge 2 ] && [ -f "$2" ] && [ -r "$2" ] || die "--weights needs a readable file"; weights=$2; shift 2 ;;
    -h | --help) sed -n '2,/^# Exit/p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$1' (usage: ./pipelab autograder [--out FILE.zip] [--weights FILE])" ;;
  esac
done
case "$out" in /*) ;; *) out=$PWD/$out ;; esac
[ -d "$(dirname "$out")" ] || die "--out: the folder of '$out' does not exist"
# A weights file Gradescope would apply to every submission: any line that
# matches no rule is refused here, before the zip exists.
if [ -n "$weights" ]; then
  [ -x "$build/tools/pipelab-report" ] || die "no built suite in $build to check the weights against (./pipelab autograder builds it)"
  cases=$("$here/tools/case_ids.sh" "$build/cases" -L cases)
  why=$("$build/tools/pipelab-report" weights "$weights" --cases <(printf '%s\n' "$cases") 2>&1 >/dev/null) ||
    die "${why:-the weights file '$weights' cannot be checked}"
fi
git -C "$here" rev-parse --git-dir >/dev/null 2>&1 ||
  die "$here is not a git clone: the zip holds the files git tracks, so that nothing else in the folder goes in"

stage=$(mktemp -d "${TMPDIR:-/tmp}/pipelab-zip-XXXXXX") || die "cannot create a temp dir"
trap 'rm -rf "$stage"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
mkdir -p "$stage/pipelab"
cp -p "$here/tools/cli/autograder/setup.sh" "$here/tools/cli/autograder/run_autograder" "$stage/"
[ -z "$weights" ] || cp "$weights" "$stage/weights.txt"
# Tracked files as they are now; one deleted in the work tree stays out.
(cd "$here" && git ls-files -z | while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
  xargs -0r cp --parents -p -t "$stage/pipelab") || die "copying the source tree failed"
edited=$(git -C "$here" status --porcelain --untracked-files=no | wc -l)
tmpzip=$(mktemp "$out.XXXXXX") || die "cannot write beside '$out'"
rm -f "$tmpzip"
(cd "$stage" && cmake -E tar cf "$tmpzip" --format=zip setup.sh run_autograder pipelab $([ -n "$weights" ] && echo weights.txt)) &&
  mv -f "$tmpzip" "$out" || { rm -f "$tmpzip"; die "writing $out failed"; }
note=''
[ "$edited" = 0 ] || note=", with uncommitted edits to $edited tracked file$([ "$edited" = 1 ] || echo s)"
say "wrote $out ($(du -k "$out" | cut -f1) KB$note): upload it as the autograder of a Gradescope programming assignment"
