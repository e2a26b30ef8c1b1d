"""What a reader of a failing report is shown, on the golden evidence: each
assertion is one behaviour of the report that a student's misreading once
showed to matter.  usage: report_marks.py GOLDEN_RENDER_DIR
(GOLDEN_RENDER_DIR/NAME is the rendered report of tests/golden/NAME/input)."""
import re
import sys

root = sys.argv[1]
bad = 0


def read(name, f):
    with open(f"{root}/{name}/{f}", encoding="utf-8") as fh:
        return fh.read()


def case_md(name, case):
    """The Markdown details of one case, from its heading to the next."""
    text = read(name, "report.md")
    m = re.search(r"^#### \S+ `" + re.escape(case) + r"` .*?(?=^#### |\Z)", text, re.M | re.S)
    return m[0] if m else ""


def scenarios_md(name, case):
    """{scenario name: its step log} of one case in report.md."""
    parts = re.split(r"^\*Scenario\* ", case_md(name, case), flags=re.M)[1:]
    return {p.split(" — ")[0]: p for p in parts}


def check(ok, what):
    global bad
    print(("ok   " if ok else "FAIL ") + what)
    bad += not ok


# B1: a step is marked failing only in a scenario that has a failed check.
s = scenarios_md("student", "write/closed/full@pipe")
check(len(s) == 4, "student write/closed/full@pipe has its 4 scenarios in report.md")
check("failing step" not in s.get("write/closed/full, SIGPIPE ignored", "failing step"),
      "no failing step in the SIGPIPE-ignored scenario, whose checks all held")
check("failing step" not in s.get("write/closed/full, SIGPIPE blocked", "failing step"),
      "no failing step in the SIGPIPE-blocked scenario, whose checks all held")
check(re.search(r"✘ write\(fd \d+, 10\) = -1 EPIPE .*← the failing step", s.get("write/closed/full, SIGPIPE default", "")),
      "the default scenario marks the write that returned -1 EPIPE (the writer should have died in it)")
check(not re.search(r"✘ (signal|fcntl|fill)\(", case_md("student", "write/closed/full@pipe")),
      "no call is marked for a word inside another ('signal' in a sentence, 'write' in 'writer')")

check(re.search(r"`sleeper \(killed by SIGPIPE \(13\)\)`: .*\*\*✘ fill\(fd \d+\) = did not return: its actor ended in it, "
                r"killed by SIGPIPE \(13\) ← the failing step",
                case_md("ring", "eintr/sigkill-ends-blocked-write")),
      "the call a signal killed its actor in is marked when a failed check names that actor")

def case_html(name, case):
    """The HTML detail of one case, from its div to the next case's."""
    text = read(name, "index.html")
    m = re.search(r'<div class="case \w+" id="case-' + re.escape(case) + r'">.*?(?=<div class="case |\Z)', text, re.S)
    return m[0] if m else ""


# B3: a call that returned at once but wrongly is not drawn like one that never returned.
h = case_html("ring", "read/open/no-data@pipe")
bars = re.findall(r'<rect x="([\d.]+)" y="\d+" width="([\d.]+)" height="\d+" fill="(#\w+)"[^>]*><title>reader: read\(', h)
box = re.search(r'<rect class="failing" x="[\d.]+" y="\d+" width="([\d.]+)"[^>]*stroke-dasharray', h)
check(bars and bars[-1][2] == "#5b8def" and box and float(box[1]) >= 14,
      "the failing read that returned at once is a blue bar in a dashed red box at least 14 px wide")
check("red: never returned" in h and "dashed red box: the failing step" in h, "the legend tells the two apart")

# A4: a call its actor died in ends where the actor died, and says how.
h = case_html("ring", "eintr/sigkill-ends-blocked-write")
bar = re.search(r'<rect x="([\d.]+)" y="\d+" width="([\d.]+)" height="\d+" fill="#d32f2f"[^>]*><title>sleeper: fill\(', h)
check(bar and float(bar[1]) + float(bar[2]) < 889, "the sleeper's unfinished fill ends where the sleeper died, not at the scenario's end")
check(re.search(r'<text class="death"[^>]*>killed by SIGPIPE \(13\)<title>', h), "the point where it died is labelled \"killed by SIGPIPE (13)\"")

# B2: descriptor numbers are per process; the log says which end each is.
ring = case_md("ring", "read/open/data@pipe")
check(re.search(r"`creator \(exit 0\)`: pipe\(\) = 0 \[fd\[0\]=(\d+) fd\[1\]=(\d+)\]; \*\(its descriptor numbers are its own: "
                r"the judge and the other actors hold the read end as fd \d+, the write end as fd \d+\)\*", ring),
      "the creator's pipe() line says its numbers are its own and gives the others'")
m = re.search(r"`writer [^`]*`: close\(fd (\d+)\) = 0 \[the read end, not this actor's; it keeps fd (\d+), the write end\]; "
              r"(?:\*\*✘ )?write\(fd (\d+),", ring)
check(m and m[2] == m[3] and m[1] != m[2], "the writer's close names the end it drops and the fd it keeps, the one it writes to")

# B4: an fd only for a call made on one (openat's first argument is AT_FDCWD).
fifo = case_md("ring", "fifo/open-rdonly-blocks-until-writer")
check("asleep in openat()" in fifo and "4294967196" not in fifo and not re.search(r"\(openat\)\d", fifo),
      "a FIFO open proven asleep shows no descriptor (no AT_FDCWD as fd 4294967196, no \"(openat)0\")")

# C2: what a rule says is in the report itself (a browser shows the linked
# catalogue as plain text, without jumping to the rule).
check('<div class="rulesays">C — Writing: the notes\' write table; D — SIGPIPE and EPIPE</div>'
      in case_html("ring", "write/closed/not-full@pipe"),
      "a case in detail says what its rules say, from the catalogue's headings")

# C1: what did not pass, grouped by rule in the catalogue's order, each group
# with what its rule says and the reason its cases share; open when few.
fails = re.search(r'<h2 id="failures">.*?<h2 id="tables">', read("ring", "index.html"), re.S)[0]
keys = re.findall(r'<details class="fgroup"( open)?><summary><b>(?:<a [^>]*>)?([^<]+)', fails)
check([k for _, k in keys] == ["B", "C", "E", "L", "P", "S1", "S2"], f"the ring run's failures are grouped by rule in catalogue order: {[k for _, k in keys]}")
check(all(o for o, _ in keys), "10 cases not passing: every group is open")
e = re.search(r'<summary>.*?#rule-E.*?</summary>', fails)
check(e and "End of file and descriptor lifetime · <b>2 cases</b>" in e[0] and "all: reader&#39;s read() blocks" in e[0].replace("'", "&#39;"),
      "a group names its rule, counts its cases and gives the reason they all share")
check(fails.count('<span class="same">the reason above</span>') == 2, "the shared reason is not repeated in each row")
many = re.search(r'<h2 id="failures">.*?<h2 id="tables">', read("many", "index.html"), re.S)[0]
check('<details class="fgroup">' in many and '<details class="fgroup" open>' not in many,
      "20 cases not passing: the groups are closed, so the notes' tables stay near the top")
check("<b>4 cases</b>" in many and "<b>2 cases, all TIMEOUT</b>" in many, "a group's count says which verdicts it holds")

# B6: a step a case named in words is not written as a function call.
pas = read("pass", "report.md")
check("fpathconf(_PC_PIPE_BUF) [fd 9] = 4096" in pas, "a named step shows its descriptor in brackets: fpathconf(_PC_PIPE_BUF) [fd 9]")
glued = [n for n in ("crashed", "failures", "pass", "student")
         for t in (read(n, "report.md"),) if re.search(r"\)\((fd \d+)?\) = |\)\(fd \d+", t)]
check(not glued, f"no \"name(...)()\" or \"name(...)(fd N)\" in any step log {glued}")

sys.exit(1 if bad else 0)
