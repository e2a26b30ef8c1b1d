# Sourced by ./pipelab: what the musl build (preset musl, build-musl/) needs
# besides musl-gcc. cJSON is built from Debian's own source package (fetched
# through a private apt list, deb-src of this machine's suite) with
# musl-gcc; the kernel's UAPI headers (linux/, asm/) are the system's, which
# do not depend on the libc.
# usage: musl_deps SOURCE_DIR   -> SOURCE_DIR/build-musl/deps/{include,lib}
musl_deps() {
  local src=$1 deps=$1/build-musl/deps suite work rc=0
  [ -s "$deps/lib/libcjson.a" ] && [ -e "$deps/include/linux" ] && return 0
  . "$src/tools/cli/debian.sh"
  suite=$(. /etc/os-release && printf '%s' "${VERSION_CODENAME:-}")
  [ -n "$suite" ] || { echo "cannot tell this machine's Debian suite (/etc/os-release)" >&2; return 1; }
  debian_apt_init "$src/build-musl/apt" "$suite" || return 1
  work=$(mktemp -d "${TMPDIR:-/tmp}/pipelab-musl-XXXXXX") || return 1
  (
    cd "$work" || exit 1
    debian_apt source --download-only cjson >log 2>&1 || { tail -3 log >&2; exit 1; }
    # apt checked the files against the signed Sources index; dpkg-source applies Debian's patches.
    dpkg-source --no-check -x ./cjson_*.dsc cjson >>log 2>&1 || { tail -3 log >&2; exit 1; }
    mkdir -p "$deps/include/cjson" "$deps/lib" &&
      musl-gcc -std=c89 -O2 -fPIC -c cjson/cJSON.c -o cJSON.o &&
      ar rcs "$deps/lib/libcjson.a.part" cJSON.o &&
      cp cjson/cJSON.h "$deps/include/cjson/" || exit 1
    for h in linux asm-generic; do ln -sfn "/usr/include/$h" "$deps/include/$h"; done
    ln -sfn "/usr/include/$(gcc -print-multiarch)/asm" "$deps/include/asm"
    mv "$deps/lib/libcjson.a.part" "$deps/lib/libcjson.a"
  ) || rc=1
  rm -rf "$work"
  [ $rc -eq 0 ] || echo "building cJSON for musl failed" >&2
  return $rc
}
