#!/usr/bin/env bash
# Self-test: bad input gives a clear message and a non-zero exit, fast, and the
# records of what did run are still written.
# usage: bad_input.sh BUILD_DIR SOURCE_DIR
set -u
build=$(cd "$1" && pwd)
src=$(cd "$2" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/pipelab-badinput-XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT; trap 'exit 143' TERM # a killed run still cleans up (EXIT trap)
bad=0
n=0
expect() { # name, expected text, command...
  local name=$1 text=$2
  shift 2
  n=$((n + 1))
  local out rc
  out=$(timeout 60 "$@" 2>&1)
  rc=$?
  if [ $rc -eq 0 ] || [ $rc -eq 124 ] || ! grep -qF -- "$text" <<<"$out"; then
    echo "FAIL $name (exit $rc): expected a non-zero exit and '$text' in:"
    sed 's/^/    /' <<<"$out" | tail -5
    bad=$((bad + 1))
  else
    echo "ok   $name (exit $rc)"
  fi
}
one=(--test-dir "$build/cases" -R '^read/open/data@pipe$')

expect "missing preload" "PIPELAB_PRELOAD names '/nonexistent/lib.so'" \
  env PIPELAB_PRELOAD=/nonexistent/lib.so PIPELAB_RESULTS_DIR=$work/r1 PIPELAB_REPORTS_DIR=$work/rep \
  ctest "${one[@]}" --output-on-failure
verdict=$("$build/tools/pipelab-report" verdicts "$work/r1" | awk '{print $2}')
n=$((n + 1))
if [ "$verdict" = BROKEN ]; then echo "ok   missing preload still leaves a BROKEN record"; else
  echo "FAIL missing preload: record verdict '$verdict', expected BROKEN"; bad=$((bad + 1)); fi
[ -f "$work/rep/latest/index.html" ] && { n=$((n + 1)); echo "ok   the report of that run is still written"; } ||
  { n=$((n + 1)); echo "FAIL no report written after bad preload"; bad=$((bad + 1)); }

expect "preload that is not a library" "not a shared library" \
  env PIPELAB_PRELOAD=/etc/hostname PIPELAB_RESULTS_DIR=$work/r2 PIPELAB_REPORTS_DIR=$work/rep \
  ctest "${one[@]}" --output-on-failure
expect "missing emulator" "PIPELAB_EMULATOR names 'pipelab-no-such-emulator'" \
  env PIPELAB_EMULATOR=pipelab-no-such-emulator PIPELAB_RESULTS_DIR=$work/r3 PIPELAB_REPORTS_DIR=$work/rep \
  ctest "${one[@]}" --output-on-failure
verdict=$("$build/tools/pipelab-report" verdicts "$work/r3" | awk '{print $2}')
n=$((n + 1))
if [ "$verdict" = BROKEN ]; then echo "ok   missing emulator leaves a BROKEN record"; else
  echo "FAIL missing emulator: record verdict '$verdict', expected BROKEN"; bad=$((bad + 1)); fi
expect "unwritable results dir" "results directory '/proc/pipelab-nowhere'" \
  env PIPELAB_RESULTS_DIR=/proc/pipelab-nowhere PIPELAB_REPORTS_DIR=$work/rep \
  ctest "${one[@]}" --output-on-failure
expect "missing dependency" "apt-get install -y pipelab-no-such-package" \
  env PIPELAB_NO_INSTALL=1 PIPELAB_EXTRA_PACKAGES=pipelab-no-such-package "$src/pipelab" run
expect "missing VM kernel" "kernel image '/nonexistent/vmlinuz' cannot be read" \
  "$src/tools/vm.sh" "$build" /nonexistent/vmlinuz
expect "unknown driver command" "unknown command 'frobnicate'" "$src/pipelab" frobnicate
expect "a deadline multiplier below 1" "PIPELAB_TIMEOUT_MULT='0.5' is not a multiplier" \
  env PIPELAB_TIMEOUT_MULT=0.5 "$src/pipelab" run -L table
expect "report of a missing run" "cannot open results directory" "$build/tools/pipelab-report" render "$work/none" --out "$work/rep"
echo "$((n - bad)) passed, $bad failed"
[ $bad -eq 0 ]
