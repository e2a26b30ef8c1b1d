#!/usr/bin/env bash
# Self-test: a kernel developer's guest configuration. PIPELAB_VM_SYSCTL is
# set in the guest before the cases (the records' settings, read in the
# guest, show it) and PIPELAB_VM_APPEND reaches the guest kernel's command
# line; both are in the run's run.json and its report's header. A sysctl
# that is not a pipe one, or not a number, is refused before anything runs
# (one line, exit 2), and so is a value the guest kernel refuses.
# usage: vm_config.sh BUILD_DIR SOURCE_DIR
set -u
. "$(dirname "$0")/vm/preamble.sh"
vm_test_begin vmconfig "$@"
bad=0
fail() { echo "FAIL $*"; bad=1; }
vm() { # log: the VM tool with the environment given before it
  local log=$1
  shift
  env PIPELAB_VM_FILTER='^read/open/' PIPELAB_RESULTS_DIR="$work/results" PIPELAB_REPORTS_DIR="$work/reports" "$@" \
    "$src/tools/vm.sh" "$build" "${PIPELAB_VM_SERIES:-6.1}" >"$work/$log" 2>&1
}
for bad_env in PIPELAB_VM_SYSCTL=kernel.panic=1 PIPELAB_VM_SYSCTL=fs.pipe-max-size=4k 'PIPELAB_VM_SYSCTL=fs.pipe-max-size=1;reboot' \
  PIPELAB_VM_APPEND=console=tty0 'PIPELAB_VM_APPEND=a"b'; do
  vm refused.log "$bad_env"
  rc=$?
  [ $rc -eq 2 ] && [ "$(wc -l <"$work/refused.log")" -eq 1 ] && ! grep -q booting "$work/refused.log" ||
    fail "$bad_env: exit $rc, expected 2 with one line before booting: $(cat "$work/refused.log")"
done
vm ok.log PIPELAB_VM_SYSCTL='fs.pipe-max-size=65536 fs.pipe-user-pages-soft=64' PIPELAB_VM_APPEND='pipelab_test=1'
rc=$?
cat "$work/ok.log"
grep -q 'apt-get download .* failed\|cannot reach Debian' "$work/ok.log" && { echo "SKIP: no kernel image could be fetched"; exit 77; }
[ $rc -eq 0 ] || fail "the configured run: exit $rc, expected 0"
settings=$(grep -h '"settings":' "$work"/results/*.json | sort -u)
grep -q 'pipe-max-size 65536, pipe-user-pages-soft 64' <<<"$settings" || fail "the guest's records do not see the sysctls: $settings"
kept=$(ls -t "$build"/vm/console-*.log | head -1)
grep -aq '^@@PIPELAB-VM-CMDLINE .* pipelab_test=1' "$kept" || fail "the guest kernel's command line lacks PIPELAB_VM_APPEND"
grep -q '^| Configuration | vm sysctl: fs.pipe-max-size=65536 fs.pipe-user-pages-soft=64; kernel command line: pipelab_test=1 |$' \
  "$work"/reports/latest/report.md || fail "the report's header does not give the configuration"
grep -q '"config"' "$work"/reports/latest/results.json || fail "results.json does not keep the configuration"
# (above 2^31 the kernel has no pipe size to round it to: EINVAL)
vm guest-refused.log PIPELAB_VM_SYSCTL='fs.pipe-max-size=4294967296'
rc=$?
[ $rc -eq 2 ] && grep -q "refused PIPELAB_VM_SYSCTL 'fs.pipe-max-size=4294967296'" "$work/guest-refused.log" ||
  fail "a sysctl the guest refuses: exit $rc, expected 2 naming it: $(tail -2 "$work/guest-refused.log")"
[ $bad -eq 0 ] && echo "ok   guest sysctls applied and recorded, the command line appended; bad ones refused (exit 2)"
exit $bad
