"""One source of truth: report.md, index.html, junit.xml and results.json,
rendered from the same evidence, must agree on every case's verdict, every
claim's verdict (junit.xml: a "claim ID: VERDICT" line) and the totals.  usage: report_agree.py REPORT_DIR..."""
import html
import json
import re
import sys

JUNIT_TAG = {"failure": "FAIL", "skipped": "SKIP"}


def from_json(d):
    cases = {c["case"]: c["verdict"] for c in d["cases"]}
    claims = {c["id"]: c["verdict"] for c in d.get("claims", [])}
    # a case record's own claim must say what the claims list says
    for c in d["cases"]:
        if "claim" in c:
            claims.setdefault(c["claim"]["id"], c["claim"]["verdict"])
            if c["claim"]["verdict"] != claims[c["claim"]["id"]]:
                raise AssertionError(f"results.json contradicts itself on claim {c['claim']['id']}")
    totals = {k: v for k, v in d["totals"].items()}
    return cases, claims, totals


def from_md(text):
    cases = dict((m[1], m[2]) for m in re.findall(r"^#### (\S+) `([^`]+)` — (\w+)$", text, re.M))
    cases = {k: v for k, v in cases.items()}
    claims = dict(re.findall(r"^\| (\w+) \| .*? \| \*\*(\w+)\*\*", text, re.M))
    m = re.search(r"\*\*(\d+) cases?\*\*: (.*)", text)
    totals = {"cases": int(m[1])}
    for n, v in re.findall(r"(\d+) (PASS|FAIL|BROKEN|SKIP|TIMEOUT|NOT RUN)", m[2]):
        totals[v] = int(n)
    return cases, claims, totals


def from_html(text):
    cases = {html.unescape(i): v for i, v in
             re.findall(r'<div class="case \w+" id="case-([^"]+)"><h4><span class="(\w+)">', text)}
    claims = dict(re.findall(r'<tr><td>(\w+)</td><td><span class="zh">.*?<td class="claim-\w+"><b>(\w+)</b>', text))
    totals = {"cases": int(re.search(r"<span>(\d+) cases?</span>", text)[1])}
    for n, v in re.findall(r'<span(?: class="[\w ]+")?>(\d+) (PASS|FAIL|BROKEN|SKIP|TIMEOUT|NOT RUN)</span>', text):
        totals[v] = int(n)
    return cases, claims, totals


def from_junit(text):
    cases, claims = {}, {}
    for name, body in re.findall(r'<testcase [^>]*name="([^"]+)"[^>]*>(.*?)</testcase>', text, re.S):
        m = re.search(r"<(failure|error|skipped) type=\"(\w+)\"", body)
        cases[html.unescape(name)] = m[2] if m else "PASS"
        claims.update(re.findall(r"^claim (\w+): (\w+)", html.unescape(body), re.M))
    return cases, claims


bad = 0
for d in sys.argv[1:]:
    with open(f"{d}/results.json", encoding="utf-8") as f:
        jc, jcl, jt = from_json(json.load(f))
    with open(f"{d}/report.md", encoding="utf-8") as f:
        mc, mcl, mt = from_md(f.read())
    with open(f"{d}/index.html", encoding="utf-8") as f:
        hc, hcl, ht = from_html(f.read())
    with open(f"{d}/junit.xml", encoding="utf-8") as f:
        uc, ucl = from_junit(f.read())
    problems = []
    for name, got in (("report.md", mc), ("index.html", hc), ("junit.xml", uc)):
        if got != jc:
            diff = {k: (jc.get(k), got.get(k)) for k in set(jc) | set(got) if jc.get(k) != got.get(k)}
            problems.append(f"case verdicts: results.json vs {name}: {diff}")
    for name, got in (("report.md", mcl), ("index.html", hcl), ("junit.xml", ucl)):
        if got != jcl:
            problems.append(f"claim verdicts: results.json {jcl} vs {name} {got}")
    for name, got in (("report.md", mt), ("index.html", ht)):
        if got != jt:
            problems.append(f"totals: results.json {jt} vs {name} {got}")
    if problems:
        bad += 1
        print(f"FAIL {d}:\n  " + "\n  ".join(problems))
    else:
        print(f"ok   {d}: {len(jc)} case verdicts, {len(jcl)} claim verdicts and the totals agree in all four outputs")
sys.exit(1 if bad else 0)
