#!/bin/bash
# sceau count and recount (issue 4): two cards decrypt, the results match
# what the platform cast, one card alone or the same card twice is refused,
# a bad third card is named and the two good ones suffice, the output does
# not depend on --jobs (the same shuffled lists decrypted), and the recount,
# which takes the session's shuffle files and checks their proofs, is
# byte-identical.
. tests/session/lib.sh
W=$(mktemp -d /tmp/sceau-test-XXXXXX)
trap 'rm -rf "$W"' EXIT
ceremony tests/data/demo-election.json
cast "$W/p" 120 --nul 30 --rature 80 --blank 50
printf '%s\n%s\n' "${PINS[0]}" "${PINS[2]}" > "$W/pins13"
printf '%s\n' "${PINS[0]}" > "$W/pins1"
phase() { sql "$1/session.db" "SELECT value FROM meta WHERE key='phase'"; }

# one card is not enough; nothing is decrypted
import_urn "$W/s1" "$W/p" > /dev/null
# s2: the same imported session (the same shuffles), counted with --jobs 1
cp -a "$W/s1" "$W/s2"
if count "$W/s1" "$W/pins1" "$W/slots/1" > "$W/one.out" 2>&1; then fail "one card accepted"; fi
grep -q "Il faut 2 cartes valides présentes ensemble" "$W/one.out" || { cat "$W/one.out"; fail "one card: message"; }
[ "$(sql "$W/s1/session.db" 'SELECT count(*) FROM decrypted')" = 0 ] || fail "one card decrypted something"

# the same card twice
printf '%s\n%s\n' "${PINS[0]}" "${PINS[0]}" > "$W/pins11"
if count "$W/s1" "$W/pins11" "$W/slots/1" "$W/slots/1" > "$W/twice.out" 2>&1; then
	fail "the same card twice accepted"
fi
grep -q "contient une carte déjà lue" "$W/twice.out" || { cat "$W/twice.out"; fail "same card: message"; }

# cards 1 and 3 count; results match what was cast
count "$W/s1" "$W/pins13" "$W/slots/1" "$W/slots/3" -- --jobs 2 > "$W/count.out" 2>&1 ||
	{ cat "$W/count.out"; fail "count failed"; }
[ "$(phase "$W/s1")" = counted ] || fail "phase after count: $(phase "$W/s1")"
/usr/bin/python3 tests/session/compare_expected.py "$W/s1/results.json" "$W/p/expected.json" ||
	fail "results differ from what was cast"
grep -q "Résultats enregistrés" "$W/count.out" || fail "no results message"
if count "$W/s1" "$W/pins13" "$W/slots/1" "$W/slots/3" > "$W/again.out" 2>&1; then
	fail "a counted session was counted again"
fi

# a third card whose share was edited: named, and the two others suffice
cp -r "$W/slots/2" "$W/slot2-edited"
/usr/bin/python3 - "$W/slot2-edited/card.json" <<'PY'
import hashlib, json, sys
p = sys.argv[1]; c = json.load(open(p))
b = bytearray.fromhex(c["dos"]["0103"]); b[71] ^= 1
b[72:104] = hashlib.sha256(bytes(b[:72])).digest(); c["dos"]["0103"] = b.hex()
json.dump(c, open(p, "w"))
PY
printf '%s\n%s\n%s\n' "${PINS[1]}" "${PINS[0]}" "${PINS[2]}" > "$W/pins213"
count "$W/s2" "$W/pins213" "$W/slot2-edited" "$W/slots/1" "$W/slots/3" -- --jobs 1 \
	> "$W/bad.out" 2>&1 || { cat "$W/bad.out"; fail "two good cards did not suffice"; }
grep -q "slot2-edited » refusée" "$W/bad.out" || { cat "$W/bad.out"; fail "bad card not named"; }
grep -q "sa part ne correspond pas aux engagements publics" "$W/bad.out" ||
	fail "bad card: reason not given"

# the journal says how many worker threads really decrypted
for x in "s1 2" "s2 1"; do
	set -- $x
	d=$(sqlite3 "$W/$1/session.db" "SELECT detail FROM journal WHERE event = 'decrypt.done'")
	[[ "$d" == *" threads=$2" ]] || fail "$1: decrypt.done says '$d', not threads=$2"
done
# --jobs 1 and --jobs 2 give the same bytes
cmp "$W/s1/results.json" "$W/s2/results.json" || fail "results depend on --jobs"
cmp "$W/s1/ballots-decrypted.bin" "$W/s2/ballots-decrypted.bin" || fail "decrypted file depends on --jobs"

# the recount from the archived inputs reproduces both files exactly
"$B/sceau" recount --session "$W/s1" --slot "$W/slots/2" --slot "$W/slots/3" \
	--script <(printf '%s\n%s\n' "${PINS[1]}" "${PINS[2]}") > "$W/recount.out" 2>&1 ||
	{ cat "$W/recount.out"; fail "recount failed"; }
grep -q "reproduit exactement" "$W/recount.out" || fail "recount: no verdict"
echo "all count checks passed"
