#!/usr/bin/env bash
# clang-tidy's default checks (less Annex K, see .clang-tidy) on every C file.
# usage: lint.sh BUILD_DIR SOURCE_DIR   (exit 77 = SKIP when clang-tidy is absent)
set -u
build=$(cd "$1" && pwd)
src=$(cd "$2" && pwd)
command -v clang-tidy >/dev/null || { echo "SKIP: clang-tidy is not installed"; exit 77; }
cd "$src"
# One file per clang-tidy process: clang-tidy 14 run on several files at once
# reports va_list false positives in the later ones.
files=$(git ls-files '*.c' 2>/dev/null || find . -name '*.c' -not -path './build*')
out=$(printf '%s\n' $files | xargs -P "$(nproc)" -n 1 clang-tidy -p "$build" --quiet \
  --extra-arg=-Wno-unknown-warning-option 2>&1 | grep -E "(warning|error):")
if [ -n "$out" ]; then echo "$out"; echo "FAIL: clang-tidy warnings"; exit 1; fi
echo "PASS: no clang-tidy warnings"
