# Sourced by ./pipelab (uses its need, cross_prereqs and package lists).
# shellcheck shell=bash
# matrix_packages [TARGET...]: each target's packages, as the command of its
# own would install them; as root only (else, or with PIPELAB_NO_INSTALL,
# matrix.sh lists a target whose tools are missing with its apt-get line, a
# column that did not run). A failed install is left to matrix.sh too.
matrix_packages() {
  [ "$(id -u)" -eq 0 ] && [ -z "${PIPELAB_NO_INSTALL:-}" ] || return 0
  local t pkgs=() targets=("$@")
  [ $# -gt 0 ] || targets=(musl valgrind qemu-x86_64 aarch64 vm-)
  for t in "${targets[@]}"; do
    case "$t" in
      musl) pkgs+=("${MUSL_PACKAGES[@]}") ;;
      valgrind) pkgs+=(valgrind) ;;
      qemu-*) pkgs+=(qemu-user) ;;
      aarch64) (cross_prereqs) && pkgs+=("${CROSS_PACKAGES[@]}") ;;
      vm-*) pkgs+=("${VM_PACKAGES[@]}") ;;
    esac
  done
  [ ${#pkgs[@]} -eq 0 ] || (need "${pkgs[@]}")
}
