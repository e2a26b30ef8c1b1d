#!/usr/bin/env bash
# Self-test: the lab runs under a user-mode emulator (qemu-user for this
# machine's own architecture): the notes' table cells pass there too, each
# "blocks" cell is still proven through /proc, and every record names the
# emulator as the target.
# usage: emulator.sh BUILD_DIR
set -u
build=$(cd "$1" && pwd)
. "$(dirname "$0")/target_run.sh"
emu=qemu-$(uname -m)
command -v "$emu" >/dev/null || { echo "SKIP: $emu is not installed (apt-get install qemu-user)"; exit 77; }
work=$(mktemp -d "${TMPDIR:-/tmp}/pipelab-emulator-XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT; trap 'exit 143' TERM # a killed run still cleans up (EXIT trap)
bad=0
if ! PIPELAB_EMULATOR=$emu PIPELAB_RESULTS_DIR=$work/results PIPELAB_REPORTS_DIR=$work/reports \
  ctest --test-dir "$build/cases" -j2 -L table >"$work/ctest.log" 2>&1; then
  tail -30 "$work/ctest.log"
  echo "FAIL the table cells under $emu"
  bad=1
fi
check_table_run "$build/tools/pipelab-report" "$work/results" "$work/reports" \
  "\"target\":[[:space:]]*\"emulator:$emu\"" "naming emulator:$emu" || bad=1
# The interrupt probe works under the emulator too (qemu-user cannot deliver
# a guest's top two real-time signals: the probe must not be one of them).
if ! PIPELAB_BLOCK_PROOF=probe PIPELAB_EMULATOR=$emu PIPELAB_RESULTS_DIR=$work/probe PIPELAB_REPORTS_DIR=$work/reports \
  ctest --test-dir "$build/cases" -j2 -L table >"$work/probe.log" 2>&1; then
  grep -h '"reason"' "$work/probe"/*.json | grep -v '""' | head -3
  echo "FAIL the table cells under $emu with the interrupt probe"
  bad=1
fi
[ $bad -eq 0 ] && echo "ok   16 table cells pass under $emu, proven through /proc, and with the interrupt probe"
exit $bad
