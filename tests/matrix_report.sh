#!/usr/bin/env bash
# Self-test: the matrix report's judgement, on made-up records (fast, no
# case runs). An explanation covers only the verdict it names and the text
# it quotes: the same cell with another verdict, or the same verdict for
# another reason, stays DIFFERS with exit 1. A malformed explanations file
# is refused with one line and exit 2. A target that did not run, or
# stopped early, is shown with why, and the matrix exits 1. The rules that
# differ come first; the rules a filtered run has no record of are listed
# as not compared, never as disagreements (still exit 1: not complete).
# usage: matrix_report.sh BUILD_DIR SOURCE_DIR
set -u
build=$(cd "$1" && pwd)
src=$(cd "$2" && pwd)
. "$src/tests/matrix/records.sh"
work=$(mktemp -d "${TMPDIR:-/tmp}/pipelab-matrixreport-XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT; trap 'exit 143' TERM
report=$build/tools/pipelab-report
bad=0
fail() { echo "FAIL $*"; bad=1; }
matrix() { # name explanations columns... -> exit status; report in $work/$name
  local name=$1 expl=$2
  shift 2
  "$report" matrix --out "$work/$name" --explained "$expl" "$@" >"$work/$name.log" 2>&1
}
row() { grep -F "| \`$2\` |" "$work/$1/matrix.md" | tail -1; }

base "$work/glibc"
base "$work/skip"
rec "$work/skip" splicex/dev-zero-into-pipe@pipe SKIP "this kernel cannot splice from /dev/zero (EINVAL): a device without splice support here"
rec "$work/skip" splicex/dev-zero-into-pipe@fifo SKIP "this kernel cannot splice from /dev/zero (EINVAL): a device without splice support here"
cp -a "$work/skip" "$work/fail"
rec "$work/fail" splicex/dev-zero-into-pipe@pipe FAIL "splice returned 0, expected 4096 (EINVAL)"
cp -a "$work/skip" "$work/other"
rec "$work/other" splicex/dev-zero-into-pipe@fifo SKIP "no unprivileged actor (EPERM)"
cat >"$work/expl.txt" <<'X'
# a comment, then a blank line

vm-*  splicex/dev-zero-into-pipe  SKIP  "(EINVAL)"  no splice from /dev/zero on these kernels
X

matrix skip "$work/expl.txt" glibc="$work/glibc" vm-6.1="$work/skip"
rc=$?
[ $rc -eq 0 ] || fail "the explained SKIP: exit $rc, expected 0 ($(cat "$work/skip.log"))"
row skip splicex/dev-zero-into-pipe | grep -q 'SKIP \*explained \[1\]\*' || fail "the explained SKIP is not marked explained: $(row skip splicex/dev-zero-into-pipe)"
grep -q 'is SKIP saying "(EINVAL)": no splice' "$work/skip/matrix.md" || fail "the explanation does not say the verdict and text it explains"

matrix fail "$work/expl.txt" glibc="$work/glibc" vm-6.1="$work/fail"
rc=$?
[ $rc -eq 1 ] || fail "a FAIL in an explained cell: exit $rc, expected 1"
row fail splicex/dev-zero-into-pipe | grep -q 'fifo SKIP, pipe FAIL \*\*DIFFERS\*\*' ||
  fail "a FAIL in an explained cell is not DIFFERS: $(row fail splicex/dev-zero-into-pipe)"

matrix other "$work/expl.txt" glibc="$work/glibc" vm-6.1="$work/other"
rc=$?
[ $rc -eq 1 ] || fail "a SKIP for another reason: exit $rc, expected 1"
row other splicex/dev-zero-into-pipe | grep -q 'DIFFERS' || fail "a SKIP for another reason is not DIFFERS"

for line in 'vm-*  splicex/x  SKIPPED  reason' 'vm-*  splicex/x  SKIP  "EINVAL' 'vm-*  splicex/x  SKIP  "EINVAL"' 'vm-* splicex/x'; do
  printf '%s\n' "$line" >"$work/badexpl.txt"
  "$report" matrix --explained "$work/badexpl.txt" --check >"$work/bad.log" 2>&1
  rc=$?
  [ $rc -eq 2 ] && [ "$(wc -l <"$work/bad.log")" -eq 1 ] && grep -q 'badexpl.txt:1: ' "$work/bad.log" ||
    fail "malformed explanation '$line': exit $rc, expected 2 and one line naming the line: $(cat "$work/bad.log")"
done
"$report" matrix --explained "$src/tools/matrix/explained.txt" --check || fail "tools/matrix/explained.txt does not parse"

# A target that did not run is a column saying so, with why, and exit 1;
# so is one that stopped early (its unfinished cases NOT RUN).
matrix broken "$work/expl.txt" glibc="$work/glibc" --broken "musl=preparing it failed: proof_object.c:66: error: implicit declaration of getpid" vm-6.1="$work/skip"
rc=$?
[ $rc -eq 1 ] || fail "a target that did not run: exit $rc, expected 1"
grep -q '^| rule | glibc | musl (did not run) | vm-6.1 |$' "$work/broken/matrix.md" || fail "no column for the target that did not run"
grep -q '^- \*\*musl\*\*: preparing it failed: proof_object.c:66' "$work/broken/matrix.md" || fail "the report does not say why musl did not run"
grep -q '1 target(s) did not run' "$work/broken.log" || fail "the summary line does not count the target that did not run"
base "$work/stopped"
rec "$work/stopped" read/open/data@fifo "NOT RUN" "not run: the VM was stopped by its timeout after 25 s before this case finished"
matrix stopped "$work/expl.txt" glibc="$work/glibc" vm-6.1="$work/stopped"
rc=$?
[ $rc -eq 1 ] || fail "a target that stopped early: exit $rc, expected 1"
grep -q '^- \*\*vm-6.1\*\*: stopped early: 1 of its 8 cases NOT RUN (not run: the VM was stopped by its timeout' "$work/stopped/matrix.md" ||
  fail "the report does not say the target stopped early"
"$report" matrix --out "$work/none" --broken "musl=missing tools" >"$work/none.log" 2>&1
rc=$?
[ $rc -eq 2 ] && [ "$(wc -l <"$work/none.log")" -eq 1 ] || fail "no target ran: exit $rc, expected 2 with one line"

# Differences first: only the differing rows, before the full table.
diffs=$(sed -n '/^## Differences/,/^## /p' "$work/fail/matrix.md" | grep -c '^| \[`')
[ "$diffs" -eq 1 ] || fail "the Differences section lists $diffs rows, expected the 1 that differs"
[ "$(grep -n '^## Differences' "$work/fail/matrix.md" | cut -d: -f1)" -lt "$(grep -n '^## Rules' "$work/fail/matrix.md" | cut -d: -f1)" ] ||
  fail "the Differences section is not before the full table"
grep -q '<a href="#r-[0-9]*">splicex/dev-zero-into-pipe</a>' "$work/fail/matrix.html" && grep -q '<tr id="r-[0-9]*">' "$work/fail/matrix.html" ||
  fail "the HTML differences do not link to their full rows"
# A filtered run (one rule of four) is "not compared" on the rest, no disagreement.
rec "$work/filtered" read/open/data@pipe PASS ok
rec "$work/filtered" read/open/data@fifo PASS ok
matrix filtered "$work/expl.txt" glibc="$work/glibc" vm-6.1="$work/filtered"
rc=$?
[ $rc -eq 1 ] || fail "a filtered target: exit $rc, expected 1 (not every rule compared)"
grep -q '^\*\*0 disagreement(s) with glibc: 0 explained, 0 unexplained; 3 cell(s) not compared.\*\*$' "$work/filtered/matrix.md" ||
  fail "a filtered target's missing rules are counted as disagreements: $(grep -m1 'disagreement' "$work/filtered/matrix.md")"
grep -q '^- not run on vm-6.1: 3 rule(s):' "$work/filtered/matrix.md" || fail "the rules not run on vm-6.1 are not listed apart"
grep -q 'No rule differs from glibc' "$work/filtered/matrix.md" || fail "a filtered target's Differences are not empty"

# The values docs/rules.md S2 says the matrix compares, the limits as seen,
# the libc and its version; one unlike the reference's is marked.
et='{"edge-triggered waiter woken by a write into a non-empty pipe":{"value":%d,"unit":"bool"},"exclusive epoll waiters returning from one write (of 4 asleep)":{"value":%d,"unit":"waiters"},"pipe-max-size":{"value":%d,"unit":"bytes"}}'
base "$work/m-ref"
base "$work/m-musl"
rec "$work/m-ref" epoll/edge-triggered-reports-edges@pipe PASS ok "$(printf "$et" 1 1 1048576)"
rec "$work/m-musl" epoll/edge-triggered-reports-edges@pipe PASS ok "$(printf "$et" 0 2 4096)" \
  '{"kernel":"Linux","release":"6.1.0-test","arch":"x86_64","libc":"musl","libc_version":"1.2.3","target":"musl"}'
matrix values "$work/expl.txt" glibc="$work/m-ref" musl="$work/m-musl"
for want in '| epoll: edge-triggered waiter woken again by a write into a non-empty pipe (1 yes, 0 no) | 1 | **0** |' \
  '| epoll: EPOLLEXCLUSIVE waiters returning from one write (of 4 asleep) | 1 | **2** |' \
  '| pipe-max-size (bytes, as the actors saw it) | 1048576 | **4096** |' '| libc | glibc 2.36 | **musl 1.2.3, glibc 2.36** |'; do
  grep -qF -- "$want" "$work/values/matrix.md" || fail "the values table lacks: $want"
done

[ $bad -eq 0 ] && echo "ok   explanations cover only the verdict and text they name; malformed ones refused (exit 2); a target that did not run or stopped early is a column with why (exit 1); differences first, rules not run listed apart; epoll wake counts, limits and libc versions compared"
exit $bad
