#!/usr/bin/env bash
# The case ids a ctest selection runs, one a line.  A ctest entry is one case
# or a group of variants (cmake/DiscoverCases.cmake): CASES_DIR/*_entries.tsv
# maps entries to ids.  PIPELAB_CASES / PIPELAB_CASES_EXCLUDE narrow the ids
# as the launchers do.
# usage: case_ids.sh CASES_DIR [CTEST SELECTION ARGS: -L posix, -R ...]
set -u
dir=$1
shift
ctest --test-dir "$dir" -N "$@" 2>/dev/null | sed -n 's/^ *Test *#[0-9]*: //p' |
  awk -F '\t' -v inc="${PIPELAB_CASES:-}" -v exc="${PIPELAB_CASES_EXCLUDE:-}" '
    NR == FNR { want[$0] = 1; next }
    ($1 in want) && (inc == "" || $2 ~ inc) && (exc == "" || $2 !~ exc) { print $2 }' - "$dir"/*_entries.tsv
