#!/usr/bin/env bash
# Self-test: the lab runs inside a VM booted on another kernel (Debian's,
# under qemu-system): the notes' 16 table cells pass there, their records
# name the VM's kernel release and target, and each "blocks" cell is proven
# through the VM's /proc.
# usage: in_vm.sh BUILD_DIR SOURCE_DIR [KERNEL_SERIES]   (default 6.1)
set -u
build=$(cd "$1" && pwd)
. "$(dirname "$0")/target_run.sh"
src=$(cd "$2" && pwd)
for tool in qemu-system-x86_64 cpio; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool is not installed (apt-get install qemu-system-x86 busybox-static cpio)"; exit 77; }
done
work=$(mktemp -d "${TMPDIR:-/tmp}/pipelab-vm-XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT; trap 'exit 143' TERM # a killed run still cleans up (EXIT trap)
PIPELAB_VM_FILTER='^(read|write)/' PIPELAB_RESULTS_DIR=$work/results PIPELAB_REPORTS_DIR=$work/reports \
  "$src/tools/vm.sh" "$build" "${3:-6.1}" >"$work/vm.log" 2>&1
rc=$?
cat "$work/vm.log"
if [ $rc -ne 0 ]; then
  # No kernel to boot is a missing prerequisite, not a lab failure.
  grep -q 'apt-get download .* failed\|cannot reach Debian' "$work/vm.log" && { echo "SKIP: no kernel image could be fetched"; exit 77; }
  echo "FAIL the VM run failed (exit $rc)"
  exit 1
fi
bad=0
release=$(grep -h '"release":' "$work"/results/*.json | sort -u | sed 's/.*"release":[[:space:]]*"\([^"]*\)".*/\1/')
echo "VM kernel $release, host $(uname -r)"
[ -n "$release" ] && [ "$release" != "$(uname -r)" ] || { echo "FAIL the VM did not run another kernel"; bad=1; }
check_table_run "$build/tools/pipelab-report" "$work/results" "$work/reports" \
  "\"target\":[[:space:]]*\"vm:linux-$release\"" "naming the VM's kernel" || bad=1
[ $bad -eq 0 ] && echo "ok   16 table cells pass on Linux $release in a VM, proven through its /proc"
exit $bad
