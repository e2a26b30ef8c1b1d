# ./pipelab grade and ./pipelab autograder (sourced by ./pipelab).

# The paths among ARGS (the class, --out's and --weights' values) taken from
# where the user stands; --jobs' value is a number.  Sets args.
grading_args() { # ARGS...
  local a path=1
  args=()
  for a in "$@"; do
    if [ $path = 0 ]; then args+=("$a"); path=1; continue; fi
    case "$a" in
      --jobs) args+=("$a"); path=0 ;;
      -*) args+=("$a") ;;
      *) args+=("$(from_caller "$a")") ;;
    esac
  done
}

# exec: a signal to ./pipelab is a signal to grade.sh, which stops the
# students' runs (a TERM to a parent shell would leave grade.sh running).
cmd_grade() {
  local args
  case " $* " in *" -h "* | *" --help "*) exec "$here/tools/cli/grade.sh" --help ;; esac
  grading_args "$@"
  need "${RUN_PACKAGES[@]}"
  build default
  PIPELAB_BUILD_DIR=$here/build exec "$here/tools/cli/grade.sh" "${args[@]}"
}

# The zip's weights are checked against the suite's rules, so it is built first.
cmd_autograder() {
  local args
  case " $* " in *" -h "* | *" --help "*) exec "$here/tools/cli/autograder.sh" --help ;; esac
  grading_args "$@"
  need "${RUN_PACKAGES[@]}"
  build default
  PIPELAB_BUILD_DIR=$here/build exec "$here/tools/cli/autograder.sh" "${args[@]}"
}
