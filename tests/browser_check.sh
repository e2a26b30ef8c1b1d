#!/usr/bin/env bash
# Opens a rendered index.html in headless Chromium: the page must render the
# notes' tables, log no console errors, and reference nothing on the network.
# Exit 77 (SKIP) with the reason when chromium is not installed.
# usage: browser_check.sh BUILD_DIR GOLDEN_RUN_DIR
set -u
build=$(cd "$1" && pwd)
input=$(cd "$2" && pwd)
chrome=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chrome" ]; then
  echo "SKIP: chromium is not installed (apt-get install -y chromium); the HTML report was not opened in a browser"
  exit 77
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/pipelab-browser-XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT; trap 'exit 143' TERM # a killed run still cleans up (EXIT trap)
fail() { echo "FAIL: $*"; exit 1; }
"$build/tools/pipelab-report" render "$input" --out "$work/reports" >/dev/null || fail "render failed"
page=$(readlink -f "$work/reports/latest")/index.html

if grep -Eo '(src|href)="[a-z]+://[^"]*"|url\([^)]*://' "$page"; then
  fail "the page references external resources"
fi
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
  --disable-component-update --disable-sync --user-data-dir="$work/profile" --window-size=1200,1600)
timeout 120 "$chrome" "${flags[@]}" --enable-logging=stderr --v=0 --dump-dom "file://$page" \
  >"$work/dom.html" 2>"$work/console.log" || fail "chromium could not load the page"
timeout 120 "$chrome" "${flags[@]}" --screenshot="$work/shot.png" "file://$page" >/dev/null 2>&1 ||
  fail "chromium could not take a screenshot"

grep -q 'id="table-read"' "$work/dom.html" || fail "the read table is missing from the rendered DOM"
grep -q 'id="table-write"' "$work/dom.html" || fail "the write table is missing from the rendered DOM"
cells=$(grep -o 'class="cell" id="cell-' "$work/dom.html" | wc -l)
[ "$cells" -eq 8 ] || fail "expected the 8 table cells in the DOM, found $cells"
grep -q '<svg' "$work/dom.html" || fail "no timeline SVG in the DOM"
if grep -E 'CONSOLE.*(Error|error)|Uncaught|Failed to load' "$work/console.log"; then
  fail "console errors while loading the page"
fi
size=$(stat -c %s "$work/shot.png" 2>/dev/null || echo 0)
# A blank 1200x1600 page compresses to a few KB; rendered tables and text do not.
[ "$size" -gt 30000 ] || fail "the screenshot is nearly empty ($size bytes)"
if [ -n "${PIPELAB_KEEP_SCREENSHOT:-}" ]; then cp "$work/shot.png" "$PIPELAB_KEEP_SCREENSHOT"; fi
echo "PASS: rendered in $($chrome --version 2>/dev/null): 2 tables, $cells cells, timeline SVG, no console errors, screenshot $size bytes"
