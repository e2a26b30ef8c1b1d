#!/usr/bin/env bash
# Benchmark (not a test): two commands timed interleaved (A B A B ...), so
# both see the same load on a shared machine; medians and their ratio.
# usage: bench/interleave.sh [PAIRS] [COMMAND_A [COMMAND_B]]
#   PAIRS      default 10
#   COMMAND_A  default: the suite, ctest --preset default -L cases -j2
#   COMMAND_B  default: the same suite from the build in $PIPELAB_BASELINE_BUILD
#              (another checkout's build/, e.g. before a change), else A again
# Examples:
#   bench/interleave.sh 10 '' 'cd ~/ltp && ./runltp-pipes -j 2'   # against LTP
#   PIPELAB_BASELINE_BUILD=../main/build bench/interleave.sh 10  # against a baseline build
# Each command runs through bash -c from the repository, output discarded; a
# command that fails is reported (its time still counts).  Runs of the suite
# write their reports under a private temp dir, never reports/latest.
set -u
cd "$(dirname "$0")/.."
pairs=${1:-10}
case "$pairs" in '' | *[!0-9]*) echo "usage: bench/interleave.sh [PAIRS] [COMMAND_A [COMMAND_B]]" >&2; exit 2 ;; esac
suite='ctest --preset default -L cases -j2'
a=${2:-$suite}
b=${3:-}
[ -n "$b" ] || b=${PIPELAB_BASELINE_BUILD:+ctest --test-dir '$PIPELAB_BASELINE_BUILD' -L cases -j2}
[ -n "$b" ] || b=$a
work=$(mktemp -d "${TMPDIR:-/tmp}/pipelab-bench-XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT; trap 'exit 143' TERM
export PIPELAB_REPORTS_DIR=$work/reports
ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
one() { # COMMAND: its wall time in ms
  local t rc
  t=$(date +%s%N)
  bash -c "$1" >/dev/null 2>&1
  rc=$?
  [ $rc -eq 0 ] || echo "  (exit $rc: $1)" >&2
  ms "$t"
}
ta=() tb=()
for _ in $(seq 1 "$pairs"); do
  ta+=("$(one "$a")")
  tb+=("$(one "$b")")
done
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR] = $1} END {print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
ma=$(median "${ta[@]}") mb=$(median "${tb[@]}")
echo "machine: $(uname -r), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "A: $a"
echo "   ms: ${ta[*]}"
echo "B: $b"
echo "   ms: ${tb[*]}"
echo "median A ${ma} ms, median B ${mb} ms, A/B $(awk -v a="$ma" -v b="$mb" 'BEGIN {printf "%.2f", b ? a / b : 0}')"
