# Sourced by tools/vm.sh and tools/cli/musl.sh: a private apt (source list,
# state and cache under one directory) that reaches other Debian suites
# through the mirror this machine already uses, without touching the
# system's apt configuration.
#   debian_apt_init DIR SUITE...   write DIR/sources.list (deb + deb-src) and update
#   debian_apt ARGS...             apt-get with the private list (cwd as usual)
#   debian_apt_cache ARGS...       apt-cache with the private list

# The Debian mirror the system's own sources name (deb822 or one-line form).
debian_mirror() {
  local f uri
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
    [ -r "$f" ] || continue
    uri=$(awk '
      /^[[:space:]]*#/ { next }
      /^URIs:/ { for (i = 2; i <= NF; i++) print $i; next }
      $1 ~ /^deb(-src)?$/ { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; break } }' "$f" |
      grep -E '://[^ ]*/debian/?$' | head -1)
    [ -n "$uri" ] && { printf '%s\n' "${uri%/}"; return 0; }
  done
  return 1
}

debian_apt_opts() {
  printf '%s\n' -o "Dir::Etc::sourcelist=$DEBIAN_APT_DIR/sources.list" -o "Dir::Etc::sourceparts=$DEBIAN_APT_DIR/parts" \
    -o "Dir::State=$DEBIAN_APT_DIR/state" -o "Dir::State::status=$DEBIAN_APT_DIR/state/status" \
    -o "Dir::Cache=$DEBIAN_APT_DIR/cache" -o "APT::Architectures=$(dpkg --print-architecture)" \
    -o "Debug::NoLocking=1" -o "APT::Sandbox::User=root"
}
debian_apt() { local o; mapfile -t o < <(debian_apt_opts); apt-get -q "${o[@]}" "$@"; }
debian_apt_cache() { local o; mapfile -t o < <(debian_apt_opts); apt-cache "${o[@]}" "$@"; }

debian_apt_init() { # DIR SUITE...
  local mirror keyring=/usr/share/keyrings/debian-archive-keyring.gpg suite want=""
  mirror=$(debian_mirror) || { echo "no Debian mirror in /etc/apt/sources.list*" >&2; return 1; }
  mkdir -p "$1" && DEBIAN_APT_DIR=$(cd "$1" && pwd) || return 1
  shift
  mkdir -p "$DEBIAN_APT_DIR"/{parts,state/lists/partial,cache/archives/partial} || return 1
  : >>"$DEBIAN_APT_DIR/state/status"
  for suite in "$@"; do
    want+="deb [signed-by=$keyring] $mirror $suite main"$'\n'
    want+="deb-src [signed-by=$keyring] $mirror $suite main"$'\n'
  done
  # Indexes are refreshed once a day, or when the list changes.
  if [ "$(cat "$DEBIAN_APT_DIR/sources.list" 2>/dev/null)" != "${want%$'\n'}" ] ||
    [ -n "$(find "$DEBIAN_APT_DIR/sources.list" -mmin +1440 2>/dev/null)" ]; then
    printf '%s' "$want" >"$DEBIAN_APT_DIR/sources.list.new" || return 1
    mv "$DEBIAN_APT_DIR/sources.list.new" "$DEBIAN_APT_DIR/sources.list"
    debian_apt update >"$DEBIAN_APT_DIR/update.log" 2>&1 || {
      tail -5 "$DEBIAN_APT_DIR/update.log" >&2
      rm -f "$DEBIAN_APT_DIR/sources.list"
      return 1
    }
  fi
}
