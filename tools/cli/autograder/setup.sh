#!/usr/bin/env bash
# Gradescope's setup step: run once, as root, when the autograder's image is
# built (the zip already unpacked in /autograder/source).  Installs the
# packages pipelab builds with and builds it, into /autograder/build, so that
# each submission's run_autograder only grades.  pipelab needs cmake 3.25 or
# newer: choose a base image that has it (Ubuntu 24.04: 3.28; Ubuntu 22.04's
# 3.22 is too old, and this script then stops with one line saying so).
# AUTOGRADER_ROOT replaces /autograder (the project's self-test uses a temp dir).
set -u
root=${AUTOGRADER_ROOT:-/autograder}
src=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/pipelab
fail() { echo "setup.sh: $*" >&2; exit 1; }
packages=(cmake make gcc libc6-dev libcriterion-dev libcjson-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; } ||
    fail "apt-get install ${missing[*]} failed"
fi
v=$(cmake --version 2>/dev/null | sed -n 's/^cmake version \([0-9]*\)\.\([0-9]*\).*/\1 \2/p')
read -r major minor <<<"${v:-0 0}"
[ "$major" -gt 3 ] || { [ "$major" = 3 ] && [ "$minor" -ge 25 ]; } ||
  fail "cmake ${major}.${minor} is older than 3.25, which pipelab needs: choose a base image with a newer cmake (Ubuntu 24.04 has 3.28) in the assignment's autograder settings"
{ cmake -S "$src" -B "$root/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPIPELAB_SELFTESTS=OFF \
    -DPIPELAB_REPORTS_DIR="$root/reports" && cmake --build "$root/build" -j "$(nproc)"; } >"$root/build.log" 2>&1 ||
  { tail -20 "$root/build.log" >&2; fail "building pipelab failed (log above, whole in $root/build.log)"; }
echo "setup.sh: pipelab built in $root/build"
