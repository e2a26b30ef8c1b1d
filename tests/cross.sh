#!/usr/bin/env bash
# Self-test: a cross build for aarch64 (the portable runner, no Criterion)
# runs under qemu-aarch64 through this build's launcher: the notes' table
# cells pass, the records say aarch64, and each "blocks" cell is proven
# through /proc (host system-call numbers translated by the launcher).
# usage: cross.sh BUILD_DIR SOURCE_DIR
set -u
build=$(cd "$1" && pwd)
. "$(dirname "$0")/target_run.sh"
src=$(cd "$2" && pwd)
for tool in aarch64-linux-gnu-gcc qemu-aarch64; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool is not installed (./pipelab cross installs it)"; exit 77; }
done
[ -e /usr/lib/aarch64-linux-gnu/libcjson.so ] || { echo "SKIP: libcjson-dev:arm64 is not installed (./pipelab cross installs it)"; exit 77; }
work=$(mktemp -d "${TMPDIR:-/tmp}/pipelab-cross-XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT; trap 'exit 143' TERM # a killed run still cleans up (EXIT trap)
cross=$build/cross-aarch64
cmake -S "$src" -B "$cross" --toolchain "$src/cmake/toolchains/aarch64-linux-gnu.cmake" \
  -DPIPELAB_HOST_TOOLS="$build/tools" -DPIPELAB_TIMEOUT_MULT=4 -DPIPELAB_TARGET=emulator:qemu-aarch64 \
  -DPIPELAB_REPORTS_DIR="$work/reports" >"$work/build.log" 2>&1 &&
  cmake --build "$cross" -j2 >>"$work/build.log" 2>&1 || { tail -20 "$work/build.log"; echo "FAIL the cross build"; exit 1; }
bad=0
PIPELAB_RESULTS_DIR=$work/results PIPELAB_REPORTS_DIR=$work/reports \
  ctest --test-dir "$cross" -j2 -L table >"$work/ctest.log" 2>&1 || { tail -30 "$work/ctest.log"; echo "FAIL the table cells on aarch64"; bad=1; }
check_table_run "$build/tools/pipelab-report" "$work/results" "$work/reports" \
  '"arch":[[:space:]]*"aarch64"' "from aarch64 binaries" || bad=1
[ $bad -eq 0 ] && echo "ok   16 table cells pass as aarch64 binaries under qemu-aarch64, proven through /proc"
exit $bad
