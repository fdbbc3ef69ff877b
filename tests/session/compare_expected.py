#!/usr/bin/python3
"""Compares a results file with what the platform simulator cast
(expected.json, same field names): votants, blancs by kind, nuls by
reason, SVE, ballots per list and ratures per candidate, every scrutin.
Exit 0 if all equal."""
import json
import sys

res = json.load(open(sys.argv[1]))
exp = json.load(open(sys.argv[2]))
bad = []
if len(res["scrutins"]) != len(exp["scrutins"]):
    bad.append("not the same number of scrutins")
for e, r in zip(exp["scrutins"], res["scrutins"]):
    s = e["scrutin"]
    for key in ("scrutin", "inscrits", "votants", "blancs", "blancs_by_kind", "nuls",
                "nuls_by_reason", "sve"):
        if e[key] != r[key]:
            bad.append(f"scrutin {s}: {key}: expected {e[key]}, got {r[key]}")
    for el, rl in zip(e["lists"], r["lists"]):
        got = [c["ratures"] for c in rl["candidates"]]
        if (el["number"], el["ballots"], el["ratures"]) != (rl["number"], rl["ballots"], got):
            bad.append(f"scrutin {s} list {el['number']}: expected {el['ballots']} "
                       f"{el['ratures']}, got {rl['ballots']} {got}")
print("\n".join(bad) if bad else "results match what was cast")
sys.exit(1 if bad else 0)
