# Sourced by the VM self-tests (tests/vm_*.sh BUILD_DIR SOURCE_DIR): their
# arguments as $build and $src, SKIP (77) when the VM tools are missing, and
# a private $work removed however the test ends.
# usage: vm_test_begin NAME "$@"
vm_test_begin() {
  local name=$1 tool
  build=$(cd "$2" && pwd)
  src=$(cd "$3" && pwd)
  for tool in qemu-system-x86_64 cpio busybox; do
    command -v "$tool" >/dev/null || { echo "SKIP: $tool is not installed (apt-get install qemu-system-x86 busybox-static cpio)"; exit 77; }
  done
  work=$(mktemp -d "${TMPDIR:-/tmp}/pipelab-$name-XXXXXX")
  trap 'rm -rf "$work"' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}
