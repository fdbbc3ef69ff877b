#!/bin/bash
# A whole key ceremony and count through the `nfc-sim` transport (issue 7):
# the NFC engine over the simulated reader, each holding a simulated card.
# The results must be those the platform cast, and equal, byte for byte, to
# the same urn counted through `sim`. A card hit by a radio error while its
# share is read is refused with the reason and the other two suffice; a
# card lifted off its reader during decryption pauses the count, which
# resumes with identical results. Skipped without CONFIG_CARD_NFC_SIM.
set -euo pipefail
B=${SCEAU_BUILD:?SCEAU_BUILD not set}
if ! grep -qx 'CONFIG_CARD_NFC_SIM=y' "$B/.config" 2>/dev/null; then
	echo "SKIP: $B is built without CONFIG_CARD_NFC_SIM"
	exit 0
fi
. tests/session/lib.sh
W=$(mktemp -d /tmp/sceau-test-XXXXXX)
trap 'if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; fi; rm -rf "$W"' EXIT
pid=
NFC=(--transport nfc-sim)

# The ceremony, every card reached through the simulated NFC reader.
sed -e 's/"inscrits": [0-9]*/"inscrits": 5000/' tests/data/demo-election.json > "$W/election.json"
"$B/sceau-platform" keygen --private "$W/platform-private.json" \
	--public "$W/platform-key.json" >/dev/null
for i in 1 2 3; do "$B/sceau-simcard" new "$W/slots/$i" --serial "0000030$i" >/dev/null; done
ceremony_answers "$W/answers.txt"
timeout 120 "$B/sceau" ceremony "${NFC[@]}" --definition "$W/election.json" \
	--bureau tests/data/demo-bureau.json --platform-key "$W/platform-key.json" \
	--out "$W/ceremony" --slot "$W/slots/1" --slot "$W/slots/2" --slot "$W/slots/3" \
	--script "$W/answers.txt" > "$W/ceremony.log" 2>&1 ||
	{ cat "$W/ceremony.log"; fail "ceremony through nfc-sim"; }
for i in 1 2 3; do
	"$B/sceau-simcard" show "$W/slots/$i" | grep -q '^share (DO 0103) present$' ||
		fail "card $i has no share after the ceremony"
	grep -q "Carte détectée, numéro de série 0000030$i" "$W/ceremony.log" ||
		fail "the ceremony did not read card $i's serial"
done

cast "$W/p" 900 --nul 30 --rature 80 --blank 50 --jobs 2
printf '%s\n%s\n' "${PINS[0]}" "${PINS[2]}" > "$W/pins13"

# Cards 1 and 3 through NFC, then through sim: the same bytes.
imported "$W/s-nfc" "$W/p"
count "$W/s-nfc" "$W/pins13" "$W/slots/1" "$W/slots/3" -- "${NFC[@]}" > "$W/count-nfc.log" 2>&1 ||
	{ cat "$W/count-nfc.log"; fail "count through nfc-sim"; }
grep -q "Résultats enregistrés" "$W/count-nfc.log" || fail "nfc count: no results message"
/usr/bin/python3 tests/session/compare_expected.py "$W/s-nfc/results.json" "$W/p/expected.json" ||
	fail "nfc count: results differ from what was cast"
imported "$W/s-sim" "$W/p"
count "$W/s-sim" "$W/pins13" "$W/slots/1" "$W/slots/3" -- --transport sim \
	> "$W/count-sim.log" 2>&1 || { cat "$W/count-sim.log"; fail "count through sim"; }
cmp "$W/s-nfc/results.json" "$W/s-sim/results.json" || fail "nfc and sim results differ"
cmp "$W/s-nfc/ballots-decrypted.bin" "$W/s-sim/ballots-decrypted.bin" ||
	fail "nfc and sim decrypted ballots differ"

# A radio error on card 2's 4th exchange (its VERIFY): refused and named, never resent;
# cards 1 and 3 suffice. Card 2 lost one PIN try at most (the VERIFY that
# may have reached it), never two.
imported "$W/s-rf" "$W/p"
printf '%s\n%s\n%s\n' "${PINS[1]}" "${PINS[0]}" "${PINS[2]}" > "$W/pins213"
count "$W/s-rf" "$W/pins213" "rferr=4:$W/slots/2" "$W/slots/1" "$W/slots/3" -- "${NFC[@]}" \
	> "$W/count-rf.log" 2>&1 || { cat "$W/count-rf.log"; fail "count with a radio error"; }
grep -q "slots/2 » refusée" "$W/count-rf.log" || { cat "$W/count-rf.log"; fail "card 2 not named"; }
grep -q "radio error" "$W/count-rf.log" || { cat "$W/count-rf.log"; fail "radio error: no reason"; }
cmp "$W/s-rf/results.json" "$W/s-sim/results.json" || fail "results after a radio error differ"
"$B/sceau-simcard" show "$W/slots/2" | grep -Eq '^tries left +PW1 [23],' ||
	{ "$B/sceau-simcard" show "$W/slots/2"; fail "card 2 lost more than one PIN try"; }
grep "refusée" "$W/count-rf.log"

# Card 3 lifted off its reader during decryption: paused, then resumed.
imported "$W/s-pull" "$W/p"
count "$W/s-pull" "$W/pins13" "$W/slots/1" "$W/slots/3" -- "${NFC[@]}" --jobs 1 \
	> "$W/first.out" 2>&1 &
pid=$!
pull_mid_count "$W/s-pull" "$W/slots/3" "$pid" "$W/first.out"
pid=
total=$(sql "$W/s-pull/session.db" 'SELECT coalesce(sum(n),0) FROM ballot_chunks')
done1=$(sql "$W/s-pull/session.db" 'SELECT count(*) FROM decrypted')
[ "$done1" -gt 0 ] && [ "$done1" -lt "$total" ] || fail "decrypted after the pull: $done1 of $total"
"$B/sceau-simcard" insert "$W/slots/3" > /dev/null
count "$W/s-pull" "$W/pins13" "$W/slots/1" "$W/slots/3" -- "${NFC[@]}" > "$W/second.out" 2>&1 ||
	{ cat "$W/second.out"; fail "resume through nfc-sim"; }
cmp "$W/s-pull/results.json" "$W/s-sim/results.json" || fail "resumed results differ"
cmp "$W/s-pull/ballots-decrypted.bin" "$W/s-sim/ballots-decrypted.bin" ||
	fail "resumed decrypted file differs"
echo "ok: ceremony and counts through nfc-sim equal to sim; radio error refused; paused after $done1 of $total, resumed"
