#!/usr/bin/env bash
# Self-test: a VM run that its timeout stops (a guest that hangs before the
# cases) reports what happened, never an all-green run: exit 1, one line on
# the terminal naming the timeout and the kept console log (no raw records),
# and a report whose every case is NOT RUN with that reason; reports/latest
# is not moved to it.
# usage: vm_timeout.sh BUILD_DIR SOURCE_DIR
set -u
. "$(dirname "$0")/vm/preamble.sh"
vm_test_begin vmtimeout "$@"
PIPELAB_VM_GUEST_HOOK=$src/tests/vm/sleeping_guest.sh PIPELAB_VM_TIMEOUT=${PIPELAB_VM_TEST_TIMEOUT:-20} \
  PIPELAB_VM_FILTER='^read/open/' PIPELAB_RESULTS_DIR=$work/results PIPELAB_REPORTS_DIR=$work/reports \
  "$src/tools/vm.sh" "$build" "${PIPELAB_VM_SERIES:-6.1}" >"$work/vm.log" 2>&1
rc=$?
cat "$work/vm.log"
grep -q 'apt-get download .* failed\|cannot reach Debian' "$work/vm.log" && { echo "SKIP: no kernel image could be fetched"; exit 77; }
bad=0
fail() { echo "FAIL $*"; bad=1; }
[ $rc -eq 1 ] || fail "exit $rc, expected 1"
grep -q 'stopped by its timeout after .* console log: /.*/vm/console-.*\.log$' "$work/vm.log" ||
  fail "no line saying the timeout stopped the VM and where its console log is"
kept=$(grep -o 'console log: /[^ ]*' "$work/vm.log" | head -1 | cut -d' ' -f3)
[ -n "$kept" ] && [ -s "$kept" ] && [ "$(wc -c <"$kept")" -le 1048576 ] || fail "the console log '$kept' was not kept (or is over 1 MiB)"
! grep -q '^[[:space:]]*"' "$work/vm.log" || fail "raw records were printed to the terminal"
json=$(ls "$work"/reports/*-incomplete/results.json 2>/dev/null | head -1)
[ -n "$json" ] || fail "no report named -incomplete"
[ -n "$json" ] && python3 - "$json" <<'PY' || bad=1
import json, sys
r = json.load(open(sys.argv[1]))
t = r["totals"]
notrun = [c for c in r["cases"] if c["verdict"] == "NOT RUN"]
ok = t["cases"] == 4 and t["NOT RUN"] == 4 and t["PASS"] == 0 and all("timeout" in c["reason"] for c in notrun)
print("report totals:", t)
if not ok:
    print("FAIL expected 4 cases, all NOT RUN for the timeout")
sys.exit(0 if ok else 1)
PY
[ ! -e "$work/reports/latest" ] || fail "reports/latest points at the incomplete run"
[ $bad -eq 0 ] && echo "ok   a VM stopped by its timeout: exit 1, one line naming the kept console log, every unfinished case NOT RUN"
exit $bad
