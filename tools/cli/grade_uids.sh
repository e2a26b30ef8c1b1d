# The students' uids (sourced by tools/cli/grade.sh).  Run as root, each
# student's code runs as a uid of its own, and after the student every
# process and /tmp file of that uid is removed.  So a uid must be this run's
# alone: two grades at once (two TAs on one machine) must never share one, or
# one run's sweep kills the other's student mid-case.  Uids are claimed under
# a machine-wide lock, in a file of claims that each name the grade run (pid
# and start time: a killed run's claims lapse by themselves).

uid_claims=''
# Where anyone may leave a file: a uid that owns one there is in use, and a
# student's are removed with the student.
uid_dirs='/tmp /var/tmp /dev/shm /run/lock'

proc_start() { # PID: its start time (stat field 22), empty if it is gone
  local s
  s=$(cat "/proc/$1/stat" 2>/dev/null) || return 0
  s=${s##*) }
  # shellcheck disable=SC2086
  set -- $s
  echo "${20:-}"
}

# Sets uids to N uids from uid_base up that no account or group has, no
# process or file in /tmp, /var/tmp or /dev/shm owns, and no running grade
# has claimed; claims them for this run.
claim_uids() { # N
  uids=()
  local dir fd u p t me keep=()
  # root's own folder, never a world-writable one: there a planted symlink
  # would have root write the claims wherever it points.
  for dir in /run/pipelab /var/lib/pipelab; do
    mkdir -p -m 0700 "$dir" 2>/dev/null && [ ! -L "$dir" ] && [ -O "$dir" ] && break
    dir=''
  done
  [ -n "$dir" ] || return 1
  uid_claims=$dir/grade-uids
  [ ! -L "$uid_claims" ] || return 1
  exec {fd}<>"$uid_claims" || return 1
  flock "$fd"
  local -A busy=()
  while read -r u p t; do
    [ -n "${t:-}" ] && [ "$(proc_start "$p")" = "$t" ] || continue
    keep+=("$u $p $t") busy[$u]=1
  done <"$uid_claims"
  while read -r u; do busy[$u]=1; done < <({ stat -c %u /proc/[0-9]* 2>/dev/null
    # shellcheck disable=SC2086 # the folders are words
    find $uid_dirs -xdev -printf '%U\n' 2>/dev/null; } | sort -u)
  me="$$ $(proc_start $$)"
  u=$uid_base
  while [ ${#uids[@]} -lt "$1" ]; do
    if [ -z "${busy[$u]:-}" ] && ! getent passwd "$u" >/dev/null && ! getent group "$u" >/dev/null; then
      uids+=("$u") keep+=("$u $me")
    fi
    u=$((u + 1))
  done
  printf '%s\n' "${keep[@]}" >"$uid_claims"
  exec {fd}>&-
}

release_uids() {
  [ -n "$uid_claims" ] || return 0
  local fd rest me
  me=" $$ $(proc_start $$)"
  exec {fd}<>"$uid_claims" || return 0
  flock "$fd"
  rest=$(grep -v -- "$me\$" "$uid_claims")
  printf '%s\n' "$rest" >"$uid_claims"
  exec {fd}>&-
  uid_claims=''
}

# What a student's uid left where anyone may write (a file in /tmp, a POSIX
# shm object) goes with the student: the uid is this run's own, so nothing
# of anyone else's is touched.  (./pipelab run's shared `nobody` never gets
# this: other programs run as nobody.)  Only the entries right in those
# sticky folders, each removed by find without following a link (a deeper
# path could run through another user's folder, swapped for a symlink).
clean_uid_files() { # UID
  local entry
  # shellcheck disable=SC2086 # the folders are words
  find $uid_dirs -xdev -mindepth 1 -maxdepth 1 -uid "$1" -print0 2>/dev/null |
    while IFS= read -r -d '' entry; do find "$entry" -xdev -depth -delete 2>/dev/null; done
  return 0
}

# Whether UID can reach each PATH (x on it and every folder above); prints
# the first it cannot.
uid_reaches() { # UID PATH...
  local u=$1
  shift
  setpriv --reuid="$u" --regid="$u" --clear-groups -- \
    sh -c 'for p; do [ -x "$p" ] || { printf "%s\n" "$p"; exit 1; }; done' sh "$@"
}
