#!/usr/bin/env bash
# Self-test (issue 7.3): the VM is untrusted input. A guest that prints
# crafted records (path traversal, an absolute path, an unknown case id, a
# record naming another case, an oversized record, stray markers) changes
# nothing outside the results dir; the real records still come through and
# the rest is ignored and counted.
# usage: vm_hostile.sh BUILD_DIR SOURCE_DIR
set -u
. "$(dirname "$0")/vm/preamble.sh"
vm_test_begin vmhostile "$@"
mkdir -p "$work/a/b/results" "$work/outside" "$work/tmp"
: >"$work/vm.log"
before=$(find "$work" -path "$work/a/b/results" -prune -o -path "$work/reports" -prune -o -path "$work/tmp" -prune -o -print | sort)
TMPDIR=$work/tmp PIPELAB_VM_GUEST_HOOK=$src/tests/vm/hostile_guest.sh PIPELAB_VM_FILTER='^read/open/(no-)?data@pipe$' \
  PIPELAB_RESULTS_DIR=$work/a/b/results PIPELAB_REPORTS_DIR=$work/reports \
  "$src/tools/vm.sh" "$build" "${PIPELAB_VM_SERIES:-6.1}" >"$work/vm.log" 2>&1
rc=$?
cat "$work/vm.log"
grep -q 'apt-get download .* failed\|cannot reach Debian' "$work/vm.log" && { echo "SKIP: no kernel image could be fetched"; exit 77; }
bad=0
after=$(find "$work" -path "$work/a/b/results" -prune -o -path "$work/reports" -prune -o -path "$work/tmp" -prune -o -print | sort)
[ "$before" = "$after" ] || { echo "FAIL files appeared outside the results dir:"; diff <(echo "$before") <(echo "$after"); bad=1; }
[ ! -e /tmp/pipelab-vm-hostile-abs ] || { echo "FAIL the guest wrote an absolute host path"; bad=1; }
[ -z "$(ls -A "$work/tmp")" ] || { echo "FAIL the VM tool left temp files: $(ls "$work/tmp")"; bad=1; }
files=$(cd "$work/a/b/results" && ls | sort | paste -sd' ')
[ "$files" = "read_open_data_pipe.json read_open_no-data_pipe.json run.json" ] || { echo "FAIL unexpected results files: $files"; bad=1; }
for id in read/open/data@pipe read/open/no-data@pipe; do
  f=$work/a/b/results/$(tr '/@' '__' <<<"$id").json
  grep -q "\"case\":[[:space:]]*\"$id\"" "$f" && grep -q '"scenarios"' "$f" && [ "$(wc -c <"$f")" -lt 1048576 ] ||
    { echo "FAIL the record of $id is not the launcher's"; bad=1; }
done
grep -Eq 'ignored [1-9][0-9]* malformed' "$work/vm.log" || { echo "FAIL the crafted records were not counted"; bad=1; }
[ $rc -eq 0 ] || { echo "FAIL the VM run failed (exit $rc)"; bad=1; }
[ $bad -eq 0 ] && echo "ok   crafted guest records changed nothing outside the results dir; the real records came through"
exit $bad
