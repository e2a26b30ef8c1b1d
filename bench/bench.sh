#!/usr/bin/env bash
# Benchmark (not a test): wall time of the full case run, median of 5, the
# slowest cases, and the blocking-proof latency distribution over 200 proofs.
# usage: bench/bench.sh [RUNS]   (after ./pipelab run or a default build)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
build=build
work=$(mktemp -d "${TMPDIR:-/tmp}/pipelab-bench-XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT; trap 'exit 143' TERM # a killed run still cleans up (EXIT trap)
export PIPELAB_RESULTS_DIR=$work/results PIPELAB_REPORTS_DIR=$work/reports
echo "kernel $(uname -r), $(nproc) cores, $(ldd --version | head -1)"
walls=()
for i in $(seq 1 "$runs"); do
  start=$(date +%s%N)
  ctest --test-dir "$build" -L cases -j2 >"$work/ctest.log" 2>&1 || { tail -20 "$work/ctest.log"; echo "the run failed"; exit 1; }
  walls+=($(( ($(date +%s%N) - start) / 1000000 )))
done
sorted=($(printf '%s\n' "${walls[@]}" | sort -n))
echo "full case run (ctest -L cases -j2), ${runs} runs, ms: ${walls[*]}"
echo "median wall: ${sorted[$((runs / 2))]} ms"
echo "slowest cases in the last run (case duration, ms):"
for f in "$work"/results/*.json; do
  [ "$(basename "$f")" = run.json ] && continue
  id=$(grep -m1 '"case"' "$f" | sed 's/.*"case":[[:space:]]*"\([^"]*\)".*/\1/')
  ms=$(grep -m1 '"duration_ms"' <(tac "$f") | sed 's/[^0-9.]//g')
  printf '%10.1f  %s\n' "$ms" "$id"
done | sort -rn | head -5
"$build/bench/proof_latency" 200
