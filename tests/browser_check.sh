#!/usr/bin/env bash
# Opens the reports in headless Chromium: a failing student's report, a class
# report, and the 50-reader timeline.  Each must render (the notes' tables,
# the timeline SVG, no console errors, nothing fetched from the network); the
# timeline's labels must not overlap (measured by Chromium itself: a script
# added to a copy of the page compares the boxes of every SVG text); the
# printed summary (everything before the details) must fit on 3 pages.
# Exit 77 (SKIP) with the reason when chromium is not installed.
# usage: browser_check.sh BUILD_DIR GOLDEN_RUN_DIR
#        PIPELAB_KEEP_SCREENSHOTS=DIR keeps student.png, class.png, timeline-50.png, student.pdf
set -u
build=$(cd "$1" && pwd)
input=$(cd "$2" && pwd)
golden=$(cd "$input/../.." && pwd)
chrome=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chrome" ]; then
  echo "SKIP: chromium is not installed (apt-get install -y chromium); the HTML report was not opened in a browser"
  exit 77
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/pipelab-browser-XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT; trap 'exit 143' TERM # a killed run still cleans up (EXIT trap)
fail() { echo "FAIL: $*"; exit 1; }
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
  --disable-component-update --disable-sync --user-data-dir="$work/profile" --hide-scrollbars)
shot() { # PAGE PNG WIDTH HEIGHT
  timeout 120 "$chrome" "${flags[@]}" --window-size="$3,$4" --screenshot="$2" "file://$1" >/dev/null 2>&1 ||
    fail "chromium could not take a screenshot of $1"
  local size; size=$(stat -c %s "$2" 2>/dev/null || echo 0)
  # A blank page compresses to a few KB; rendered tables and text do not.
  [ "$size" -gt 30000 ] || fail "the screenshot of $1 is nearly empty ($size bytes)"
}
dom() { # PAGE OUT
  timeout 120 "$chrome" "${flags[@]}" --enable-logging=stderr --v=0 --virtual-time-budget=3000 --dump-dom "file://$1" \
    >"$2" 2>"$2.console" || fail "chromium could not load $1"
  if grep -E 'CONSOLE.*(Error|error)|Uncaught|Failed to load' "$2.console"; then fail "console errors while loading $1"; fi
}

# 1. A failing student's report (and the old golden run's cells).
for src in "$input" "$golden/student/input"; do
  "$build/tools/pipelab-report" render "$src" --out "$work/r-$(basename "$(dirname "$src")")" >/dev/null || fail "render of $src failed"
done
page=$(readlink -f "$work/r-student/latest")/index.html
grep -Eo '(src|href)="[a-z]+://[^"]*"|url\([^)]*://' "$page" && fail "the page references external resources"
dom "$page" "$work/student.dom"
grep -q 'id="table-read"' "$work/student.dom" && grep -q 'id="table-write"' "$work/student.dom" || fail "the notes' tables are missing from the DOM"
cells=$(grep -o 'class="cell" id="cell-' "$work/student.dom" | wc -l)
[ "$cells" -eq 8 ] || fail "expected the 8 table cells in the DOM, found $cells"
grep -q '<svg class="timeline"' "$work/student.dom" || fail "no timeline SVG in the DOM"
grep -q 'class="failing"' "$work/student.dom" || fail "no failing step marked"
grep -q 's07 Alice' "$work/student.dom" || fail "the student's name is not in the page"
shot "$page" "$work/student.png" 1200 1600

# 2. The printed summary: everything before "Details of the cases that did not pass".
pages=unmeasured
if command -v pdftotext >/dev/null; then
  timeout 120 "$chrome" "${flags[@]}" --no-pdf-header-footer --print-to-pdf="$work/student.pdf" "file://$page" >/dev/null 2>&1 ||
    fail "chromium could not print the page"
  total=$(pdfinfo "$work/student.pdf" | awk '/^Pages:/ {print $2}')
  pages=0
  for p in $(seq 1 "$total"); do
    # The details start on a page of their own (print CSS): the first page whose
    # first line is their heading (the contents name it too, lower down).
    if pdftotext -f "$p" -l "$p" "$work/student.pdf" - | grep -v '^[[:space:]]*$' | head -1 | grep -q '^Details of the cases that did not pass'; then
      pages=$((p - 1)); break
    fi
  done
  [ "$pages" -ge 1 ] && [ "$pages" -le 3 ] || fail "the printed summary takes $pages pages (of $total); it must fit on 3"
fi

# 3. A class report: two judged students and one not judged.
class=$work/class
mkdir -p "$class/students/alice" "$class/students/bob" "$class/students/carol"
cp -r "$golden/student/input" "$class/students/alice/evidence"
cp -r "$golden/pass/input" "$class/students/bob/evidence"
echo "not an ELF file (a shared library is built with -shared -fPIC)" >"$class/students/carol/reason"
PIPELAB_REPORTS_DIR=$class/students/alice/reports "$build/tools/pipelab-report" render "$class/students/alice/evidence" >/dev/null
"$build/tools/pipelab-report" class "$class" >/dev/null
[ $? -le 1 ] || fail "pipelab-report class failed"
dom "$class/class.html" "$work/class.dom"
grep -q 'id="grid"' "$work/class.dom" && grep -q 'not judged: not an ELF file' "$work/class.dom" || fail "the class grid or the not-judged row is missing"
grep -q 'href="students/alice/reports/latest/index.html"' "$work/class.dom" || fail "no link to alice's report"
shot "$class/class.html" "$work/class.png" 1400 1000

# 4. The 50-reader timeline, unfolded, with Chromium measuring every label.
one=$work/fifty
mkdir -p "$one/input"
cp "$golden/student/input/multi_all-50-blocked-readers-woken-by-last-close_pipe.json" "$golden/student/input/run.json" "$one/input/"
"$build/tools/pipelab-report" render "$one/input" --out "$one/out" >/dev/null || fail "render of the 50-reader case failed"
fifty=$(readlink -f "$one/out/latest")/index.html
sed -i 's/<details class="topic">/<details class="topic" open>/; s/<details><summary>Scenario/<details open><summary>Scenario/' "$fifty"
lanes=$(grep -o '<text class="lane"' "$fifty" | wc -l)
[ "$lanes" -ge 52 ] || fail "the 50-reader timeline has $lanes lanes"
for n in 1 2 49 50; do grep -q ">reader $n<title>" "$fifty" || fail "no lane named \"reader $n\""; done
dots=$(grep -o 'r="3" fill="#000"><title>reader [0-9]*:' "$fifty" | sort -u | wc -l)
[ "$dots" -eq 50 ] || fail "the 50 proof dots are not on 50 lanes ($dots)"
# The timeline alone, as the report draws it, in a page Chromium measures.
tl=$work/timeline.html
{ echo '<!DOCTYPE html><html><head><meta charset="utf-8"><style>body{font:14px sans-serif;margin:8px}</style></head><body>'
  awk '/<svg class="timeline"/ {on=1} on {print} /<\/svg>/ && on {exit}' "$fifty"
  echo '</body></html>'; } >"$tl"
grep -q '<svg class="timeline"' "$tl" || fail "no timeline in the 50-reader page"
probe=$work/probe.html
sed 's|</body>|<script>(function(){var bad=[],n=0;document.querySelectorAll("svg.timeline").forEach(function(s){var t=Array.from(s.querySelectorAll("text")).map(function(e){return [e.textContent.slice(0,40),e.getBoundingClientRect()];});n+=t.length;for(var i=0;i<t.length;i++)for(var j=i+1;j<t.length;j++){var a=t[i][1],b=t[j][1];if(a.left<b.right-0.5\&\&b.left<a.right-0.5\&\&a.top<b.bottom-0.5\&\&b.top<a.bottom-0.5)bad.push(t[i][0]+" / "+t[j][0]);}});var p=document.createElement("pre");p.id="overlap-result";p.textContent="labels "+n+" overlaps "+bad.length+(bad.length?": "+bad.slice(0,5).join("; "):"");document.body.appendChild(p);})();</script></body>|' "$tl" >"$probe"
dom "$probe" "$work/probe.dom"
result=$(grep -o '<pre id="overlap-result">[^<]*' "$work/probe.dom" | sed 's/.*>//')
case "$result" in "labels "*" overlaps 0") ;; *) fail "timeline labels overlap in Chromium: ${result:-no result}" ;; esac
shot "$tl" "$work/timeline-50.png" 940 900

if [ -n "${PIPELAB_KEEP_SCREENSHOTS:-}" ]; then
  mkdir -p "$PIPELAB_KEEP_SCREENSHOTS" && cp "$work"/*.png "$PIPELAB_KEEP_SCREENSHOTS/"
  [ -f "$work/student.pdf" ] && cp "$work/student.pdf" "$PIPELAB_KEEP_SCREENSHOTS/"
fi
echo "PASS: rendered in $($chrome --version 2>/dev/null): student report (8 cells, timeline, failing step marked), class report," \
  "50-reader timeline ($lanes lanes, 50 proof dots, Chromium measured $result), printed summary $pages page(s)"
