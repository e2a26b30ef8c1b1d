#!/usr/bin/env bash
# Self-test: the cases built statically against musl (the musl preset's
# toolchain, cJSON from Debian's source package) run natively: the notes'
# table cells pass, the records name musl and its version (not "unknown"),
# and each "blocks" cell is proven through /proc.
# usage: musl.sh BUILD_DIR SOURCE_DIR
set -u
build=$(cd "$1" && pwd)
. "$(dirname "$0")/target_run.sh"
src=$(cd "$2" && pwd)
for tool in musl-gcc dpkg-source; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool is not installed (apt-get install musl-tools dpkg-dev)"; exit 77; }
done
work=$(mktemp -d "${TMPDIR:-/tmp}/pipelab-musl-XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT; trap 'exit 143' TERM # a killed run still cleans up (EXIT trap)
# cJSON built with musl-gcc, kept where the musl preset finds it (shared with ./pipelab matrix musl)
(. "$src/tools/cli/musl.sh" && musl_deps "$src") >"$work/deps.log" 2>&1 || {
  cat "$work/deps.log"
  grep -qi 'cannot reach\|failed to fetch\|unable to\|could not resolve' "$work/deps.log" && { echo "SKIP: Debian's cJSON source could not be fetched"; exit 77; }
  echo "FAIL building cJSON for musl"
  exit 1
}
deps=$src/build-musl/deps
musl=$build/musl
cmake -S "$src" -B "$musl" --toolchain "$src/cmake/toolchains/musl.cmake" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DPIPELAB_HOST_TOOLS="$build/tools" -DPIPELAB_PORTABLE=ON -DPIPELAB_INTERPOSE=OFF -DPIPELAB_TARGET=musl \
  -DCJSON_INCLUDE_DIR="$deps/include" -DCJSON_LIBRARY="$deps/lib/libcjson.a" -DPIPELAB_REPORTS_DIR="$work/reports" \
  >"$work/build.log" 2>&1 &&
  cmake --build "$musl" -j2 >>"$work/build.log" 2>&1 || { grep -m3 -i 'error' "$work/build.log"; tail -5 "$work/build.log"; echo "FAIL the musl build"; exit 1; }
bad=0
PIPELAB_RESULTS_DIR=$work/results PIPELAB_REPORTS_DIR=$work/reports \
  ctest --test-dir "$musl" -j2 -L table >"$work/ctest.log" 2>&1 || { tail -30 "$work/ctest.log"; echo "FAIL the table cells on musl"; bad=1; }
check_table_run "$build/tools/pipelab-report" "$work/results" "$work/reports" \
  '"libc":[[:space:]]*"musl"' "built against musl" || bad=1
version=$(grep -h '"libc_version":' "$work"/results/*.json | sort -u | sed 's/.*"libc_version":[[:space:]]*"\([^"]*\)".*/\1/' | paste -sd' ')
echo "musl version in the records: $version"
[[ "$version" =~ ^[0-9]+\.[0-9]+ ]] || { echo "FAIL the records do not name musl's version: '$version'"; bad=1; }
[ $bad -eq 0 ] && echo "ok   16 table cells pass built statically against musl $version, proven through /proc"
exit $bad
