#!/usr/bin/env bash
# Golden-output tests of the report renderer on fixed evidence: a passing run,
# a run with failures, a run with crashed and timed-out cases.
# usage: golden.sh BUILD_DIR GOLDEN_DIR     (UPDATE_GOLDEN=1 rewrites the expected files)
set -u
build=$(cd "$1" && pwd)
golden=$(cd "$2" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/pipelab-golden-XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT; trap 'exit 143' TERM # a killed run still cleans up (EXIT trap)
# The report links the clone's docs relative to where it is written; the golden
# files keep the link a report in reports/<run>/ has.
export PIPELAB_DOCS_URL=../../docs
bad=0
n=0
for dir in "$golden"/*/; do
  name=$(basename "$dir")
  out=$work/$name
  if ! "$build/tools/pipelab-report" render "$dir/input" --out "$out" >/dev/null; then
    echo "FAIL $name: render failed"; bad=$((bad + 1)); continue
  fi
  run=$(readlink "$out/latest")
  for f in report.md index.html junit.xml results.json; do
    n=$((n + 1))
    if [ -n "${UPDATE_GOLDEN:-}" ]; then
      mkdir -p "$dir/expected"; cp "$out/$run/$f" "$dir/expected/$f"; echo "updated $name/$f"; continue
    fi
    if diff -u "$dir/expected/$f" "$out/$run/$f" >"$work/diff" 2>&1; then
      echo "ok   $name/$f"
    else
      echo "FAIL $name/$f differs from the golden file:"; head -40 "$work/diff"; bad=$((bad + 1))
    fi
  done
  # The four outputs must agree on the totals.
  n=$((n + 1))
  md=$(grep -Eo '\*\*[0-9]* cases?\*\*' "$out/$run/report.md" | tr -dc 0-9)
  html=$(grep -Eo '<span>[0-9]* cases?</span>' "$out/$run/index.html" | tr -dc 0-9)
  junit=$(grep -o '<testsuite [^>]*tests="[0-9]*"' "$out/$run/junit.xml" | sed 's/.*tests="//; s/"//')
  json=$(grep -m1 -o '"cases":[[:space:]]*[0-9]*' "$out/$run/results.json" | tr -dc 0-9)
  if [ -n "$md" ] && [ "$md" = "$html" ] && [ "$md" = "$junit" ] && [ "$md" = "$json" ]; then
    echo "ok   $name: all four outputs count $md cases"
  else
    echo "FAIL $name: totals disagree: md=$md html=$html junit=$junit json=$json"; bad=$((bad + 1))
  fi
done
# compare: two runs side by side, disagreements marked; a case only one run
# has is "not run" on the other, no disagreement.
n=$((n + 1))
"$build/tools/pipelab-report" compare "$golden/pass/input" "$golden/student/input" --out "$work/cmp" >/dev/null
if grep -q 'class="dis"' "$work/cmp/compare.html" 2>/dev/null && grep -q '⚠ `write/closed/full@pipe`' "$work/cmp/compare.md" &&
  ! grep -q '⚠ `write/open/full@fifo`' "$work/cmp/compare.md" && grep -q '^- not run on .*`write/open/full@fifo`' "$work/cmp/compare.md"; then
  echo "ok   compare marks write/closed/full@pipe, which the two runs disagree on, and lists write/open/full@fifo as not run"
else
  echo "FAIL compare did not mark the disagreement, or marked a case one run lacks"; bad=$((bad + 1))
fi
# The HTML pages use symbols any font has: emoji (the Markdown's marks) show
# as empty boxes in a browser without an emoji font, as headless Chromium is.
n=$((n + 1))
emoji=$(LC_ALL=C.UTF-8 grep -lP '[\x{2705}\x{274C}\x{2796}\x{23F1}\x{1F300}-\x{1FAFF}]' "$work"/*/*/index.html "$work/cmp/compare.html" 2>/dev/null)
if [ -z "$emoji" ]; then
  echo "ok   no emoji in the HTML pages"
else
  echo "FAIL emoji in HTML (boxes without an emoji font): $emoji"; bad=$((bad + 1))
fi
echo "$((n - bad)) passed, $bad failed"
[ $bad -eq 0 ]
