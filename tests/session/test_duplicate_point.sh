#!/bin/bash
# A ballot that reuses the point R of an earlier ballot is nul "duplicate",
# found by the count from the decrypted S (same S if and only if same R),
# and only the later one. The platform simulator makes no such urn (it
# would need a second record with the same R and another ciphertext), so
# the imported session is edited as an import of one would have stored it:
# ballot 7's R replaced by ballot 3's, its tracker recomputed.
. tests/session/lib.sh
W=$(mktemp -d /tmp/sceau-test-XXXXXX)
trap 'rm -rf "$W"' EXIT
ceremony tests/data/demo-election.json
cast "$W/p" 40
import_urn "$W/s" "$W/p" > /dev/null
scrutin=$(/usr/bin/python3 - "$W/s/session.db" <<'PY'
import hashlib, sqlite3, struct, sys
db = sqlite3.connect(sys.argv[1])
first, n, data = db.execute("SELECT first, n, data FROM ballot_chunks ORDER BY first").fetchone()
assert first == 1 and n >= 7, (first, n)
data, off, at = bytearray(data), 0, {}
for seq in range(1, n + 1):
    ln = struct.unpack(">H", data[off:off + 2])[0]
    at[seq] = (off, ln)
    off += 34 + ln
assert off == len(data)
(o3, _), (o7, l7) = at[3], at[7]
data[o7 + 34 + 2:o7 + 34 + 67] = data[o3 + 34 + 2:o3 + 34 + 67]
tag = b"sceau/tracker/v1"
rec = bytes(data[o7 + 34:o7 + 34 + l7])
data[o7 + 2:o7 + 34] = hashlib.sha256(struct.pack(">I", len(tag)) + tag +
                                       struct.pack(">I", l7) + rec).digest()
db.execute("UPDATE ballot_chunks SET data = ? WHERE first = 1", (bytes(data),))
db.commit()
print(struct.unpack(">H", rec[:2])[0])
PY
)
printf '%s\n%s\n' "${PINS[0]}" "${PINS[1]}" > "$W/pins"
count "$W/s" "$W/pins" "$W/slots/1" "$W/slots/2" > "$W/count.out" 2>&1 ||
	{ cat "$W/count.out"; fail "count failed"; }
/usr/bin/python3 - "$W/s/results.json" "$scrutin" <<'PY' || fail "duplicate not counted as it should"
import json, sys
r = json.load(open(sys.argv[1]))
dups = {s["scrutin"]: s["nuls_by_reason"]["duplicate"] for s in r["scrutins"]}
want = {s: int(s == int(sys.argv[2])) for s in dups}
assert dups == want, (dups, want)
PY
echo "duplicate point checks passed"
