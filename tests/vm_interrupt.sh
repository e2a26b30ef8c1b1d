#!/usr/bin/env bash
# Self-test (issue 7.5 for vm): SIGINT to the VM tool's process group (as
# Ctrl-C sends it) and SIGTERM to the process alone, each mid-run: qemu is
# gone within 2 s, no temp dir is left, the cases that finished are
# rendered with the rest named NOT RUN, and the exit status is non-zero.
# usage: vm_interrupt.sh BUILD_DIR SOURCE_DIR
set -u
. "$(dirname "$0")/vm/preamble.sh"
vm_test_begin vmint "$@"
set -m # each run in its own process group, with SIGINT not ignored
bad=0
qemus() { # qemu processes of this test's runs (their initrd is under $work)
  local p
  for p in /proc/[0-9]*; do
    { tr '\0' ' ' <"$p/cmdline"; } 2>/dev/null | grep -q "qemu-system.*$work/" && echo "${p#/proc/}"
  done
}
attempt() { # signal target expected-status
  local sig=$1 to=$2 want=$3 dir=$work/$1 pid t0 rc n
  mkdir -p "$dir/tmp"
  TMPDIR=$dir/tmp PIPELAB_RESULTS_DIR=$dir/results PIPELAB_REPORTS_DIR=$dir/reports \
    PIPELAB_VM_FILTER='^(read|write)/' "$src/tools/vm.sh" "$build" "${PIPELAB_VM_SERIES:-6.1}" >"$dir/log" 2>&1 &
  pid=$!
  # Mid-run: once the guest has finished a case (bounded wait, 300 s).
  for ((n = 0; n < 3000; n++)); do
    grep -qs '^@@PIPELAB-CASE' "$dir"/tmp/pipelab-vm-*/console.log && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  [ -n "$(qemus)" ] || { echo "FAIL $sig: no qemu was running mid-run"; cat "$dir/log"; bad=1; }
  t0=$(date +%s%N)
  if [ "$to" = group ]; then kill -"$sig" -- "-$pid"; else kill -"$sig" "$pid"; fi
  wait "$pid"
  rc=$?
  local ms=$((($(date +%s%N) - t0) / 1000000))
  cat "$dir/log"
  echo "SIG$sig to the $to: the VM tool exited $rc after $ms ms"
  [ "$rc" -eq "$want" ] || { echo "FAIL $sig: exit $rc, expected $want"; bad=1; }
  [ "$ms" -le 2000 ] || { echo "FAIL $sig: took $ms ms (> 2 s)"; bad=1; }
  [ -z "$(qemus)" ] || { echo "FAIL $sig: qemu still running: $(qemus)"; kill -KILL $(qemus) 2>/dev/null; bad=1; }
  [ -z "$(ls -A "$dir/tmp")" ] || { echo "FAIL $sig: temp dirs left: $(ls "$dir/tmp")"; bad=1; }
  grep -q 'NOT RUN: [1-9]' "$dir/log" || { echo "FAIL $sig: the cases that did not run are not listed"; bad=1; }
  ls "$dir"/reports/*/index.html >/dev/null 2>&1 || { echo "FAIL $sig: no report of what finished"; bad=1; }
}
attempt INT group 130
attempt TERM process 143
[ $bad -eq 0 ] && echo "ok   SIGINT (group) and SIGTERM (process) stop qemu within 2 s, leave no temp dir, report what finished"
exit $bad
