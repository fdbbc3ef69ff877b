#!/usr/bin/python3
"""Reads a sceau-verify JSON report for the scripted tests.

  report.py failed REPORT            ids of the failed checks, space-separated
  report.py status REPORT CHECK      pass, fail, warn or skip
  report.py notes REPORT CHECK       the check's English notes, one per line
  report.py proofs REPORT KEY        a value of the "proofs" object
"""
import json
import sys


def main():
    what, path = sys.argv[1], sys.argv[2]
    with open(path, encoding="utf-8") as f:
        r = json.load(f)
    assert r["format"] == "sceau-verify-report/2"
    checks = {c["id"]: c for c in r["checks"]}
    if what == "failed":
        print(" ".join(c["id"] for c in r["checks"] if c["status"] == "fail"))
    elif what == "status":
        print(checks[sys.argv[3]]["status"])
    elif what == "notes":
        for n in checks[sys.argv[3]]["notes"]:
            print(n["en"])
    elif what == "proofs":
        v = r["proofs"][sys.argv[3]]
        print(json.dumps(v) if isinstance(v, (list, dict)) else v)
    else:
        sys.exit("unknown request " + what)


main()
