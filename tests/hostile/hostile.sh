#!/usr/bin/env bash
# Self-test: the project's hostile libraries (hostile.c) change the verdicts
# by nothing but their behaviour, and leave nothing behind.  Each runs the 16
# table cases once (bounded by ctest's and the launcher's deadlines).
# Run as root: then the code under test is boxed as an unprivileged user;
# a non-root run cannot be boxed (README, "Trust model") and is skipped.
# usage: hostile.sh BUILD_DIR
set -u
build=$(cd "$1" && pwd)
[ "$(id -u)" = 0 ] || { echo "skip: the box needs root (actors switch to an unprivileged user)"; exit 77; }
work=$(mktemp -d "${TMPDIR:-/tmp}/pipelab-hostile-XXXXXX")
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT; trap 'exit 143' TERM
# A uid of this test's own (no account), so the processes, files and IPC it
# checks for are certainly its libraries', whatever other tests run alongside.
user=64321
export PIPELAB_UNPRIVILEGED_USER=$user
bad=0
fail() { echo "FAIL $*"; bad=$((bad + 1)); }

# run NAME LIB: the table cases with LIB under test; verdicts in $work/NAME.verdicts
run() {
  local name=$1 lib=$2
  mkdir -p "$work/tmp-$name"
  # A multiplier of 3: a fork loop makes the library slow on a loaded machine.
  TMPDIR=$work/tmp-$name PIPELAB_TIMEOUT_MULT=3 PIPELAB_PRELOAD=$lib PIPELAB_RESULTS_DIR=$work/$name PIPELAB_REPORTS_DIR=$work/reports \
    HOSTILE_RESULTS_GUESS=$work/$name timeout 300 ctest --test-dir "$build/cases" -j2 -L table >"$work/$name.log" 2>&1
  "$build/tools/pipelab-report" verdicts "$work/$name" | sort >"$work/$name.verdicts"
  [ "$(wc -l <"$work/$name.verdicts")" -ge 16 ] || fail "$name: only $(wc -l <"$work/$name.verdicts") records"
}

# nothing_left NAME: no process of the box's user, no temp dir, no FIFO, no stray file
nothing_left() {
  local name=$1 left
  left=$(pgrep -u "$user" -a 2>/dev/null | grep -v -e "^$$ " | head -5)
  [ -z "$left" ] || fail "$name: processes left: $left"
  left=$(find "$work/tmp-$name" -mindepth 1 2>/dev/null | head -5)
  [ -z "$left" ] || fail "$name: left in TMPDIR: $left"
  left=$(find "$work/$name" -type f ! -name '*.json' ! -name '*.log' 2>/dev/null | head -5)
  [ -z "$left" ] || fail "$name: stray files in the results: $left"
  [ ! -e "$work/$name/injected_case.json" ] || fail "$name: a record was injected"
  ! grep -qs forged "$work/$name"/*.json || fail "$name: a record was forged"
}

all_pass() {
  local name=$1 notpass
  notpass=$(awk '$2 != "PASS"' "$work/$name.verdicts")
  [ -z "$notpass" ] || fail "$name: verdicts changed: $(echo $notpass)"
}

pgrep -u "$user" >/dev/null && { echo "skip: processes of $user already run here; cannot tell leftovers apart"; exit 77; }

# Forging: its read() is wrong exactly like read_eof_is_eio's; everything else
# it does (rewrite, delete and inject records, results.json, run.json) must
# change nothing.
run honest "$build/faults/read_eof_is_eio.so"
run forge "$build/hostile/forge.so"
diff -u "$work/honest.verdicts" "$work/forge.verdicts" >"$work/forge.diff" ||
  fail "forge: verdicts differ from the honest mutant's: $(cat "$work/forge.diff")"
grep -q FAIL "$work/forge.verdicts" || fail "forge: its wrong read() was not caught"
nothing_left forge

for attack in kill_parent fork_loop memory_hog output_flood daemon; do
  run $attack "$build/hostile/$attack.so"
  all_pass $attack
  nothing_left $attack
done
grep -qs '"output cut at 1 MiB' "$work/output_flood"/*.json || fail "output_flood: no record says the output was cut"
big=$(find "$work/output_flood" -name '*.log' -size +1100k | head -3)
[ -z "$big" ] || fail "output_flood: logs over the cap: $big"
grep -qs '"warnings"' "$work/daemon"/*.json || fail "daemon: no record names the escaped processes"

# Forged evidence of blocking: a read() that polls must fail the cells that
# block (read/open/no-data), however it dresses the proof up, and the process
# whose pid it wrote into its record must not be signalled.
sleep 600 &
victim=$!
trap 'kill $victim 2>/dev/null; rm -rf "$work"' EXIT
for attack in decoy_fd false_pid; do
  HOSTILE_VICTIM_PID=$victim run $attack "$build/hostile/$attack.so"
  passed=$(awk '$1 ~ /^read\/open\/no-data@/ && $2 == "PASS"' "$work/$attack.verdicts")
  [ -z "$passed" ] || fail "$attack: a polling read passed as blocked: $passed"
  nothing_left $attack
done
run stdout_decoy "$build/hostile/stdout_decoy.so"
passed=$(awk '$1 ~ /^write\/open\/full@/ && $2 == "PASS"' "$work/stdout_decoy.verdicts")
[ -z "$passed" ] || fail "stdout_decoy: a polling write passed as blocked on the lab's stdout: $passed"
nothing_left stdout_decoy
kill -0 $victim 2>/dev/null || fail "false_pid: the judge signalled the pid an actor wrote into its record"
kill $victim 2>/dev/null
wait $victim 2>/dev/null
# Root removes the case's directory: a symlink swapped in on the way must not
# lead it anywhere else.
mkdir -p "$work/victim" && touch "$work/victim/"f{1..50}
HOSTILE_VICTIM_DIR=$work/victim run rm_race "$build/hostile/rm_race.so"
all_pass rm_race
[ "$(ls "$work/victim" | wc -l)" = 50 ] || fail "rm_race: files outside the case were removed ($(ls "$work/victim" | wc -l) of 50 left)"
# IPC and /dev/shm of the library's own making go with the case (and with the load check).
ipc_before=$(ipcs -s | grep -c " $user ")
run ipc_leak "$build/hostile/ipc_leak.so"
all_pass ipc_leak
[ "$(ipcs -s | grep -c " $user ")" = "$ipc_before" ] || fail "ipc_leak: semaphores of $user left behind"
ls /dev/shm | grep -q pipelab-hostile-leak && fail "ipc_leak: files left in /dev/shm: $(ls /dev/shm | grep pipelab-hostile-leak | head -3)"

# Markup and bytes that are not UTF-8 in every string an actor writes: the
# reports quote them as text, and stay valid UTF-8.
run markup "$build/hostile/markup.so"
all_pass markup
"$build/tools/pipelab-report" render "$work/markup" --out "$work/markup-reports" >/dev/null 2>&1
page=$(ls "$work"/markup-reports/*/index.html 2>/dev/null | head -1)
if [ -z "$page" ]; then
  fail "markup: no report was rendered"
else
  ! grep -q '<svg onload' "$page" || fail "markup: an actor's markup reached the HTML report unescaped"
  iconv -f UTF-8 -t UTF-8 "$page" "$(dirname "$page")/report.md" "$(dirname "$page")/results.json" >/dev/null 2>&1 ||
    fail "markup: a report is not valid UTF-8"
fi
nothing_left markup

# A library the loader refuses: BROKEN with the loader's message, in every case.
run unloadable "$build/hostile/unloadable.so"
notbroken=$(awk '$2 != "BROKEN"' "$work/unloadable.verdicts")
[ -z "$notbroken" ] || fail "unloadable: not BROKEN: $(echo $notbroken)"
grep -qs 'undefined symbol: pipelab_no_such_function' "$work/unloadable"/*.json ||
  fail "unloadable: the records do not give the loader's message"
nothing_left unloadable

[ $bad = 0 ] && echo "ok: 13 hostile libraries, verdicts changed only by behaviour, nothing left behind"
exit $((bad > 0))
