#!/usr/bin/env bash
# Writes the zip Gradescope expects for a programming assignment: setup.sh and
# run_autograder at its root, and this pipelab source tree (the files git
# tracks) under pipelab/.  Gradescope unpacks it in /autograder/source.
# usage: autograder.sh [--out FILE.zip] [--weights FILE]
# Exit: 0 written, 2 usage or setup error.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
say() { printf 'pipelab autograder: %s\n' "$*" >&2; }
out=autograder.zip weights=''
while [ $# -gt 0 ]; do
  case "$1" in
    --out) [ $# -ge 2 ] || { say "--out needs a file name"; exit 2; }; out=$2; shift 2 ;;
    --weights) [ $# -ge 2 ] && [ -r "$2" ] || { say "--weights needs a readable file"; exit 2; }; weights=$2; shift 2 ;;
    -h|--help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) say "unknown argument '$1' (usage: ./pipelab autograder [--out FILE.zip] [--weights FILE])"; exit 2 ;;
  esac
done
case "$out" in /*) ;; *) out=$PWD/$out ;; esac
stage=$(mktemp -d "${TMPDIR:-/tmp}/pipelab-zip-XXXXXX")
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/pipelab"
cp -p "$here/tools/cli/autograder/setup.sh" "$here/tools/cli/autograder/run_autograder" "$stage/"
[ -n "$weights" ] && cp "$weights" "$stage/weights.txt"
if git -C "$here" rev-parse --git-dir >/dev/null 2>&1; then
  (cd "$here" && git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -p -t "$stage/pipelab") ||
    { say "copying the source tree failed"; exit 2; }
else
  (cd "$here" && tar cf - --exclude='./build*' --exclude=./reports .) | (cd "$stage/pipelab" && tar xf -)
fi
rm -f "$out"
(cd "$stage" && cmake -E tar cf "$out" --format=zip setup.sh run_autograder pipelab $( [ -n "$weights" ] && echo weights.txt)) ||
  { say "writing $out failed"; exit 2; }
say "wrote $out ($(du -k "$out" | cut -f1) KB): upload it as the autograder of a Gradescope programming assignment"
