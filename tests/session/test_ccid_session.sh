#!/bin/bash
# `sceau ceremony` and `sceau count` through the CCID driver over the
# simulated reader (--transport ccid-sim), at TPDU level (T=1, small IFSC,
# S(WTX) and time extensions), at TPDU level with a T=0 card (the reader
# QEMU emulates, 61xx and GET RESPONSE) and at short APDU level: the results equal
# those of the same urn counted through `sim`. A card pulled in the middle
# of its T=1 exchanges stops the count cleanly; with the card back the count
# gives the same results. Skipped in a build without CONFIG_CARD_CCID_SIM.
. tests/session/lib.sh
if ! grep -qx 'CONFIG_CARD_CCID_SIM=y' "$B/.config" 2>/dev/null; then
	echo "SKIP: $B is built without CONFIG_CARD_CCID_SIM"
	exit 0
fi
W=$(mktemp -d /tmp/sceau-test-XXXXXX)
trap 'rm -rf "$W"' EXIT
T1="t1,ifsc=16,maxifsd=32,wtx=3,timeext=4:"

# The ceremony, every card behind a simulated TPDU-level reader.
"$B/sceau-platform" keygen --private "$W/platform-private.json" \
	--public "$W/platform-key.json" >/dev/null
for i in 1 2 3; do "$B/sceau-simcard" new "$W/slots/$i" --serial "0000030$i" >/dev/null; done
ceremony_answers "$W/answers.txt"
timeout 300 "$B/sceau" ceremony --transport ccid-sim --definition tests/data/demo-election.json \
	--bureau tests/data/demo-bureau.json --platform-key "$W/platform-key.json" \
	--out "$W/ceremony" --slot "$T1$W/slots/1" --slot "$T1$W/slots/2" \
	--slot "t0:$W/slots/3" --script "$W/answers.txt" > "$W/ceremony.log" 2>&1 ||
	{ cat "$W/ceremony.log"; fail "ceremony through ccid-sim"; }
for i in 1 2 3; do
	"$B/sceau-simcard" show "$W/slots/$i" | grep -q '^share (DO 0103) present$' ||
		fail "card $i has no share after the ceremony"
done

cast "$W/p" 60 --nul 10 --rature 30 --blank 20
printf '%s\n%s\n' "${PINS[0]}" "${PINS[2]}" > "$W/pins13"
ccount() { # SESSION SLOT1 SLOT3
	timeout 300 "$B/sceau" count --transport ccid-sim --session "$1" \
		--script "$W/pins13" --wait-seconds 2 --slot "$2" --slot "$3"
}

imported "$W/s-t1" "$W/p"
ccount "$W/s-t1" "$T1$W/slots/1" "$T1$W/slots/3" > "$W/count-t1.log" 2>&1 ||
	{ cat "$W/count-t1.log"; fail "count through ccid-sim t1"; }
/usr/bin/python3 tests/session/compare_expected.py "$W/s-t1/results.json" "$W/p/expected.json" ||
	fail "t1 count: results differ from what was cast"

imported "$W/s-apdu" "$W/p"
ccount "$W/s-apdu" "apdu:$W/slots/1" "apdu:$W/slots/3" > "$W/count-apdu.log" 2>&1 ||
	{ cat "$W/count-apdu.log"; fail "count through ccid-sim apdu"; }

imported "$W/s-t0" "$W/p"
ccount "$W/s-t0" "t0:$W/slots/1" "t0:$W/slots/3" > "$W/count-t0.log" 2>&1 ||
	{ cat "$W/count-t0.log"; fail "count through ccid-sim t0"; }

imported "$W/s-sim" "$W/p"
count "$W/s-sim" "$W/pins13" "$W/slots/1" "$W/slots/3" -- --transport sim \
	> "$W/count-sim.log" 2>&1 || { cat "$W/count-sim.log"; fail "count through sim"; }
for s in t1 t0 apdu; do
	cmp "$W/s-$s/results.json" "$W/s-sim/results.json" || fail "$s and sim results differ"
	cmp "$W/s-$s/ballots-decrypted.bin" "$W/s-sim/ballots-decrypted.bin" ||
		fail "$s and sim decrypted ballots differ"
done

# Card 3 pulled at its 3rd APDU, in the middle of being read.
imported "$W/s-pull" "$W/p"
echo 3 > "$W/slots/3/pull-at"
if ccount "$W/s-pull" "$T1$W/slots/1" "$T1$W/slots/3" > "$W/count-pull.log" 2>&1; then
	fail "count went on with card 3 pulled"
fi
[ ! -e "$W/s-pull/results.json" ] || fail "results written without card 3"
[ -e "$W/slots/3/card.pulled.json" ] || fail "card 3 was not pulled"
rm "$W/slots/3/pull-at"
mv "$W/slots/3/card.pulled.json" "$W/slots/3/card.json"
ccount "$W/s-pull" "$T1$W/slots/1" "$T1$W/slots/3" > "$W/count-pull2.log" 2>&1 ||
	{ cat "$W/count-pull2.log"; fail "count after the card came back"; }
cmp "$W/s-pull/results.json" "$W/s-sim/results.json" || fail "results after the pull differ"
echo "ceremony and counts through ccid-sim (t1, t0, apdu) equal to sim; pull handled"
