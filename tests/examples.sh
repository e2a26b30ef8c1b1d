#!/usr/bin/env bash
# The examples in examples/: the template library passes every case, the one
# with a classic bug (SIGPIPE ignored in write) fails exactly the cases of the
# rules it breaks.  usage: examples.sh BUILD_DIR
set -u
build=$(cd "$1" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/pipelab-examples-XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT; trap 'exit 143' TERM
bad=0
for ex in passthrough sigpipe_ignored; do
  PIPELAB_PRELOAD=$build/examples/$ex.so PIPELAB_TARGET=$ex PIPELAB_RESULTS_DIR=$work/$ex PIPELAB_REPORTS_DIR=$work/reports \
    ctest --test-dir "$build/cases" -j2 -L cases >"$work/$ex.log" 2>&1
  "$build/tools/pipelab-report" verdicts "$work/$ex" | awk '$2 != "PASS" {print $1}' | sort >"$work/$ex.red"
  echo "$ex: $(wc -l <"$work/$ex.red") cases not PASS"
done
if [ -s "$work/passthrough.red" ]; then echo "FAIL the template does not pass: $(cat "$work/passthrough.red")"; bad=1; fi
for c in write/closed/full@pipe write/closed/not-full@fifo claims/b-sigpipe-does-not-terminate; do
  grep -qx "$c" "$work/sigpipe_ignored.red" || { echo "FAIL sigpipe_ignored did not fail $c"; bad=1; }
done
if grep -v -e '^write/closed/' -e '^wakeup/blocked-writer-' -e '^claims/b-' "$work/sigpipe_ignored.red"; then
  echo "FAIL sigpipe_ignored failed cases beyond the SIGPIPE rules (above)"; bad=1
fi
[ $bad -eq 0 ] && echo "PASS: the template passes all cases; the buggy example fails only the SIGPIPE rules"
exit $bad
