#!/usr/bin/env bash
# Renders each golden input and checks what a reader is shown where a
# student once misread a report (tests/report_marks.py): which step is marked
# failing, how a call that returned at once or an actor that died is drawn,
# how the failures are grouped.
# usage: report_marks.sh BUILD_DIR GOLDEN_DIR   (exit 77 = SKIP without python3)
set -u
build=$(cd "$1" && pwd)
golden=$(cd "$2" && pwd)
command -v python3 >/dev/null || { echo "SKIP: python3 is not installed"; exit 77; }
work=$(mktemp -d "${TMPDIR:-/tmp}/pipelab-marks-XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT; trap 'exit 143' TERM
export PIPELAB_DOCS_URL=../../docs
for dir in "$golden"/*/; do
  name=$(basename "$dir")
  "$build/tools/pipelab-report" render "$dir/input" --out "$work/out-$name" >/dev/null || { echo "FAIL $name: render failed"; exit 1; }
  ln -s "$(readlink -f "$work/out-$name/latest")" "$work/$name"
done
# A run with more failures than are shown open: the ring run's records twice
# (the copies' case ids end in "-again").
mkdir -p "$work/many-input"
cp "$golden/ring/input/"*.json "$work/many-input/"
for f in "$golden/ring/input/"*.json; do
  [ "$(basename "$f")" = run.json ] && continue
  sed 's/^\t"case":\t"\([^"]*\)"/\t"case":\t"\1-again"/' "$f" >"$work/many-input/again-$(basename "$f")"
done
"$build/tools/pipelab-report" render "$work/many-input" --out "$work/out-many" >/dev/null || { echo "FAIL many: render failed"; exit 1; }
ln -s "$(readlink -f "$work/out-many/latest")" "$work/many"
python3 "$(dirname "$0")/report_marks.py" "$work"
