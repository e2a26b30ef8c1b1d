# Sourced by the matrix and compare self-tests: evidence records made up
# for the renderers, with only the fields they read.
# usage: rec DIR CASE-ID VERDICT REASON [MEASURED-JSON] [SYSTEM-JSON]
rec() {
  local dir=$1 id=$2 verdict=$3 reason=$4 measured=${5:-'{}'}
  local system=${6:-'{"kernel":"Linux","release":"6.1.0-test","arch":"x86_64","libc":"glibc","libc_version":"2.36","target":"native"}'}
  mkdir -p "$dir"
  printf '{"schema":1,"case":"%s","verdict":"%s","reason":"%s","observed":"%s","measured":%s,"system":%s}\n' \
    "$id" "$verdict" "$reason" "$reason" "$measured" "$system" >"$dir/$(tr '/@' '__' <<<"$id").json"
}
# A run of N rules on both kinds, every case PASS: base DIR
base() {
  local r
  for r in read/open/data write/open/full splicex/dev-zero-into-pipe fd/espipe-and-wrong-end-ebadf; do
    rec "$1" "$r@pipe" PASS "ok"
    rec "$1" "$r@fifo" PASS "ok"
  done
}
