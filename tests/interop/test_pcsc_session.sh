#!/bin/bash
# A whole key ceremony and a count through the `pcsc` transport (issue 7):
# three simulated cards in three vpcd readers of pcscd (set up as in
# test_pcsc_gpg.sh), `sceau ceremony` and `sceau count` with
# --transport pcsc naming the readers. The results must be those the
# platform cast, and equal, byte for byte, to the same urn counted through
# the `sim` transport. Skipped, with a message, in a build without
# CONFIG_CARD_PCSC; fails if pcscd cannot run.
set -euo pipefail
B=${SCEAU_BUILD:?SCEAU_BUILD not set}
if ! grep -qx 'CONFIG_CARD_PCSC=y' "$B/.config" 2>/dev/null; then
	echo "SKIP: $B is built without CONFIG_CARD_PCSC"
	exit 0
fi
SCEAU_PCSC_SETUP_ONLY=1
. tests/interop/test_pcsc_gpg.sh
. tests/support/ceremony.sh
R=("Virtual PCD 00 00" "Virtual PCD B 00 00" "Virtual PCD C 00 00")

for i in 1 2 3; do "$B/sceau-simcard" new "$W/slots/$i" --serial "0000020$i" >/dev/null; done
pcsc_start "$W/slots/1" "$W/slots/2" "$W/slots/3"
pcsc_wait 3
for r in "${R[@]}"; do
	opensc-tool -l | grep -q "  Yes  .*$r\$" || { opensc-tool -l; fail "no card in $r"; }
done

# The ceremony, every card reached through pcscd.
"$B/sceau-platform" keygen --private "$W/platform-private.json" \
	--public "$W/platform-key.json" >/dev/null
ceremony_answers "$W/answers.txt"
timeout 120 "$B/sceau" ceremony --transport pcsc --definition tests/data/demo-election.json \
	--bureau tests/data/demo-bureau.json --platform-key "$W/platform-key.json" \
	--out "$W/ceremony" --slot "${R[0]}" --slot "${R[1]}" --slot "${R[2]}" \
	--script "$W/answers.txt" > "$W/ceremony.log" 2>&1 ||
	{ cat "$W/ceremony.log"; fail "ceremony through pcsc"; }
for i in 1 2 3; do
	"$B/sceau-simcard" show "$W/slots/$i" | grep -q '^share (DO 0103) present$' ||
		fail "card $i has no share after the ceremony"
	"$B/sceau-simcard" show "$W/slots/$i" | grep -q '^signing key     ECDSA P-256$' ||
		fail "card $i has no signing key after the ceremony"
done
for i in 1 2 3; do
	grep -q "Carte détectée, numéro de série 0000020$i" "$W/ceremony.log" ||
		fail "the ceremony did not read card $i's serial"
done

# One urn, cast by the platform simulator.
"$B/sceau-platform" cast --record "$W/ceremony/record.json" \
	--definition "$W/ceremony/election.json" --private "$W/platform-private.json" \
	--out "$W/p" --ballots 60 --nul 10 --rature 30 --blank 20 > "$W/cast.log"
import_urn() {
	timeout 120 "$B/sceau" import --session "$1" --record "$W/ceremony/record.json" \
		--definition "$W/ceremony/election.json" --urn "$W/p/urn.iso" \
		--emargement "$W/p/emargement.iso" > /dev/null
}
printf '%s\n%s\n' "${PINS[0]}" "${PINS[2]}" > "$W/pins13"

# Counted with cards 1 and 3 through pcscd... (both sessions are copies of
# one import: every import shuffles anew, and the files are compared byte
# for byte)
import_urn "$W/s-pcsc"
cp -a "$W/s-pcsc" "$W/s-sim"
timeout 120 "$B/sceau" count --transport pcsc --session "$W/s-pcsc" --script "$W/pins13" \
	--wait-seconds 5 --slot "${R[0]}" --slot "${R[2]}" > "$W/count-pcsc.log" 2>&1 ||
	{ cat "$W/count-pcsc.log"; fail "count through pcsc"; }
grep -q "Résultats enregistrés" "$W/count-pcsc.log" || fail "pcsc count: no results message"
/usr/bin/python3 tests/session/compare_expected.py "$W/s-pcsc/results.json" "$W/p/expected.json" ||
	fail "pcsc count: results differ from what was cast"

# ...and through the sim transport, straight from the slot directories.
timeout 120 "$B/sceau" count --transport sim --session "$W/s-sim" --script "$W/pins13" \
	--wait-seconds 5 --slot "$W/slots/1" --slot "$W/slots/3" > "$W/count-sim.log" 2>&1 ||
	{ cat "$W/count-sim.log"; fail "count through sim"; }
cmp "$W/s-pcsc/results.json" "$W/s-sim/results.json" || fail "pcsc and sim results differ"
cmp "$W/s-pcsc/ballots-decrypted.bin" "$W/s-sim/ballots-decrypted.bin" ||
	fail "pcsc and sim decrypted ballots differ"
# sceau card-check through pcscd, then the same card pulled from its reader.
timeout 120 "$B/sceau" card-check --transport pcsc --record "$W/ceremony/record.json" \
	--slot "PCD B 00 00" --script <(printf '%s\n' "${PINS[1]}") --wait-seconds 5 \
	> "$W/check.log" 2>&1 || { cat "$W/check.log"; fail "card-check through pcsc"; }
"$B/sceau-simcard" pull "$W/slots/2" > /dev/null
pcsc_wait_state 2
if timeout 60 "$B/sceau" card-check --transport pcsc --record "$W/ceremony/record.json" \
	--slot "${R[1]}" --script <(printf '%s\n' "${PINS[1]}") --wait-seconds 1 \
	> "$W/check-pulled.log" 2>&1; then
	fail "card-check passed on an empty reader"
fi
if timeout 60 "$B/sceau" card-check --transport pcsc --record "$W/ceremony/record.json" \
	--slot "Virtual" --script <(printf '%s\n' "${PINS[1]}") --wait-seconds 1 \
	> "$W/check-ambiguous.log" 2>&1; then
	fail "card-check accepted a name matching several readers"
fi
grep -q "names [0-9]* readers" "$W/check-ambiguous.log" || { cat "$W/check-ambiguous.log"; fail "ambiguous reader: message"; }
echo "ok: ceremony and count through pcscd and vpcd, results equal to the sim transport's"
