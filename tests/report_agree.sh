#!/usr/bin/env bash
# Renders each golden input and checks that the four outputs agree on every
# case verdict, claim verdict and total (tests/report_agree.py), and that a
# claim whose case did not pass is "undecided" everywhere.
# usage: report_agree.sh BUILD_DIR GOLDEN_DIR   (exit 77 = SKIP without python3)
set -u
build=$(cd "$1" && pwd)
golden=$(cd "$2" && pwd)
command -v python3 >/dev/null || { echo "SKIP: python3 is not installed"; exit 77; }
work=$(mktemp -d "${TMPDIR:-/tmp}/pipelab-agree-XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT; trap 'exit 143' TERM
dirs=()
for dir in "$golden"/*/; do
  name=$(basename "$dir")
  "$build/tools/pipelab-report" render "$dir/input" --out "$work/$name" >/dev/null || { echo "FAIL $name: render failed"; exit 1; }
  dirs+=("$(readlink -f "$work/$name/latest")")
done
python3 "$(dirname "$0")/report_agree.py" "${dirs[@]}" || exit 1
# The case of issue 8: claim b's case FAILs; no output may call the claim confirmed.
stu=$(readlink -f "$work/student/latest")
if grep -q '"verdict":[[:space:]]*"confirmed"' <(python3 -c "import json,sys; [print(json.dumps(c)) for c in json.load(open(sys.argv[1]))['claims']]" "$stu/results.json"); then
  echo "FAIL results.json calls a claim confirmed although its case did not pass"; exit 1
fi
grep -q '| b | .*\*\*undecided\*\*' "$stu/report.md" && grep -q 'claim-undecided"><b>undecided</b>' "$stu/index.html" &&
  echo "ok   claim b (its case FAILs) is undecided in report.md, index.html and results.json" ||
  { echo "FAIL claim b is not undecided everywhere"; exit 1; }
# A claim whose case failed before it recorded the claim (golden "failures",
# claim g): its row names the claim and says why it is undecided, in all four.
fai=$(readlink -f "$work/failures/latest")
why='the case failed before deciding (FAIL: '
grep -qF "| g | *with several readers what one reads another cannot* | **undecided**: $why" "$fai/report.md" &&
  grep -qF "<tr><td>g</td>" "$fai/index.html" && grep -qF "<b>undecided</b>: $why" "$fai/index.html" &&
  grep -qF "claim g: undecided: $why" "$fai/junit.xml" &&
  python3 -c "import json,sys; c=[c for c in json.load(open(sys.argv[1]))['claims'] if c['id']=='g']; sys.exit(not (c and c[0]['verdict']=='undecided' and c[0]['why'].startswith(sys.argv[2])))" "$fai/results.json" "$why" &&
  echo "ok   claim g (its case failed before recording it) names the claim and says why in all four outputs" ||
  { echo "FAIL claim g's row is empty or silent in some output"; exit 1; }
