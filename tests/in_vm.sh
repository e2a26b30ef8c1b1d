#!/usr/bin/env bash
# Self-test: the lab runs inside a VM booted on another kernel (Debian's,
# under qemu-system): the notes' 16 table cells pass there, their records
# name the VM's kernel release and target, and each "blocks" cell is proven
# through the VM's /proc.
# usage: in_vm.sh BUILD_DIR SOURCE_DIR
set -u
build=$(cd "$1" && pwd)
src=$(cd "$2" && pwd)
for tool in qemu-system-x86_64 cpio; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool is not installed (apt-get install qemu-system-x86 busybox-static cpio)"; exit 77; }
done
work=$(mktemp -d "${TMPDIR:-/tmp}/pipelab-vm-XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT; trap 'exit 143' TERM # a killed run still cleans up (EXIT trap)
PIPELAB_VM_FILTER='^(read|write)/' PIPELAB_RESULTS_DIR=$work/results PIPELAB_REPORTS_DIR=$work/reports \
  "$src/tools/vm.sh" "$build" >"$work/vm.log" 2>&1
rc=$?
cat "$work/vm.log"
if [ $rc -ne 0 ]; then
  # No kernel to boot is a missing prerequisite, not a lab failure.
  grep -q 'apt-get download .* failed\|cannot tell which Debian kernel' "$work/vm.log" && { echo "SKIP: no kernel image could be fetched"; exit 77; }
  echo "FAIL the VM run failed (exit $rc)"
  exit 1
fi
bad=0
release=$(grep -ao '@@PIPELAB-VM-START [^ ]*' "$build/vm/console.log.txt" | awk '{print $2; exit}')
records=$(ls "$work"/results/*.json | grep -vc '/run\.json$')
passed=$("$build/tools/pipelab-report" verdicts "$work/results" | grep -c ' PASS$')
named=$(grep -l "\"release\":[[:space:]]*\"$release\"" "$work"/results/*.json | xargs -r grep -l "\"target\":[[:space:]]*\"vm:linux-$release\"" | grep -c .)
procs=$(grep -h '"method":' "$work"/results/*.json | grep -c '"proc"')
echo "VM kernel $release (host $(uname -r)): $records records, $passed PASS, $named naming the VM, $procs /proc proofs"
[ -n "$release" ] && [ "$release" != "$(uname -r)" ] || { echo "FAIL the VM did not run another kernel"; bad=1; }
[ "$records" -eq 16 ] && [ "$passed" -eq 16 ] && [ "$named" -eq 16 ] || { echo "FAIL expected 16 passing records naming the VM"; bad=1; }
[ "$procs" -ge 4 ] || { echo "FAIL expected the blocks cells proven through /proc"; bad=1; }
[ -f "$work/reports/latest/index.html" ] || { echo "FAIL no report for the VM run"; bad=1; }
[ $bad -eq 0 ] && echo "ok   16 table cells pass on Linux $release in a VM, proven through its /proc"
exit $bad
