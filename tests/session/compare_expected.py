#!/usr/bin/python3
"""Compares a results file with what the platform simulator cast
(expected.json): votants, blancs, nuls by reason, ballots per list and
ratures per candidate, for every scrutin. Exit 0 if all equal."""
import json
import sys

res = json.load(open(sys.argv[1]))
exp = json.load(open(sys.argv[2]))
bad = []
names = {"version": "bad-version", "list": "list-out-of-range",
         "strikes_beyond_list": "bits-beyond-list", "padding": "non-zero-padding"}
for e, r in zip(exp["scrutins"], res["scrutins"]):
    s = e["scrutin"]
    def check(what, want, got):
        if want != got:
            bad.append(f"scrutin {s}: {what}: expected {want}, got {got}")
    check("scrutin", s, r["scrutin"])
    check("votants", e["ballots"], r["votants"])
    check("blancs", e["blank"], r["blancs"])
    check("all-struck", e["blank_all_struck"], r["blancs_by_kind"]["all-struck"])
    check("nuls", e["nul"], r["nuls"])
    for k, v in e["nul_reasons"].items():
        check("nul " + k, v, r["nuls_by_reason"][names.get(k, k)])
    for el, rl in zip(e["lists"], r["lists"]):
        check(f"list {el['number']} ballots", el["ballots"], rl["ballots"])
        check(f"list {el['number']} ratures", el["ratures"],
              [c["ratures"] for c in rl["candidates"]])
print("\n".join(bad) if bad else "results match what was cast")
sys.exit(1 if bad else 0)
