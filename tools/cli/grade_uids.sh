# The students' uids (sourced by tools/cli/grade.sh).  Run as root, each
# student's code runs as a uid of its own, from uid_base up, skipping those
# the system knows.
claim_uids() { # N: sets uids
  uids=()
  local u=$uid_base
  while [ ${#uids[@]} -lt "$1" ]; do
    getent passwd "$u" >/dev/null || uids+=("$u")
    u=$((u + 1))
  done
}
release_uids() { :; }

# Whether UID can reach each PATH (x on it and every folder above); prints
# the first it cannot.
uid_reaches() { # UID PATH...
  local u=$1
  shift
  setpriv --reuid="$u" --regid="$u" --clear-groups -- \
    sh -c 'for p; do [ -x "$p" ] || { printf "%s\n" "$p"; exit 1; }; done' sh "$@"
}
