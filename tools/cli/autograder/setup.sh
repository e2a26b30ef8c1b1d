#!/usr/bin/env bash
# Gradescope's setup step (run once, as root, when the autograder image is
# built): the Debian/Ubuntu packages pipelab builds with.
set -eu
packages=(cmake make gcc libc6-dev libcriterion-dev libcjson-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi
