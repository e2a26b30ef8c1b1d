#!/usr/bin/env bash
# Self-test: every proof method is as strong as /proc.
#   1. the whole case suite passes with the interrupt probe forced
#      (PIPELAB_BLOCK_PROOF=probe), every proof recorded as method "probe";
#   2. the same when /proc/PID/syscall cannot be opened (simulated with the
#      test-only switch PIPELAB_TEST_PROC_SYSCALL=eacces): the probe takes
#      over per proof, and each case record lists those proofs (probe_proofs);
#   3. a read that returns 0 at once on an empty pipe with a writer
#      (faults/read_empty_gives_eof.so) turns read/open/no-data@pipe red in
#      well under the 2 s deadline, with the student's message.
# usage: proof_methods.sh BUILD_DIR
set -u
build=$(cd "$1" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/pipelab-proofs-XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT; trap 'exit 143' TERM
bad=0
fail() { echo "FAIL $*"; bad=$((bad + 1)); }

suite() { # NAME ENV...: the case suite under these settings, all must pass
  local name=$1; shift
  env "$@" PIPELAB_RESULTS_DIR="$work/$name" PIPELAB_REPORTS_DIR="$work/reports" \
    ctest --test-dir "$build/cases" -j2 -L cases >"$work/$name.log" 2>&1
  "$build/tools/pipelab-report" verdicts "$work/$name" >"$work/$name.verdicts"
  local n not
  n=$(wc -l <"$work/$name.verdicts")
  not=$(awk '$2 != "PASS"' "$work/$name.verdicts")
  [ "$n" -ge 2 ] || { fail "$name: only $n records; the suite did not run"; return; }
  [ -z "$not" ] || { fail "$name: cases not PASS:"; echo "$not" | sed 's/^/  /'; return; }
  # Every proof of blocking rests on the probe, and each case lists them.
  python3 - "$work/$name" <<'PY' || fail "$name: proof records"
import glob, json, sys
d = sys.argv[1]
proofs = listed = 0
for f in glob.glob(d + "/*.json"):
    r = json.load(open(f))
    if "case" not in r:
        continue
    for s in r.get("scenarios", []):
        for b in s.get("blocking", []):
            proofs += 1
            if b.get("method") != "probe":
                sys.exit(f"{r['case']}: a proof by {b.get('method')}, not the probe")
    listed += len(r.get("probe_proofs", []))
    for p in r.get("probe_proofs", []):
        if not p.get("why"):
            sys.exit(f"{r['case']}: probe proof without its reason")
if proofs == 0 or listed != proofs:
    sys.exit(f"{proofs} proofs, {listed} listed in probe_proofs")
print(f"ok   {d.rsplit('/', 1)[1]}: {proofs} proofs, all by the probe and listed")
PY
  echo "ok   $name: $n cases PASS"
}

suite probe PIPELAB_BLOCK_PROOF=probe
suite eacces PIPELAB_TEST_PROC_SYSCALL=eacces

# The fast wrong return: diagnosed at once, in words.
PIPELAB_PRELOAD=$build/faults/read_empty_gives_eof.so PIPELAB_RESULTS_DIR="$work/fast" \
  PIPELAB_REPORTS_DIR="$work/reports" ctest --test-dir "$build/cases" -R '^read/open/no-data@pipe$' \
  >"$work/fast.log" 2>&1
python3 - "$work/fast" "${PIPELAB_TIMEOUT_MULT:-1}" <<'PY' || fail "fast wrong return"
import glob, json, sys
want = "read() returned 0 at once; it should have blocked: the pipe was empty and a writer still had it open"
recs = [json.load(open(f)) for f in glob.glob(sys.argv[1] + "/*.json")]
recs = [r for r in recs if r.get("case") == "read/open/no-data@pipe"]
if not recs:
    sys.exit("no record of read/open/no-data@pipe")
r = recs[0]
if r["verdict"] != "FAIL" or want not in r.get("reason", ""):
    sys.exit(f"verdict {r['verdict']}: {r.get('reason')}")
limit = 200 * max(1.0, float(sys.argv[2]))
if r["duration_ms"] >= limit:
    sys.exit(f"diagnosed after {r['duration_ms']:.0f} ms (limit {limit:.0f} ms)")
where = [k.get("where") for k in r["checks"] if not k["ok"]]
if not where or not where[0].startswith("cases/"):
    sys.exit(f"the failed check does not say where it was made: {where}")
print(f"ok   fast wrong return: FAIL in {r['duration_ms']:.1f} ms at {where[0]}: {want}")
PY
[ "$bad" -eq 0 ]
