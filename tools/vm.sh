#!/usr/bin/env bash
# Run every case inside a virtual machine booted on another Linux kernel
# (qemu-system, software emulation when KVM is absent), then render the
# report here: how kernel developers compare kernels.
#
# usage: tools/vm.sh BUILD_DIR [SERIES|KERNEL_IMAGE]
#   SERIES: a Debian kernel series of tools/vm/kernels.txt (5.10, 6.1, 6.12,
#   7, latest, backports; default 6.1), fetched once by tools/vm/kernel.sh
#   into BUILD_DIR/vm. The case binaries, the launcher and their shared
#   libraries go into an initramfs at the same paths as here, with busybox
#   as the shell; records come back over the serial console.
# The guest is untrusted input: only records of cases this build lists are
#   taken, each under the file name the host derives from the case id, with
#   bounded sizes; anything else is ignored and counted.
# Ctrl-C / SIGTERM stop qemu, remove the temp dir, render what finished
#   (the rest is listed as NOT RUN) and exit 130 / 143. A VM that stops
#   early (its timeout, a crash) is rendered the same way, exit 1. Exit
#   status as ./pipelab run's: 0 every case PASS, 1 any not (SKIP too). The
#   guest's console of the last run of each kernel image is kept, its last
#   MiB, as BUILD_DIR/vm/console-IMAGE.log.
# Environment: PIPELAB_RESULTS_DIR, PIPELAB_REPORTS_DIR as for ctest;
#   PIPELAB_VM_MULT (deadline multiplier inside the VM, default 10);
#   PIPELAB_VM_FILTER (a grep -E pattern on case ids); PIPELAB_VM_TIMEOUT
#   (seconds before the VM is stopped; default from the number of cases);
#   PIPELAB_VM_SYSCTL ("fs.pipe-max-size=4096 fs.pipe-user-pages-soft=64":
#   fs.pipe-* sysctls the guest sets before the cases; one it refuses stops
#   the run, exit 2); PIPELAB_VM_APPEND (more of the guest kernel's command
#   line). Both are recorded in the run's run.json ("config"), shown in its
#   report's header and by compare and matrix.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=$(cd "$1" && pwd)
kernel=${2:-6.1}
vm=$build/vm
mult=${PIPELAB_VM_MULT:-10}
# Bounds on what the guest may send: one record, and the whole console.
record_max=$((1024 * 1024))
console_kib=$((64 * 1024))
say() { printf 'pipelab-vm: %s\n' "$*" >&2; }
die() { say "$*"; exit 2; }

for tool in qemu-system-x86_64 cpio gzip timeout; do
  command -v "$tool" >/dev/null || die "$tool is missing (apt-get install qemu-system-x86 cpio)"
done
busybox=$(command -v busybox) || die "busybox is missing (apt-get install busybox-static)"
ldd "$busybox" >/dev/null 2>&1 && die "$busybox is dynamically linked; install busybox-static"
mkdir -p "$vm" || die "cannot create $vm"

# PIPELAB_VM_SYSCTL, PIPELAB_VM_APPEND, checked before anything is built:
# $sysctl, $append.
. "$here/vm/guest_config.sh"

if [ -f "$kernel" ] || [[ "$kernel" == */* ]]; then
  [ -r "$kernel" ] && [ -f "$kernel" ] || die "kernel image '$kernel' cannot be read"
else
  image=$("$here/vm/kernel.sh" "$vm" "$kernel")
  rc=$?
  [ $rc -eq 0 ] || exit $rc
  kernel=$image
fi

# Everything of this run lives in its own temp dir: two VMs at once (the
# matrix) never share an initramfs or a console log.
work=$(mktemp -d "${TMPDIR:-/tmp}/pipelab-vm-XXXXXX") || die "cannot create a temp dir"
tpid=""
cleanup() {
  [ -n "$tpid" ] && kill -TERM "$tpid" 2>/dev/null && wait "$tpid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
interrupted=""
trap 'interrupted=130' INT
trap 'interrupted=143' TERM
stop_if_interrupted() { [ -z "$interrupted" ] || { say "interrupted before the VM ran"; exit "$interrupted"; }; }

# The initramfs: everything at the path it has here, so compiled-in paths
# (the FIFO peer) still hold.
root=$work/root
mkdir -p "$root"/{bin,proc,sys,dev,tmp,results} || die "cannot create $root"
cp "$busybox" "$root/bin/busybox"
copy() { # file: copy it and the libraries it loads
  mkdir -p "$root$(dirname "$1")" && cp -L "$1" "$root$1"
  ldd "$1" 2>/dev/null | grep -o '/[^ ]*' | while read -r lib; do
    [ -e "$root$lib" ] || { mkdir -p "$root$(dirname "$lib")" && cp -L "$lib" "$root$lib"; }
  done
}
list=$root/cases.txt
: >"$list"
# An interposed library (PIPELAB_PRELOAD) goes along, at its own path too.
preload=${PIPELAB_PRELOAD:-}
for lib in ${preload//:/ }; do
  [ -r "$lib" ] || die "PIPELAB_PRELOAD names '$lib', which cannot be read"
  copy "$lib"
done
copy "$build/tools/pipelab-launch"
copy "$build/tools/pipelab-fifo-peer"
for bin in "$build"/cases/*; do
  [ -f "$bin" ] && [ -x "$bin" ] && head -c4 "$bin" | grep -q ELF || continue
  stop_if_interrupted
  copy "$bin"
  "$bin" --pipelab-list | while IFS=$'\t' read -r test id _labels; do
    [ -n "${PIPELAB_VM_FILTER:-}" ] && ! grep -Eq -- "$PIPELAB_VM_FILTER" <<<"$id" && continue
    printf '%s\t%s\t%s\t%s\n' "$bin" "$test" "$id" "$(tr '/@' '__' <<<"$id")" >>"$list"
  done
done
[ -s "$list" ] || die "no case to run (PIPELAB_VM_FILTER='${PIPELAB_VM_FILTER:-}')"
# A test hook: extra guest commands run before the cases (the hostile-guest self-test).
hook=""
[ -n "${PIPELAB_VM_GUEST_HOOK:-}" ] && { cp "$PIPELAB_VM_GUEST_HOOK" "$root/hook.sh" || die "cannot read PIPELAB_VM_GUEST_HOOK"; hook=". /hook.sh"; }
cat >"$root/init" <<EOF
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
# The initramfs is already a writable tmpfs; mounting over /tmp would hide
# a build directory that lives there.
export PIPELAB_TARGET="vm:linux-\$(uname -r)"
${preload:+export PIPELAB_PRELOAD='$preload'}
echo "@@PIPELAB-VM-START \$(uname -r) \$(nproc) cpus"
echo "@@PIPELAB-VM-CMDLINE \$(cat /proc/cmdline)"
# PIPELAB_VM_SYSCTL (checked by the host): set, read back; refused: no case runs.
for kv in $sysctl; do
  name=\${kv%%=*} value=\${kv#*=}
  path=/proc/sys/\$(echo "\$name" | tr . /)
  if echo "\$value" >"\$path" 2>/dev/null; then
    echo "@@PIPELAB-VM-SYSCTL \$name=\$(cat "\$path")"
  else
    echo "@@PIPELAB-VM-SYSCTL-REFUSED \$kv"
    poweroff -f
  fi
done
$hook
while IFS='	' read -r bin test id ev; do
  '$build/tools/pipelab-launch' --id "\$id" --test "\$test" --evidence "\$ev" --results /results \\
    --mult $mult --deadline $((20 * mult)) -- "\$bin" --pipelab-run "\$test" >/results/"\$ev".out 2>&1
  rc=\$?
  echo "@@PIPELAB-CASE \$id exit \$rc"
  [ \$rc -ne 0 ] && [ \$rc -ne 77 ] && tail -5 /results/"\$ev".out
  # Each record as soon as it exists: a VM that dies later still reported it.
  if [ -f /results/"\$ev".json ]; then
    echo "@@PIPELAB-RECORD \$id"
    cat /results/"\$ev".json
    echo
    echo "@@PIPELAB-END"
  fi
done </cases.txt
echo "@@PIPELAB-VM-DONE"
poweroff -f
EOF
chmod +x "$root/init"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$work/initrd.gz" || die "cannot build the initramfs"
stop_if_interrupted

ncases=$(wc -l <"$list")
# The run's selection, as ctest lists one: a case without a record is then
# NOT RUN (or BROKEN) in the report, never silently absent.
awk -F'\t' 'BEGIN { printf "{\"tests\":[" } { printf "%s{\"name\":\"%s\"}", (NR > 1 ? "," : ""), $3 } END { print "]}" }' \
  "$list" >"$work/selected.json" || die "cannot write the run's selection"
timeout_s=${PIPELAB_VM_TIMEOUT:-$((120 + ncases * 2 * mult))}
say "booting $(basename "$kernel") with $ncases cases (deadlines x$mult)"
log=$work/console.log
start=$(date +%s)
# 2 s per case under software emulation is generous; the VM powers off itself.
# qemu runs in the background so that a signal reaches our traps at once;
# stdin is not a terminal (Ctrl-C is not the guest's), and the console file
# is capped (a flooding guest gets SIGXFSZ).
(
  ulimit -f "$console_kib"
  exec timeout -k 1 "$timeout_s" nice -n "${PIPELAB_VM_NICE:-0}" \
    qemu-system-x86_64 -m 1024 -smp 2 -display none -monitor none -serial stdio -no-reboot \
    -kernel "$kernel" -initrd "$work/initrd.gz" \
    -append "console=ttyS0 quiet loglevel=1 panic=-1${append:+ $append}"
) </dev/null >"$log" 2>&1 &
tpid=$!
while :; do
  wait "$tpid"
  rc=$?
  [ -n "$interrupted" ] && break
  kill -0 "$tpid" 2>/dev/null || break
done
if [ -n "$interrupted" ]; then
  # timeout forwards the signal to qemu; -k 1 makes it a SIGKILL after 1 s.
  kill -TERM "$tpid" 2>/dev/null
  wait "$tpid" 2>/dev/null
  say "interrupted: qemu stopped after $(( $(date +%s) - start )) s"
fi
tpid=""

tr -d '\r' <"$log" >"$log.txt"
# The console outlives the run (its last MiB), for a run that went wrong.
kept=$(basename "$kernel")
kept=$vm/console-${kept%.vmlinuz}.log
tail -c $((1024 * 1024)) "$log.txt" >"$kept" 2>/dev/null || kept="(not kept: $vm is not writable)"
# (the console may put escape sequences before the first line); only a
# plain release string becomes part of the target name.
release=$(grep -ao '@@PIPELAB-VM-START [^ ]*' "$log.txt" | awk '{print $2; exit}' | tr -cd 'A-Za-z0-9._+-' | head -c 64)
if [ -z "$release" ]; then
  [ -n "$interrupted" ] && exit "$interrupted"
  tail -20 "$log.txt" | grep -av '^@@PIPELAB\|^[[:space:]]*[]{}"]' >&2
  die "the VM never started the cases (qemu exit $rc); console log: $kept"
fi
refused='' # (only asked of a guest given sysctls: another cannot stop the run by saying so)
[ -n "$sysctl" ] && refused=$(grep -a -m1 '^@@PIPELAB-VM-SYSCTL-REFUSED ' "$log.txt" | cut -d' ' -f2 | tr -cd 'A-Za-z0-9._=-')
[ -z "$refused" ] || die "the guest kernel refused PIPELAB_VM_SYSCTL '$refused' (a value out of its range?): no case was run; console log: $kept"
# A value the kernel rounds (pipe-max-size to a page multiple) is said.
for kv in $sysctl; do
  now=$(grep -a -m1 "^@@PIPELAB-VM-SYSCTL ${kv%%=*}=" "$log.txt" | cut -d= -f2 | tr -cd '0-9')
  [ -z "$now" ] || [ "$now" = "${kv#*=}" ] || say "the guest kernel set ${kv%%=*} to $now (asked ${kv#*=})"
done
finished=1 stopped=''
if ! grep -q '^@@PIPELAB-VM-DONE' "$log.txt"; then
  finished=0
  took=$(( $(date +%s) - start ))
  # (timeout exits 124, or 137 when its -k had to kill qemu)
  case "$rc" in
    124 | 137) stopped="the VM was stopped by its timeout after $took s (PIPELAB_VM_TIMEOUT=$timeout_s)" ;;
    *) stopped="the VM ended after $took s without finishing (qemu exit $rc)" ;;
  esac
  [ -n "$interrupted" ] || say "$stopped; console log: $kept"
fi

results=${PIPELAB_RESULTS_DIR:-$vm/results}
config=()
[ -n "$sysctl" ] && config+=(--config "vm sysctl=$sysctl")
[ -n "$append" ] && config+=(--config "kernel command line=$append")
PIPELAB_TARGET="vm:linux-$release" "$build/tools/pipelab-report" begin "$results" --selected "$work/selected.json" "${config[@]}" || exit 2
# Strict parse: a record is taken only for a case id of this build's list,
# once, under the host's own file name for it, when its "case" field names
# that id and it stays under the size bound. Everything else is counted.
cut -f3,4 "$list" >"$work/known.txt"
ignored=$(awk -v dir="$results" -v max="$record_max" -F'\t' '
  FNR == NR { ev[$1] = $2; next }
  function drop() { bad++; out = ""; body = "" }
  function flush() {
    if (out == "") return
    if (!ok_case) { drop(); return }
    printf "%s", body > out; close(out); seen[id] = 1; out = ""; body = ""
  }
  /^@@PIPELAB-RECORD / {
    if (out != "") drop()
    id = substr($0, 18)
    if (!(id in ev) || (id in seen)) { bad++; skip = 1; next }
    skip = 0; out = dir "/" ev[id] ".json"; body = ""; size = 0; ok_case = 0; cased = 0
    next
  }
  /^@@PIPELAB-END$/ { if (out != "") flush(); else if (!skip) bad++; skip = 0; next }
  /^@@PIPELAB/ { if ($0 !~ /^@@PIPELAB-(VM-START|VM-DONE|VM-CMDLINE|VM-SYSCTL|CASE) /  && $0 != "@@PIPELAB-VM-DONE") bad++; next }
  out != "" {
    size += length($0) + 1
    if (size > max) { drop(); skip = 1; next }
    if (!cased && $0 ~ /^[ \t]*"case":/) {
      cased = 1
      line = $0; sub(/^[ \t]*"case":[ \t]*"/, "", line); sub(/",?[ \t]*$/, "", line)
      ok_case = (line == id)
    }
    body = body $0 "\n"
  }
  END { if (out != "") bad++; print bad + 0 }' "$work/known.txt" FS='\n' "$log.txt")
got=$(ls "$results"/*.json 2>/dev/null | grep -vc '/run\.json$')
say "$got of $ncases cases reported from the VM in $(( $(date +%s) - start )) s (kernel $release)"
[ "${ignored:-0}" -eq 0 ] || say "ignored $ignored malformed or unexpected record(s) from the guest's console"
if [ "$got" -lt "$ncases" ]; then
  ls "$results" >"$work/have.txt"
  notrun=$(awk -F'\t' 'FNR == NR { have[$0] = 1; next } !(($2 ".json") in have) { print $1 }' \
    "$work/have.txt" "$work/known.txt")
  say "NOT RUN: $((ncases - got)) case(s): $(head -c 400 <<<"$notrun" | paste -sd' ')"
fi
# Whatever did run is still rendered, the rest NOT RUN (stopped early) or
# BROKEN (the guest finished without its record).
partial=()
if [ -n "$interrupted" ]; then
  partial=(--interrupted "SIG$(kill -l $((interrupted - 128)))")
elif [ -n "$stopped" ]; then
  partial=(--stopped "$stopped")
fi
# Each case that did not pass, once (as ./pipelab run says it), then the totals.
"$build/tools/pipelab-report" summary "$results" 2>/dev/null | grep -v '^pipelab: [0-9]* cases\{0,1\}:'
"$build/tools/pipelab-report" render "$results" --out "${PIPELAB_REPORTS_DIR:-reports}" "${partial[@]}" | tail -2
[ -n "$interrupted" ] && exit "$interrupted"
[ "$finished" -eq 1 ] && [ "$got" -eq "$ncases" ] || exit 1
# Like ./pipelab run: 1 when any case did not pass, SKIP included (an
# expected SKIP of an old kernel belongs in the matrix's explanations).
! "$build/tools/pipelab-report" verdicts "$results" | awk '$2 != "PASS"' | grep -q .
