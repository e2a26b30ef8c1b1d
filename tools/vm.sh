#!/usr/bin/env bash
# Run every case inside a virtual machine booted on another Linux kernel
# (qemu-system, software emulation when KVM is absent), then render the
# report here: how kernel developers compare kernels.
#
# usage: tools/vm.sh BUILD_DIR [KERNEL_IMAGE]
#   KERNEL_IMAGE defaults to Debian's current linux-image-amd64, downloaded
#   (not installed) into BUILD_DIR/vm.  The case binaries, the launcher and
#   their shared libraries go into an initramfs at the same paths as here,
#   with busybox as the shell; records come back over the serial console.
# Environment: PIPELAB_RESULTS_DIR, PIPELAB_REPORTS_DIR as for ctest;
#   PIPELAB_VM_MULT (deadline multiplier inside the VM, default 10);
#   PIPELAB_VM_FILTER (a grep -E pattern on case ids); PIPELAB_VM_TIMEOUT
#   (seconds before the VM is stopped; default from the number of cases).
set -u
build=$(cd "$1" && pwd)
kernel=${2:-}
vm=$build/vm
mult=${PIPELAB_VM_MULT:-10}
say() { printf 'pipelab-vm: %s\n' "$*" >&2; }
die() { say "$*"; exit 2; }

[ -z "$kernel" ] || [ -r "$kernel" ] || die "kernel image '$kernel' cannot be read"
for tool in qemu-system-x86_64 cpio gzip; do
  command -v "$tool" >/dev/null || die "$tool is missing (apt-get install qemu-system-x86 cpio)"
done
busybox=$(command -v busybox) || die "busybox is missing (apt-get install busybox-static)"
ldd "$busybox" >/dev/null 2>&1 && die "$busybox is dynamically linked; install busybox-static"
mkdir -p "$vm" || die "cannot create $vm"

if [ -z "$kernel" ]; then
  pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-/ {print $2; exit}')
  [ -n "$pkg" ] || die "cannot tell which Debian kernel package to use; give a kernel image"
  kernel=$vm/${pkg#linux-image-}.vmlinuz
  if [ ! -s "$kernel" ]; then
    say "downloading $pkg (once; kept in $vm)"
    (cd "$vm" && apt-get download "$pkg" >/dev/null 2>&1) || die "apt-get download $pkg failed"
    deb=$(ls "$vm"/"$pkg"_*.deb | head -1)
    # Into a temporary name first: a broken extraction must not pass for a kernel next time.
    dpkg-deb --fsys-tarfile "$deb" | tar -x -O --wildcards './boot/vmlinuz-*' >"$kernel.part" &&
      [ -s "$kernel.part" ] && mv "$kernel.part" "$kernel" || { rm -f "$kernel.part" "$deb"; die "no kernel image in $deb"; }
    rm -f "$deb"
  fi
fi
[ -r "$kernel" ] || die "kernel image '$kernel' cannot be read"

# The initramfs: everything at the path it has here, so compiled-in paths
# (the FIFO peer) still hold.
root=$vm/root
rm -rf "$root"
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
  copy "$bin"
  "$bin" --pipelab-list | while IFS=$'\t' read -r test id _labels; do
    [ -n "${PIPELAB_VM_FILTER:-}" ] && ! grep -Eq -- "$PIPELAB_VM_FILTER" <<<"$id" && continue
    printf '%s\t%s\t%s\t%s\n' "$bin" "$test" "$id" "$(tr '/@' '__' <<<"$id")" >>"$list"
  done
done
[ -s "$list" ] || die "no case to run (PIPELAB_VM_FILTER='${PIPELAB_VM_FILTER:-}')"
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
while IFS='	' read -r bin test id ev; do
  '$build/tools/pipelab-launch' --id "\$id" --test "\$test" --evidence "\$ev" --results /results \\
    --mult $mult --deadline $((20 * mult)) -- "\$bin" --pipelab-run "\$test" >/results/"\$ev".out 2>&1
  rc=\$?
  echo "@@PIPELAB-CASE \$id exit \$rc"
  [ \$rc -ne 0 ] && [ \$rc -ne 77 ] && tail -5 /results/"\$ev".out
  # Each record as soon as it exists: a VM that dies later still reported it.
  if [ -f /results/"\$ev".json ]; then
    echo "@@PIPELAB-RECORD \$ev.json"
    cat /results/"\$ev".json
    echo
    echo "@@PIPELAB-END"
  fi
done </cases.txt
echo "@@PIPELAB-VM-DONE"
poweroff -f
EOF
chmod +x "$root/init"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$vm/initrd.gz" || die "cannot build the initramfs"

ncases=$(wc -l <"$list")
say "booting $(basename "$kernel") with $ncases cases (deadlines x$mult)"
log=$vm/console.log
start=$(date +%s)
# 2 s per case under software emulation is generous; the VM powers off itself.
timeout "${PIPELAB_VM_TIMEOUT:-$((120 + ncases * 2 * mult))}" qemu-system-x86_64 -m 1024 -smp 2 -nographic -no-reboot \
  -kernel "$kernel" -initrd "$vm/initrd.gz" \
  -append "console=ttyS0 quiet loglevel=1 panic=-1" >"$log" 2>&1
rc=$?
tr -d '\r' <"$log" >"$log.txt"
# (the console may put escape sequences before the first line)
release=$(grep -ao '@@PIPELAB-VM-START [^ ]*' "$log.txt" | awk '{print $2; exit}')
[ -n "$release" ] || { tail -20 "$log.txt" >&2; die "the VM never started the cases (qemu exit $rc); console: $log.txt"; }
finished=1
grep -q '^@@PIPELAB-VM-DONE' "$log.txt" || {
  tail -20 "$log.txt" >&2
  say "the VM did not finish (qemu exit $rc after $(( $(date +%s) - start )) s); console: $log.txt"
  finished=0
}

results=${PIPELAB_RESULTS_DIR:-$vm/results}
PIPELAB_TARGET="vm:linux-$release" "$build/tools/pipelab-report" begin "$results" || exit 2
awk -v dir="$results" '
  /^@@PIPELAB-RECORD / { out = dir "/" $2; printf "" > out; next }
  /^@@PIPELAB-END/ { close(out); out = ""; next }
  out != "" { print >> out }' "$log.txt"
got=$(ls "$results"/*.json 2>/dev/null | grep -vc '/run\.json$')
say "$got of $ncases cases reported from the VM in $(( $(date +%s) - start )) s (kernel $release)"
# Whatever did run is still rendered.
"$build/tools/pipelab-report" render "$results" --out "${PIPELAB_REPORTS_DIR:-reports}" | tail -2
[ "$finished" -eq 1 ] && [ "$got" -eq "$ncases" ] || exit 1
# Like ./pipelab run: non-zero when any case did not pass.
! "$build/tools/pipelab-report" verdicts "$results" | awk '$2 != "PASS" && $2 != "SKIP"' | grep -q .
