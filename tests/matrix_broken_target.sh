#!/usr/bin/env bash
# Self-test (issue 11): a deliberately broken target, a fault library on one
# column, shows in the matrix as a marked disagreement on exactly the rule it
# breaks, with exit 1; the same disagreement listed in an explanations file
# is marked explained, with exit 0, but only with the verdict it names: the
# same line naming another verdict leaves it DIFFERS (exit 1). A bad target
# is a usage error (2).
# usage: matrix_broken_target.sh BUILD_DIR SOURCE_DIR
set -u
build=$(cd "$1" && pwd)
src=$(cd "$2" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/pipelab-matrixtest-XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT; trap 'exit 143' TERM
lib=$build/faults/lseek_succeeds.so
broken=fd/espipe-and-wrong-end-ebadf
bad=0
matrix() { # explanations-file log
  PIPELAB_REPORTS_DIR=$work/reports-$2 PIPELAB_MATRIX_EXPLAINED=$1 \
    "$src/tools/matrix/matrix.sh" "$src" glibc "preload=$lib" >"$work/$2.log" 2>&1
}
md() { cat "$work"/reports-"$1"/matrix-*/matrix.md; }

echo "# nothing explained" >"$work/none.txt"
matrix "$work/none.txt" plain
rc=$?
[ $rc -eq 1 ] || { cat "$work/plain.log"; echo "FAIL an unexplained disagreement: exit $rc, expected 1"; bad=1; }
differs=$(md plain | grep '^| `' | grep -F '**DIFFERS**' | cut -d'`' -f2 | paste -sd' ')
[ "$differs" = "$broken" ] || { echo "FAIL marked rows: '$differs', expected '$broken'"; bad=1; }
grep -q 'class="dis"' "$work"/reports-plain/matrix-*/matrix.html || { echo "FAIL the HTML does not mark the disagreement"; bad=1; }

printf 'preload-lseek_*  %s  SKIP  lseek on a pipe succeeds in this library (a deliberate fault)\n' "$broken" >"$work/skip.txt"
matrix "$work/skip.txt" skip
rc=$?
[ $rc -eq 1 ] || { cat "$work/skip.log"; echo "FAIL an explanation naming SKIP excused a FAIL: exit $rc, expected 1"; bad=1; }
md skip | grep -F "\`$broken\`" | grep -qF '**DIFFERS**' || { echo "FAIL the FAIL explained as a SKIP is not DIFFERS"; bad=1; }

printf 'preload-lseek_*  %s  FAIL  "ESPIPE"  lseek on a pipe succeeds in this library (a deliberate fault)\n' "$broken" >"$work/expl.txt"
matrix "$work/expl.txt" explained
rc=$?
[ $rc -eq 0 ] || { cat "$work/explained.log"; echo "FAIL an explained disagreement: exit $rc, expected 0"; bad=1; }
md explained | grep -F "\`$broken\`" | grep -q 'explained \[1\]' || { echo "FAIL the row is not marked explained"; bad=1; }
md explained | grep -q 'lseek on a pipe succeeds' || { echo "FAIL the explanation is not in the report"; bad=1; }

"$src/tools/matrix/matrix.sh" "$src" glibc no-such-target >"$work/usage.log" 2>&1
rc=$?
[ $rc -eq 2 ] || { echo "FAIL an unknown target: exit $rc, expected 2"; bad=1; }
[ $bad -eq 0 ] && echo "ok   the broken column's rule is marked (exit 1), explained once listed with its verdict (exit 0), not with another (exit 1); bad target exit 2"
exit $bad
