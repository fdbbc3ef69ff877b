#!/bin/bash
# A box that lies consistently (issue 6): the lie made in the counted
# session before the PV, its database made to say the same (relie), then
# `sceau pv` and `sceau seal` as usual, so that every hash, signature,
# stored copy and printed code agrees with the lie and only the
# mathematics can catch it.
#  - One published ballot plaintext changed (a vote moved to another list),
#    the results recounted from the forged file: only the decryption proofs
#    fail, and the report names the ballot. A sample containing every
#    ballot catches it too; a small sample states its detection probability.
#  - One seat moved from a list to another in results.json: only the
#    recount fails, at the seat's path.
. tests/session/lib.sh
. tests/verify/archive.sh
W=$(mktemp -d /tmp/sceau-test-XXXXXX)
trap 'rm -rf "$W"' EXIT
counted_session "$W/s" 30

# --- a forged plaintext -------------------------------------------------------
cp -r "$W/s" "$W/fs"
forged=$(/usr/bin/python3 - "$W/fs" <<'PY'
import sqlite3, sys
p = sys.argv[1] + "/ballots-decrypted.bin"
b = bytearray(open(p, "rb").read())
# v2 entries: u16 scrutin | u32 idx | S (65) | c (32) | z (32) | u8 status |
# plaintext, of the scrutin's length (as the session stores it)
db = sqlite3.connect(sys.argv[1] + "/session.db")
ptlen = dict(db.execute("SELECT scrutin, length(plaintext) FROM decrypted GROUP BY scrutin"))
off, n = 16, 0
while off < len(b):
    n += 1
    scrutin = int.from_bytes(b[off:off + 2], "big")
    status, pt = b[off + 135], off + 136
    # a valid vote for list 1 with nothing struck becomes a vote for list 2
    if status == 0 and b[pt] == 1 and b[pt + 1:pt + 3] == b"\x00\x01" and not any(b[pt + 3:pt + ptlen[scrutin]]):
        b[pt + 2] = 2
        open(p, "wb").write(b)
        print(n)
        sys.exit(0)
    off = pt + ptlen[scrutin]
sys.exit("no vote for list 1 without ratures")
PY
) || fail "no ballot to forge"
rc=$(verify "$W/f0" --session "$W/fs" --recount "$W/forged-results.json")
[ "$rc" = 1 ] || fail "forged plaintext before the results were recounted: exit $rc"
cp "$W/forged-results.json" "$W/fs/results.json"
relie "$W/fs"
seal "$W/fs" "$W/f"
rc=$(verify "$W/f1" "$W/f")
[ "$rc" = 1 ] || { cat "$W/f1.txt"; fail "forged plaintext accepted"; }
[ "$($REPORT failed "$W/f1.json")" = decrypted.proofs ] ||
	{ cat "$W/f1.txt"; fail "forged plaintext: failed $($REPORT failed "$W/f1.json"), not only the proofs"; }
has_note "$W/f1.json" decrypted.proofs "^decrypted ballot $forged (scrutin .*its content DIFFERS" ||
	{ cat "$W/f1.txt"; fail "forged ballot $forged not named"; }
grep -q "bulletin déchiffré $forged .*DIFFÈRE du contenu publié" "$W/f1.txt" || fail "French report: ballot not named"
[ "$($REPORT proofs "$W/f1.json" failed)" = 1 ] || fail "forged plaintext: not exactly one proof failed"
rc=$(verify "$W/f2" "$W/f" --sample 120 --seed 3)
[ "$rc" = 1 ] || fail "a sample of every ballot missed the forgery"
rc=$(verify "$W/f3" "$W/f" --sample 6 --seed 11)
has_note "$W/f3.json" decrypted.proofs "^if 1 ballot(s) were forged, .* probability 5.0000 %" ||
	fail "sample of 6: detection probability not stated"
has_note "$W/f3.json" decrypted.proofs "^if 2 ballot(s) were forged" ||
	fail "sample of 6: 1 % of 120 is 2 ballots"

# --- a seat moved -------------------------------------------------------------
cp -r "$W/s" "$W/ms"
path=$(/usr/bin/python3 - "$W/ms/results.json" <<'PY'
import json, sys
p = sys.argv[1]
r = json.load(open(p, encoding="utf-8"))
for i, s in enumerate(r["scrutins"]):
    if not s["seats_allocated"] or len(s["lists"]) < 2:
        continue
    for a, la in enumerate(s["lists"]):
        if la["seats"]["average"] < 1 or la["seats"]["filled"] < 1:
            continue
        b = 1 if a == 0 else 0
        lb = s["lists"][b]
        out = [c for c in lb["candidates"] if not c["elected"]]
        if not out:
            continue
        la["seats"]["average"] -= 1; la["seats"]["total"] -= 1; la["seats"]["filled"] -= 1
        lb["seats"]["average"] += 1; lb["seats"]["total"] += 1; lb["seats"]["filled"] += 1
        # who is elected follows, as the PV requires: la's last, lb's next by rank
        max((c for c in la["candidates"] if c["elected"]), key=lambda c: c["rank"])["elected"] = False
        min(out, key=lambda c: c["rank"])["elected"] = True
        with open(p, "w", encoding="utf-8") as f:
            f.write(json.dumps(r, indent=2, ensure_ascii=False) + "\n")
        print("scrutins[%d].lists[%d].seats.average" % (i, min(a, b)))
        sys.exit(0)
sys.exit("no seat won at the highest average")
PY
) || fail "no seat to move"
relie "$W/ms"
seal "$W/ms" "$W/m"
rc=$(verify "$W/m1" "$W/m")
[ "$rc" = 1 ] || { cat "$W/m1.txt"; fail "moved seat accepted"; }
[ "$($REPORT failed "$W/m1.json")" = count ] ||
	{ cat "$W/m1.txt"; fail "moved seat: failed $($REPORT failed "$W/m1.json"), not only the count"; }
has_text "$W/m1.json" count "first at $path: expected" ||
	{ cat "$W/m1.txt"; fail "moved seat: path $path not named"; }
echo "forged plaintext caught by the proofs (ballot $forged), moved seat caught at $path"
