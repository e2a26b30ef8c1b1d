# Sourced by ./pipelab (needs its `say`).
# ./pipelab run's ctest arguments: the ones that select or show, checked
# before anything is built.  -R and -E are regular expressions over case ids
# (a variant may share its ctest entry with its suite's others: a group,
# cmake/DiscoverCases.cmake); they become PIPELAB_CASES(_EXCLUDE), which the
# launchers honour, and ctest gets the entries that hold a selected id.
run_args() { # ARGS...: sets run_ctest (the ctest arguments) or exits 2
  run_ctest=()
  local a v
  while [ $# -gt 0 ]; do
    a=$1
    shift
    case "$a" in
      -R | --tests-regex | -E | --exclude-regex | -L | --label-regex | -LE | --label-exclude | -j | --parallel | --timeout)
        [ $# -gt 0 ] && [ -n "$1" ] || { say "run: $a needs a value"; exit 2; }
        v=$1
        shift ;;
      -j[0-9]*) run_ctest+=("$a"); continue ;;
      -V | --verbose | -VV | --extra-verbose | --output-on-failure | -Q | --quiet | --schedule-random | --stop-on-failure)
        run_ctest+=("$a"); continue ;;
      *) say "run: unknown argument '$a' (accepted: -R REGEX, -E REGEX over case ids; -L, -LE REGEX over labels; -j N; --timeout S; -V, -VV, -Q, --output-on-failure, --schedule-random, --stop-on-failure)"
        exit 2 ;;
    esac
    case "$a" in
      -R | --tests-regex | -E | --exclude-regex | -L | --label-regex | -LE | --label-exclude)
        grep -Eq -- "$v" </dev/null 2>/dev/null; [ $? -ne 2 ] || { say "run: $a '$v' is not a regular expression"; exit 2; } ;;
      *) case "$v" in *[!0-9.]* | .*) say "run: $a '$v' is not a number"; exit 2 ;; esac ;;
    esac
    case "$a" in
      -R | --tests-regex) export PIPELAB_CASES=$v ;;
      -E | --exclude-regex) export PIPELAB_CASES_EXCLUDE=$v ;;
      *) run_ctest+=("$a" "$v") ;;
    esac
  done
}

# The ctest entries that hold an id PIPELAB_CASES selects and
# PIPELAB_CASES_EXCLUDE does not (BUILD_DIR/cases/*_entries.tsv: ENTRY<TAB>ID),
# as one anchored ctest -R; nothing printed when nothing is selected by id.
entries_regex() { # BUILD_DIR
  [ -n "${PIPELAB_CASES:-}${PIPELAB_CASES_EXCLUDE:-}" ] || { echo '.'; return; }
  cat "$1"/cases/*_entries.tsv 2>/dev/null | awk -F '\t' -v inc="${PIPELAB_CASES:-}" -v exc="${PIPELAB_CASES_EXCLUDE:-}" '
    (inc == "" || $2 ~ inc) && (exc == "" || $2 !~ exc) && !seen[$1]++ {
      gsub(/[][\\.^$*+?(){}|]/, "\\\\&", $1); out = out (out == "" ? "" : "|") $1 }
    END { if (out != "") print "^(" out ")$" }'
}
