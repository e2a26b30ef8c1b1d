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
if [ -n "${3:-}" ]; then
  b=$3
elif [ -n "${PIPELAB_BASELINE_BUILD:-}" ]; then
  b="ctest --test-dir '$PIPELAB_BASELINE_BUILD' -L cases -j2"
else
  b=$a
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/pipelab-bench-XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT; trap 'exit 143' TERM
export PIPELAB_REPORTS_DIR=$work/reports
# COMMAND: "WALL_MS CPU_MS" (CPU: user + system of everything it ran, which
# a loaded machine inflates less than the wall time)
one() {
  local out rc TIMEFORMAT='%R %U %S'
  out=$({ time bash -c "$1" >/dev/null 2>&1; } 2>&1)
  rc=$?
  [ $rc -eq 0 ] || echo "  (exit $rc: $1)" >&2
  awk '{printf "%d %d\n", $1 * 1000, ($2 + $3) * 1000}' <<<"$out"
}
ta=() tb=() ca=() cb=()
load0=$(cut -d' ' -f1 /proc/loadavg)
for _ in $(seq 1 "$pairs"); do
  read -r w c < <(one "$a"); ta+=("$w"); ca+=("$c")
  read -r w c < <(one "$b"); tb+=("$w"); cb+=("$c")
done
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR] = $1} END {print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", b ? a / b : 0}'; }
ma=$(median "${ta[@]}") mb=$(median "${tb[@]}") mca=$(median "${ca[@]}") mcb=$(median "${cb[@]}")
echo "machine: $(uname -r), $(nproc) cores, load average $load0 before, $(cut -d' ' -f1 /proc/loadavg) after"
echo "A: $a"
echo "   wall ms: ${ta[*]}"
echo "   cpu ms:  ${ca[*]}"
echo "B: $b"
echo "   wall ms: ${tb[*]}"
echo "   cpu ms:  ${cb[*]}"
echo "median wall: A ${ma} ms, B ${mb} ms, A/B $(ratio "$ma" "$mb")"
echo "median cpu:  A ${mca} ms, B ${mcb} ms, A/B $(ratio "$mca" "$mcb")"
