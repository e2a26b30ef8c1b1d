# Sourced by the target self-tests (emulator.sh, in_vm.sh, cross.sh): judge a
# target's run of the notes' 16 table cells.
# usage: check_table_run REPORT_TOOL RESULTS_DIR REPORTS_DIR PATTERN WHAT
#   PATTERN: an extended regex every record must match (its target or arch)
check_table_run() {
  local tool=$1 res=$2 rep=$3 pattern=$4 what=$5 bad=0
  local records passed matching procs others
  records=$(ls "$res"/*.json 2>/dev/null | grep -vc '/run\.json$')
  passed=$("$tool" verdicts "$res" | grep -c ' PASS$')
  matching=$(grep -lE "$pattern" "$res"/*.json | grep -c .)
  procs=$(grep -h '"method":' "$res"/*.json | grep -c '"proc"')
  others=$(grep -h '"method":' "$res"/*.json | grep -vc '"proc"')
  echo "$records records, $passed PASS, $matching $what; blocking proofs: $procs /proc, $others other"
  [ "$records" -eq 16 ] && [ "$passed" -eq 16 ] && [ "$matching" -eq 16 ] ||
    { echo "FAIL expected 16 passing records $what"; bad=1; }
  # The "blocks" cells, read/open/no-data and write/open/full, on both kinds.
  [ "$procs" -ge 4 ] && [ "$others" -eq 0 ] || { echo "FAIL expected /proc proofs only"; bad=1; }
  [ -f "$rep/latest/index.html" ] || { echo "FAIL no report was written for the run"; bad=1; }
  return $bad
}
