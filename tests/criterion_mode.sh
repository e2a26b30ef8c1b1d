#!/usr/bin/env bash
# The case binaries under Criterion's own runner (what a user gets by running
# one by hand): every case passes there too, with its evidence written.
# usage: criterion_mode.sh BUILD_DIR
set -u
build=$(cd "$1" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/pipelab-criterion-XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT; trap 'exit 143' TERM # a killed run still cleans up (EXIT trap)
export PIPELAB_RESULTS_DIR=$work/results TMPDIR=$work
mkdir -p "$PIPELAB_RESULTS_DIR"
bad=0
n=0
for bin in "$build"/cases/*; do
  [ -f "$bin" ] && [ -x "$bin" ] || continue
  n=$((n + 1))
  out=$("$bin" 2>&1)
  synth=$(grep 'Synthesis' <<<"$out")
  if [ $? -ne 0 ] || ! grep -q 'Failing: 0 | Crashing: 0' <<<"$synth"; then
    echo "FAIL $(basename "$bin"): $synth"; grep -E '^\[(FAIL|----)\]|pipelab:' <<<"$out" | head -10; bad=$((bad + 1))
  else
    echo "ok   $(basename "$bin"): $synth"
  fi
done
records=$(ls "$PIPELAB_RESULTS_DIR" | wc -l)
echo "$records evidence records written"
[ "$records" -gt 0 ] || { echo "FAIL: no evidence under Criterion's runner"; bad=$((bad + 1)); }
echo "$((n - bad)) passed, $bad failed"
[ $bad -eq 0 ]
