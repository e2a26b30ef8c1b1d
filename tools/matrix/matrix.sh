#!/usr/bin/env bash
# ./pipelab matrix [TARGET...]: every case on many targets, one report.
# usage: tools/matrix/matrix.sh SOURCE_DIR [TARGET...]
#   TARGETS: glibc musl valgrind qemu-x86_64 aarch64 vm-SERIES (a series of
#   tools/vm/kernels.txt), preload=LIB (this build with an interposed
#   library, column preload-<name>); default: all but vm-latest,
#   vm-backports and preload.
# The default build (SOURCE_DIR/build) must exist. A target whose tools are
# missing, whose build fails or whose run gives no record is a column "did
# not run" with the reason (its apt-get line, the build's first error), and
# the matrix exits 1.
# Builds come first, one at a time; then two targets run at a time, each
# with its own results and reports dir under reports/matrix-<id>/targets/.
# The first column (glibc when present) is the reference; disagreements are
# explained by tools/matrix/explained.txt (PIPELAB_MATRIX_EXPLAINED).
# Exit: 0 every disagreement explained, 1 one is not (or a target did not
#   run, or stopped early), 2 usage error or no target could run, 130/143
#   interrupted.
set -u
src=$(cd "$1" && pwd)
shift
build=$src/build
say() { printf 'pipelab-matrix: %s\n' "$*" >&2; }
all=(glibc musl valgrind qemu-x86_64 aarch64 vm-5.10 vm-6.1 vm-6.12 vm-7)
series() { awk '!/^#/ && NF == 3 {print $1}' "$src/tools/vm/kernels.txt"; }
targets=()
declare -A lib_of # preload column -> its library
[ $# -gt 0 ] || set -- "${all[@]}"
for t in "$@"; do
  case "$t" in
    preload=*)
      lib=${t#preload=}
      [ -f "$lib" ] && [ -r "$lib" ] || { say "cannot read the library in '$t'"; exit 2; }
      name=$(basename "$lib")
      t=preload-${name%%.so*}
      lib_of[$t]=$(cd "$(dirname "$lib")" && pwd)/$name ;;
  esac
  targets+=("$t")
done
for t in "${targets[@]}"; do
  case "$t" in
    glibc | musl | valgrind | qemu-x86_64 | aarch64 | preload-*) ;;
    vm-*) series | grep -qxF -- "${t#vm-}" || { say "unknown kernel series in '$t'; available: $(series | sed 's/^/vm-/' | paste -sd' ')"; exit 2; } ;;
    *) say "unknown target '$t'; available: ${all[*]} vm-latest vm-backports"; exit 2 ;;
  esac
done
[ -x "$build/tools/pipelab-report" ] || { say "build the default preset first (./pipelab run does)"; exit 2; }
explained=${PIPELAB_MATRIX_EXPLAINED:-$src/tools/matrix/explained.txt}
# A malformed explanation is refused before any target runs (the report
# tool prints the file and line).
"$build/tools/pipelab-report" matrix --explained "$explained" --check || exit 2

id=$(date -u +%Y%m%d-%H%M%S)-$$
out=${PIPELAB_REPORTS_DIR:-$src/reports}/matrix-$id
mkdir -p "$out/targets" || { say "cannot create $out"; exit 2; }
note=$out/note.txt
: >"$note"
started=$(date +%s)

# --- what each target needs ---------------------------------------------
have() { command -v "$1" >/dev/null; }
missing() { # target -> the apt-get line, or nothing when it can run
  case "$1" in
    glibc | preload-*) ;;
    musl) have musl-gcc && have dpkg-source || echo "apt-get install -y musl-tools dpkg-dev" ;;
    valgrind) have valgrind || echo "apt-get install -y valgrind" ;;
    qemu-x86_64) have qemu-x86_64 || echo "apt-get install -y qemu-user" ;;
    aarch64)
      have aarch64-linux-gnu-gcc && have qemu-aarch64 && [ -e /usr/lib/aarch64-linux-gnu/libcjson.so ] ||
        echo "dpkg --add-architecture arm64 && apt-get update && apt-get install -y gcc-aarch64-linux-gnu libcjson-dev:arm64 qemu-user" ;;
    vm-*)
      have qemu-system-x86_64 && have cpio && have busybox && ! ldd "$(command -v busybox)" >/dev/null 2>&1 ||
        echo "apt-get install -y qemu-system-x86 busybox-static cpio" ;;
  esac
}

# --- builds and downloads, one at a time (they take both cores) -----------
prepare() { # target -> 0 ready
  local t=$1 log=$out/targets/$1/prepare.log
  case "$t" in
    glibc | qemu-x86_64 | preload-*) return 0 ;;
    musl)
      (. "$src/tools/cli/musl.sh" && musl_deps "$src" && cd "$src" && cmake --preset musl &&
        nice -n 10 cmake --build --preset musl) >"$log" 2>&1 ;;
    valgrind) (cd "$src" && cmake --preset valgrind && nice -n 10 cmake --build --preset valgrind) >"$log" 2>&1 ;;
    aarch64) (cd "$src" && cmake --preset aarch64 && nice -n 10 cmake --build --preset aarch64) >"$log" 2>&1 ;;
    vm-*) "$src/tools/vm/kernel.sh" "$build/vm" "${t#vm-}" >"$out/targets/$t/kernel" 2>"$log" ;;
  esac
}

# --- one target's run, in its own process group ----------------------------
run_target() { # target
  local t=$1 lib=${2:-} dir=$out/targets/$1
  export PIPELAB_RESULTS_DIR=$dir/results PIPELAB_REPORTS_DIR=$dir/reports
  unset PIPELAB_EMULATOR PIPELAB_TARGET
  case "$t" in
    glibc) ctest --test-dir "$build/cases" -L cases -j2 ;;
    preload-*) PIPELAB_PRELOAD=$lib PIPELAB_TARGET=$t ctest --test-dir "$build/cases" -L cases -j2 ;;
    musl) ctest --test-dir "$src/build-musl/cases" -L cases -j2 ;;
    valgrind) ctest --test-dir "$src/build-valgrind/cases" -L cases -j2 ;;
    qemu-x86_64) PIPELAB_EMULATOR=qemu-x86_64 ctest --test-dir "$build/cases" -L cases -j2 ;;
    aarch64) ctest --test-dir "$src/build-aarch64/cases" -L cases -j2 ;;
    vm-*) PIPELAB_VM_NICE=10 "$src/tools/vm.sh" "$build" "$(cat "$dir/kernel")" ;;
  esac
}

ready=()
declare -A broken # target -> why it did not run
for t in "${targets[@]}"; do
  mkdir -p "$out/targets/$t"
  line=$(missing "$t")
  if [ -n "$line" ]; then
    broken[$t]="missing tools; install with: $line"
    say "$t: not run: ${broken[$t]}"
    continue
  fi
  if ! prepare "$t"; then
    # the build's first error says more than make's closing lines
    first=$(grep -m1 -E 'error|failed|cannot' "$out/targets/$t/prepare.log" || tail -1 "$out/targets/$t/prepare.log")
    broken[$t]="preparing it failed: ${first:0:300} (log: targets/$t/prepare.log)"
    say "$t: not run: ${broken[$t]}"
    continue
  fi
  ready+=("$t")
done
[ ${#ready[@]} -gt 0 ] || { say "no target can run (above)"; rm -rf "$out"; exit 2; }
prepared=$(date +%s)

# Two at a time; each in its own session (setsid), so that an interrupt
# stops a whole target (ctest and its cases, or the VM tool, which stops qemu).
declare -A pid_of t0_of wall_of rc_of
running=()
interrupted=""
stop_all() {
  interrupted=$1
  for p in "${running[@]}"; do kill -TERM -- "-$p" 2>/dev/null; done
}
trap 'stop_all 130' INT
trap 'stop_all 143' TERM
reap() { # wait for one of the running targets to end
  local p t rc keep=()
  wait -n "${running[@]}" 2>/dev/null
  for p in "${running[@]}"; do
    if kill -0 "$p" 2>/dev/null; then keep+=("$p"); continue; fi
    wait "$p"
    rc=$?
    for t in "${!pid_of[@]}"; do
      [ "${pid_of[$t]}" = "$p" ] || continue
      rc_of[$t]=$rc
      wall_of[$t]=$(($(date +%s) - t0_of[$t]))
      say "$t: done in ${wall_of[$t]} s"
    done
  done
  running=("${keep[@]}")
}
# Longest first (valgrind, then the VMs), so that the short targets fill the
# other slot; the report keeps the order the targets were asked in.
weight() { case "$1" in valgrind) echo 0 ;; vm-*) echo 1 ;; aarch64 | qemu-*) echo 2 ;; *) echo 3 ;; esac; }
mapfile -t queue < <(for t in "${ready[@]}"; do printf '%s %s\n' "$(weight "$t")" "$t"; done | sort -s -k1,1n | cut -d' ' -f2)
for t in "${queue[@]}"; do
  while [ ${#running[@]} -ge 2 ] && [ -z "$interrupted" ]; do reap; done
  [ -n "$interrupted" ] && break
  say "$t: running"
  # A target that dies before its first record is still a column (NOT RUN).
  mkdir -p "$out/targets/$t/results"
  t0_of[$t]=$(date +%s)
  setsid bash -c "$(declare -f run_target); out=$(printf %q "$out") src=$(printf %q "$src") build=$(printf %q "$build")
    run_target $(printf %q "$t") $(printf %q "${lib_of[$t]:-}")" \
    >"$out/targets/$t/run.log" 2>&1 </dev/null &
  pid_of[$t]=$!
  running+=($!)
done
while [ ${#running[@]} -gt 0 ]; do
  reap
  [ -n "$interrupted" ] && { for p in "${running[@]}"; do kill -TERM -- "-$p" 2>/dev/null; done; }
done
# Let the process groups of stopped targets finish dying (bounded).
for p in "${pid_of[@]}"; do
  for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 -- "-$p" 2>/dev/null || break; sleep 0.2; done
  kill -KILL -- "-$p" 2>/dev/null
done

# --- the report --------------------------------------------------------------
# Each target a column, in the order asked: its rendered report when there
# is one (a run that stopped early has its unfinished cases NOT RUN there),
# else its records; a target that gave no record at all did not run.
cols=()
records() { ls "$1"/*.json 2>/dev/null | grep -vc '/run\.json$'; }
for t in "${targets[@]}"; do
  dir=$out/targets/$t
  if [ -z "${broken[$t]:-}" ] && [ -z "${wall_of[$t]:-}" ]; then
    broken[$t]="not run: the matrix was interrupted"
  elif [ -z "${broken[$t]:-}" ] && [ "$(records "$dir/results")" -eq 0 ]; then
    last=$(grep -a 'pipelab' "$dir/run.log" | tail -1)
    broken[$t]="its run gave no record (exit ${rc_of[$t]}): ${last:0:300} (log: targets/$t/run.log)"
  fi
  if [ -n "${broken[$t]:-}" ]; then
    cols+=(--broken "$t=${broken[$t]}")
    continue
  fi
  rep=$(ls -d "$dir"/reports/*/ 2>/dev/null | grep -v '/latest/$' | tail -1)
  if [ -n "$rep" ] && [ -f "$rep/results.json" ]; then cols+=("$t=${rep%/}"); else cols+=("$t=$dir/results"); fi
done
{
  echo "prepare (builds, downloads): $((prepared - started)) s"
  for t in "${targets[@]}"; do
    if [ -n "${wall_of[$t]:-}" ]; then
      echo "$t: ${wall_of[$t]} s wall, exit ${rc_of[$t]}"
    else
      echo "$t: ${broken[$t]}"
    fi
  done
  echo "total: $(($(date +%s) - started)) s"
} >>"$note"
"$build/tools/pipelab-report" matrix --out "$out" --explained "$explained" --note "$note" "${cols[@]}"
rc=$?
sed 's/^/  /' "$note" >&2
say "report: $out/matrix.html (and matrix.md)"
[ -n "$interrupted" ] && exit "$interrupted"
exit $rc
