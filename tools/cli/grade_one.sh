# One student's run (sourced by tools/cli/grade.sh; runs in a background
# subshell of its own).  Uses grade.sh's stage, rt, build, check, guard,
# class and load_timeout.

# Runs CMD in the background and waits for it, so that a TERM to this
# student's subshell (bash runs traps only between commands) stops it at once.
stop=''
run_stoppable() { # CMD...
  "$@" &
  local p=$! rc
  while :; do
    wait "$p"
    rc=$?
    [ -z "$stop" ] && return $rc
    kill -TERM "$p" 2>/dev/null
    kill -0 "$p" 2>/dev/null || return 143
  done
}

# The student's folder in the report is root's while grading (evidence,
# reports, logs: no student uid can read it); what the student's code itself
# must reach (its library, its TMPDIR) is in rt/NAME, which other uids may
# pass through but not list.
grade_one() { # NAME ENTRY UID
  local name=$1 dir=$stage/students/$1 box=$rt/$1 uid=$3 lib why rc
  # TERM from grade.sh (interrupted), or the INT of a Ctrl-C or `kill -INT`
  # to the whole group, which would otherwise kill this subshell unseen.
  trap 'stop=1' INT TERM
  [ -n "$uid" ] && export PIPELAB_UNPRIVILEGED_USER=$uid
  local mask
  mask=$(umask)
  umask 077
  mkdir -p "$dir/evidence" "$dir/reports" "$box/lib" "$box/tmp"
  # TMPDIR stays root's, passable but not writable, as ./pipelab run's is:
  # the launcher's and the cases' temp dirs are made in it, and a student
  # who could rename them could aim root's chown and removal elsewhere.
  # The student's code writes only in its case's own directory.
  chmod 0711 "$box" "$box/tmp"
  if [ -n "$uid" ]; then
    echo "$uid" >"$dir/uid"
    chown "$uid:$uid" "$box/lib"
  fi
  if ! lib=$(find_library "$2" "$class"); then
    echo "$lib" >"$dir/reason"
    end_student
    return
  fi
  echo "$lib" >"$dir/library"
  # The copy every case loads, only this student's uid can read it, under a
  # name with no space or colon: PIPELAB_PRELOAD and the LD_PRELOAD of the
  # programs a case execs are split at both ("Dana Lee.so" would not load).
  if ! cp -- "$lib" "$box/lib/libpipe.so"; then
    echo "the submission cannot be copied" >"$dir/reason"
    end_student
    return
  fi
  lib=$box/lib/libpipe.so
  chmod 0400 "$lib"
  [ -z "$uid" ] || chown "$uid:$uid" "$lib"
  # A library the actors cannot load, or whose loading crashes or hangs, is
  # not judged: pipelab-check-impl says why (it loads it unprivileged, in a
  # throwaway process, never in this script or as root).
  if ! run_stoppable "$check" --reason --deadline "$load_timeout" "$lib" >"$dir/why"; then
    [ -z "$stop" ] || { rm -f "$dir/why"; end_student; incomplete "the grade was interrupted during its load check" 143; }
    why=$(cat "$dir/why")
    echo "${why:-its library could not be checked}" >"$dir/reason"
    rm -f "$dir/why"
    end_student
    return
  fi
  rm -f "$dir/why"
  # The report's links to the rule catalogue, from students/NAME/reports/RUN/
  # (the same from the final folder: it is the stage's sibling).
  local docs
  docs=$(realpath -m --relative-to="$dir/reports/run" "$here/docs")
  : >"$dir/ctest.log"
  : >"$dir/ctest-junit.xml"
  umask "$mask" # the cases run with the caller's umask
  # Under the guard: stopped, it stops ctest's whole tree, nothing orphaned.
  PIPELAB_PRELOAD=$lib PIPELAB_TARGET=$name PIPELAB_RESULTS_DIR=$dir/evidence PIPELAB_REPORTS_DIR=$dir/reports \
    PIPELAB_DOCS_URL=$docs TMPDIR=$box/tmp run_stoppable "$guard" -- ctest --test-dir "$build/cases" -L cases \
    -j "${PIPELAB_GRADE_CASE_JOBS:-2}" --output-junit "$dir/ctest-junit.xml" >"$dir/ctest.log" 2>&1
  rc=$?
  end_student
  # Cut short, the run judged only some cases: no score from it, and the
  # class stops (grade.sh sees "stopped").
  [ -z "$stop" ] || incomplete "the grade was interrupted while its cases ran" 143
  [ $rc -lt 128 ] || incomplete "its cases were stopped by SIG$(kill -l $((rc - 128)) 2>/dev/null || echo $((rc - 128)))" $rc
  chmod 0600 "$dir/ctest-junit.xml" 2>/dev/null # ctest writes it anew
  ls "$dir/evidence"/*.json >/dev/null 2>&1 || echo "no case ran with it (see students/$name/ctest.log)" >"$dir/reason"
  : >"$dir/graded"
}

# Whatever of this student's code still runs (it hid from ctest's and the
# launcher's deadlines with setsid) ends here, and so do its files in /tmp:
# the uid is this student's.
end_student() {
  if [ -n "$uid" ]; then
    "$check" --sweep "$uid"
    clean_uid_files "$uid"
  fi
  rm -rf "$box"
}

incomplete() { # WHY STATUS
  echo "incomplete run ($1)" >"$dir/reason"
  echo "$2" >"$dir/stopped"
  exit "$2"
}
