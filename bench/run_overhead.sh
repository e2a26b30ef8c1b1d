#!/usr/bin/env bash
# Benchmark (not a test): `./pipelab run` on a built tree against the bare
# ctest run it wraps, interleaved (A B A B ...) so both see the same load.
# usage: bench/run_overhead.sh [PAIRS]   (default 10; after one ./pipelab run)
set -u
cd "$(dirname "$0")/.."
pairs=${1:-10}
work=$(mktemp -d "${TMPDIR:-/tmp}/pipelab-bench-XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT; trap 'exit 143' TERM
export PIPELAB_REPORTS_DIR=$work/reports # reports/latest stays as it was
ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
a=() b=()
for _ in $(seq 1 "$pairs"); do
  t=$(date +%s%N); ./pipelab run >/dev/null 2>&1; a+=("$(ms "$t")")
  t=$(date +%s%N); ctest --preset default -L cases -j2 >/dev/null 2>&1; b+=("$(ms "$t")")
done
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR] = $1} END {print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
ma=$(median "${a[@]}") mb=$(median "${b[@]}")
echo "A ./pipelab run, ms:                    ${a[*]}"
echo "B ctest --preset default -L cases -j2, ms: ${b[*]}"
echo "median A $ma ms, median B $mb ms, A/B $(awk -v a="$ma" -v b="$mb" 'BEGIN {printf "%.2f", a / b}')"
