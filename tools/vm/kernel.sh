#!/usr/bin/env bash
# Fetch (once) the Debian kernel image of a series and print its path.
# usage: tools/vm/kernel.sh CACHE_DIR SERIES
#   SERIES: a line of tools/vm/kernels.txt. The package comes from that
#   suite through a private apt list under CACHE_DIR/apt/<suite> (the
#   system's apt sources are never edited); the extracted image is kept as
#   CACHE_DIR/<package>.vmlinuz. Exit 2: unknown series (the known ones are
#   listed); 3: the package could not be fetched and nothing is cached.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/../cli/debian.sh"
cache=$1 series=$2
say() { printf 'pipelab-vm: %s\n' "$*" >&2; }
table=$here/kernels.txt
known() { awk '!/^#/ && NF == 3 {print $1}' "$table" | paste -sd' '; }
read -r suite prefix < <(awk -v s="$series" '!/^#/ && $1 == s {print $2, $3}' "$table")
[ -n "${suite:-}" ] || { say "unknown kernel series '$series'; available: $(known) (or a kernel image path)"; exit 2; }
mkdir -p "$cache" || exit 3
cache=$(cd "$cache" && pwd)
memo=$cache/$series.package # the package the series resolved to last time

cached() { # the image of the last resolution, when the archive is unreachable
  local pkg
  pkg=$(cat "$memo" 2>/dev/null) && [ -s "$cache/$pkg.vmlinuz" ] || return 1
  say "using the cached $pkg (the $suite archive could not be reached)"
  printf '%s\n' "$cache/$pkg.vmlinuz"
  exit 0
}
debian_apt_init "$cache/apt/$suite" "$suite" || { cached; say "cannot reach Debian's $suite suite"; exit 3; }
pkg=$(debian_apt_cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-/ {print $2; exit}')
[ -n "$pkg" ] || { cached; say "no linux-image-amd64 in $suite"; exit 3; }
if [ "$prefix" != - ] && [ "${pkg#linux-image-"$prefix"}" = "$pkg" ]; then
  say "$suite's kernel is $pkg, not series $series"
  exit 3
fi
image=$cache/$pkg.vmlinuz
if [ ! -s "$image" ]; then
  work=$(mktemp -d "${TMPDIR:-/tmp}/pipelab-kernel-XXXXXX") || exit 3
  trap 'rm -rf "$work"' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  extract() { # deb: the kernel image, boot/ (up to bookworm) or usr/lib/modules/*/ (sid)
    dpkg-deb --fsys-tarfile "$1" | tar -x -O --wildcards --no-wildcards-match-slash \
      './boot/vmlinuz-*' './usr/lib/modules/*/vmlinuz' >"$work/vmlinuz" 2>/dev/null
    [ -s "$work/vmlinuz" ]
  }
  say "downloading $pkg from Debian $suite (once; kept in $cache)"
  (cd "$work" && debian_apt download "$pkg" >"$work/log" 2>&1) || { tail -3 "$work/log" >&2; say "apt-get download $pkg failed"; exit 3; }
  if ! extract "$work"/*.deb; then
    # Newer packaging: the image package is a shell around linux-binary-*.
    bin=$(debian_apt_cache depends "$pkg" 2>/dev/null | awk '/Depends: linux-binary-/ {print $2; exit}')
    [ -n "$bin" ] || { say "no kernel image in $pkg"; exit 3; }
    rm -f "$work"/*.deb
    (cd "$work" && debian_apt download "$bin" >"$work/log" 2>&1) || { tail -3 "$work/log" >&2; say "apt-get download $bin failed"; exit 3; }
    extract "$work"/*.deb || { say "no kernel image in $bin"; exit 3; }
  fi
  mv "$work/vmlinuz" "$image" || exit 3
fi
printf '%s\n' "$pkg" >"$memo"
printf '%s\n' "$image"
