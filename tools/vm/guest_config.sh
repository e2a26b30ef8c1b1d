# Sourced by tools/vm.sh (uses its die): a kernel developer's configuration
# of the guest, checked before anything is built, as $sysctl and $append:
# only the pipe sysctls, as numbers (the guest's shell runs them); a command
# line that leaves the console (the records' way out) and init (the lab's).
sysctl=${PIPELAB_VM_SYSCTL:-}
for kv in $sysctl; do
  [[ "$kv" =~ ^fs\.pipe-(max-size|user-pages-soft|user-pages-hard)=[0-9]{1,12}$ ]] ||
    die "PIPELAB_VM_SYSCTL: '$kv' is not fs.pipe-max-size, fs.pipe-user-pages-soft or fs.pipe-user-pages-hard set to a number"
done
append=${PIPELAB_VM_APPEND:-}
[[ "$append" =~ ^[A-Za-z0-9_.,:=/+@\ -]{0,512}$ ]] ||
  die "PIPELAB_VM_APPEND: only letters, digits, spaces and _.,:=/+@- (at most 512), no quotes"
for word in $append; do
  case "$word" in console=* | init=* | rdinit=* | panic=*)
    die "PIPELAB_VM_APPEND: '$word' would override the lab's own (console=ttyS0 carries the records; init runs the cases)" ;;
  esac
done
