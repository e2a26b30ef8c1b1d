# Sourced by ./pipelab (uses its here, say): one run of the cases.
# shellcheck shell=bash
# One run of the cases in BUILD_DIR (preset PRESET), isolated from any other
# run: its own id, results folder (build/runs/<id>, or PIPELAB_RESULTS_DIR)
# and report folder (reports/<id>), its own temp dir for the launchers. ctest
# runs under pipelab-guard: on SIGINT/SIGTERM/SIGHUP the whole tree stops at
# once, the report of what finished is written with the rest NOT RUN, and
# reports/latest stays where it was.
# What ctest says, as a student reads it: ctest's closing list names its
# entries ("{linux}#1 (Failed)"), each holding up to 12 cases, and counts them
# ("76% tests passed, 9 tests failed out of 37"); --output-on-failure repeats
# each case's verdict line ("pipelab: FAIL id: why") that the summary after
# the run gives once, by case.  Those are left out here, the progress lines
# and anything else a case printed kept.  -V and -VV show everything.
ctest_view() {
  awk '
    /^The following tests FAILED:$/ { entries = 1; next }
    entries && /^\t/ { next }
    { entries = 0 }
    /^pipelab: (PASS|FAIL|BROKEN|SKIP|TIMEOUT) / { next }
    /^[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+$/ { next }
    { print; fflush() }'
}

run_cases() { # BUILD_DIR PRESET [CTEST ARGS...]
  local bdir=$1 preset=$2 tools=$here/build/tools # the native tools, for a cross build too
  shift 2
  local rep=${PIPELAB_REPORTS_DIR:-$here/reports} stop='' work started
  trap 'stop=SIGINT' INT
  trap 'stop=SIGTERM' TERM
  trap 'stop=SIGHUP' HUP
  work=$(mktemp -d "${TMPDIR:-/tmp}/pipelab-XXXXXX") || { say "cannot create a temp dir in ${TMPDIR:-/tmp}"; return 2; }
  chmod 0711 "$work" # actors run unprivileged reach their case dirs below it, and list nothing
  # (build/results is plain ctest's: its launchers write through that link,
  # so a run of ours never moves it under a plain ctest running alongside)
  local where=(--root "$bdir/runs")
  [ -n "${PIPELAB_RESULTS_DIR:-}" ] && where=("$PIPELAB_RESULTS_DIR")
  if [ -n "$stop" ] || ! started=$(PIPELAB_RUN_OWNER=$$ "$bdir/pipelab-run-hook" start "${where[@]}"); then
    rm -rf "$work"
    [ -n "$stop" ] && return $((128 + $(kill -l "$stop")))
    return 2
  fi
  local dir=${started%%$'\n'*} id=${started#*$'\n'}
  export PIPELAB_RESULTS_DIR=$dir PIPELAB_RUN_ID=$id PIPELAB_REPORTS_DIR=$rep
  local view=ctest_view a
  for a in "$@"; do
    case "$a" in -V | -VV | --verbose | --extra-verbose) view=cat ;; esac
  done
  # The view reads ctest's output through a FIFO, ignoring the interrupts
  # the guard handles, so it prints all that ctest wrote before it stopped.
  local viewer=''
  if mkfifo "$work/ctest.out"; then
    (trap '' INT TERM HUP; "$view" <"$work/ctest.out") &
    viewer=$!
    TMPDIR=$work PIPELAB_RENDER_QUIET=1 "$tools/pipelab-guard" -- ctest --preset "$preset" -L cases "$@" >"$work/ctest.out" &
  else # ctest's output as it is
    TMPDIR=$work PIPELAB_RENDER_QUIET=1 "$tools/pipelab-guard" -- ctest --preset "$preset" -L cases "$@" &
  fi
  local guard=$! rc=0
  while :; do
    wait "$guard"
    rc=$?
    [ -n "$stop" ] && kill -TERM "$guard" 2>/dev/null
    kill -0 "$guard" 2>/dev/null || break
  done
  # The guard has ended the run's processes, so the view reads to the end at
  # once; one that something else keeps open is not waited for.
  local n=0
  while [ -n "$viewer" ] && kill -0 "$viewer" 2>/dev/null && [ $n -lt 50 ]; do
    sleep 0.1
    n=$((n + 1))
  done
  [ -n "$viewer" ] && { kill -KILL "$viewer" 2>/dev/null; wait "$viewer" 2>/dev/null; }
  trap '' INT TERM HUP # the report and the clean-up run to the end
  if [ -z "$stop" ] && [ $rc -gt 128 ] && [ $rc -lt 160 ]; then
    stop=SIG$(kill -l $((rc - 128))) # the guard itself was signalled
  fi
  if [ -n "$stop" ]; then
    # What the run selected (ctest runs its hooks for a listing too: they get
    # a throwaway folder); the cases without a record are NOT RUN.
    PIPELAB_RESULTS_DIR=$work/listing PIPELAB_REPORTS_DIR=$work/listing \
      ctest --preset "$preset" -L cases "$@" --show-only=json-v1 >"$work/selected.json" 2>/dev/null
    "$tools/pipelab-report" render "$dir" --out "$rep" --interrupted "$stop" --selected "$work/selected.json" >&2
    rm -rf "$work"
    say "interrupted by $stop: reports/latest was not moved"
    trap - INT TERM HUP
    return $((128 + $(kill -l "$stop")))
  fi
  rm -rf "$work"
  trap - INT TERM HUP
  if [ ! -f "$rep/$id/index.html" ]; then
    rc=0
    "$tools/pipelab-report" summary "$dir" >/dev/null 2>&1 || rc=$?
    if [ $rc -eq 2 ]; then # not one record
      say "no case matches the selection (ctest arguments: $*): nothing was run"
    else
      say "no report was written (see the ctest output above)"
    fi
    return 2
  fi
  rc=0
  "$tools/pipelab-report" summary "$rep/$id" || rc=$?
  say "report: $rep/$id/index.html"
  return $rc
}
