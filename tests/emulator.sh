#!/usr/bin/env bash
# Self-test: the lab runs under a user-mode emulator (qemu-user for this
# machine's own architecture): the notes' table cells pass there too, each
# "blocks" cell is still proven through /proc, and every record names the
# emulator as the target.
# usage: emulator.sh BUILD_DIR
set -u
build=$(cd "$1" && pwd)
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
records=$(ls "$work"/results/*.json | grep -vc '/run\.json$')
targets=$(grep -l "\"target\":[[:space:]]*\"emulator:$emu\"" "$work"/results/*.json | grep -c .)
procs=$(grep -h '"method":' "$work"/results/*.json | grep -c '"proc"')
probes=$(grep -h '"method":' "$work"/results/*.json | grep -vc '"proc"')
echo "records $records, naming emulator:$emu $targets; blocking proofs: $procs /proc, $probes other"
[ "$records" -eq 16 ] && [ "$targets" -eq 16 ] || { echo "FAIL expected 16 records naming the emulator"; bad=1; }
# The "blocks" cells, read/open/no-data and write/open/full, on both kinds.
[ "$procs" -ge 4 ] && [ "$probes" -eq 0 ] || { echo "FAIL expected /proc proofs only"; bad=1; }
[ -f "$work/reports/latest/index.html" ] || { echo "FAIL no report for the emulated run"; bad=1; }
[ $bad -eq 0 ] && echo "ok   16 table cells pass under $emu, proven through /proc"
exit $bad
