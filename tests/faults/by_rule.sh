#!/usr/bin/env bash
# Every rule can fail: for each rule (a case id without its @kind suffix), the
# project mutants whose manifest line requires one of its cases to turn red.
# The mutant check (mutants.sh) proves each manifest line; this check proves
# the manifest leaves no rule uncaught.  "?case" entries (scheduling-dependent)
# do not count: a rule caught only by luck is not caught.
# usage: by_rule.sh BUILD_DIR MANIFEST [--table]
#   prints the rules no mutant catches (exit 1 if any), and with --table the
#   whole rule -> mutants table (Markdown), as the closing notes quote it.
set -u
build=$1 manifest=$2 table=${3:-}
bins=("$build"/cases/direct/*)
[ -x "${bins[0]}" ] || bins=("$build"/cases/*)
rules=$(for b in "${bins[@]}"; do
  [ -f "$b" ] && [ -x "$b" ] && "$b" --pipelab-list 2>/dev/null | cut -f2
done | sed 's/@.*//' | sort -u)
[ -n "$rules" ] || { echo "by_rule: no case binaries under $build/cases" >&2; exit 2; }
# rule <TAB> mutant, one line per (rule, mutant) that the manifest requires.
pairs=$(awk '/^[[:space:]]*(#|$)/ || $1 ~ /^legal:/ { next }
  { m = $1; sub(/:$/, "", m)
    for (i = 2; i <= NF; i++) if (substr($i, 1, 1) != "?") { r = $i; sub(/@.*/, "", r); print r "\t" m } }' \
  "$manifest" | sort -u)
missing=$(comm -23 <(echo "$rules") <(echo "$pairs" | cut -f1 | sort -u))
stale=$(comm -13 <(echo "$rules") <(echo "$pairs" | cut -f1 | sort -u))
if [ "$table" = --table ]; then
  echo "| rule | mutants that turn it red |"
  echo "|---|---|"
  while read -r r; do
    echo "| $r | $(echo "$pairs" | awk -F'\t' -v r="$r" '$1 == r { printf "%s%s", s, $2; s = ", " }') |"
  done <<<"$rules"
fi
echo "$(echo "$rules" | grep -c .) rules, $(echo "$pairs" | cut -f2 | sort -u | grep -c .) mutants;" \
  "$(echo "$missing" | grep -c .) rules caught by none"
[ -n "$stale" ] && echo "manifest names cases no binary declares: $(echo "$stale" | tr '\n' ' ')"
[ -n "$missing" ] && echo "rules no mutant catches: $(echo "$missing" | tr '\n' ' ')"
[ -z "$missing" ] && [ -z "$stale" ]
