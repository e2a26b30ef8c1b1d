#!/usr/bin/env bash
# Self-test: every case executable carries the pipe-API interposer and
# exports its names (harness/interpose.list), so an implementation loaded in
# an actor is what the cases call.  usage: interposer_linked.sh BUILD_DIR
set -u
build=$(cd "$1" && pwd)
names="read readv write writev pipe pipe2 open open64 openat close mkfifo mknod dup dup2 dup3 fcntl ioctl
  poll ppoll select pselect epoll_create1 epoll_ctl epoll_wait epoll_pwait lseek fstat splice tee vmsplice
  pread pwrite fpathconf"
bad=0 n=0
for exe in $(find "$build/cases" -maxdepth 1 -type f -perm -u+x); do
  n=$((n + 1))
  exported=$(nm -D --defined-only "$exe" | awk '$2 == "T" {print $3}')
  for name in $names; do
    grep -qx "$name" <<<"$exported" || { echo "FAIL: $(basename "$exe") does not export $name"; bad=1; }
  done
done
[ $n -gt 0 ] || { echo "FAIL: no case executable under $build/cases"; exit 1; }
[ $bad = 0 ] && echo "ok: $n case executables export the $(echo $names | wc -w) interposed names"
exit $bad
