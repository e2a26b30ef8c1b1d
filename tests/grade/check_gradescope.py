"""Validates Gradescope results.json files against the documented schema
(docs/grading.md): {"score", "tests": [{"name", "score", "max_score",
"status": "passed"|"failed", "output"}], "output"}.  Prints one line per bad
file; exit 1 if any.  usage: check_gradescope.py FILE..."""
import json
import sys

bad = 0
for path in sys.argv[1:]:
    try:
        with open(path, encoding="utf-8") as f:
            d = json.load(f)
        assert isinstance(d, dict), "not an object"
        assert isinstance(d.get("score"), (int, float)), "score is not a number"
        assert isinstance(d.get("output"), str), "output is not a string"
        tests = d.get("tests")
        assert isinstance(tests, list), "tests is not a list"
        total = 0
        for t in tests:
            assert set(t) >= {"name", "score", "max_score", "status", "output"}, f"test lacks fields: {t}"
            assert isinstance(t["name"], str) and t["name"], "test name"
            assert isinstance(t["score"], (int, float)) and isinstance(t["max_score"], (int, float)), "test scores"
            assert t["status"] in ("passed", "failed"), f"status {t['status']!r}"
            assert 0 <= t["score"] <= t["max_score"], f"score out of range in {t['name']}"
            assert (t["status"] == "passed") == (t["score"] == t["max_score"] and t["max_score"] > 0), \
                f"status disagrees with the score in {t['name']}"
            total += t["score"]
        assert abs(total - d["score"]) < 1e-9, f"score {d['score']} is not the sum of the tests' {total}"
    except (OSError, ValueError, AssertionError) as e:
        print(f"FAIL {path}: {e}")
        bad += 1
sys.exit(1 if bad else 0)
