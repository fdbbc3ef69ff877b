#!/bin/bash
# A card pulled from its PC/SC reader during the key ceremony (issue 7): the
# ceremony runs through pcscd and vpcd (set up as in test_pcsc_gpg.sh) while
# card 2 is pulled at its k-th APDU, for k = 1, 1 + STEP, 1 + 2 STEP, ...
# (SCEAU_PCSC_PULL_STEP, 1 by default: every APDU; 4 in the sanitizer run,
# SCEAU_SANITIZE=1, which looks for memory errors on the same paths, not for
# more pull points) until the ceremony no
# longer notices. Each time the ceremony must stop without a record, and the
# pulled card must be either factory-fresh or recognisably used, as
# tests/session/test_ceremony.c checks over the sim, ccid-sim and nfc-sim
# transports. Skipped without CONFIG_CARD_PCSC.
set -euo pipefail
B=${SCEAU_BUILD:?SCEAU_BUILD not set}
if ! grep -qx 'CONFIG_CARD_PCSC=y' "$B/.config" 2>/dev/null; then
	echo "SKIP: $B is built without CONFIG_CARD_PCSC"
	exit 0
fi
SCEAU_PCSC_SETUP_ONLY=1
. tests/interop/test_pcsc_gpg.sh
if [ "${SCEAU_SANITIZE:-}" = 1 ]; then STEP=${SCEAU_PCSC_PULL_STEP:-4}
else STEP=${SCEAU_PCSC_PULL_STEP:-1}; fi
. tests/support/ceremony.sh
R=("Virtual PCD 00 00" "Virtual PCD B 00 00" "Virtual PCD C 00 00")

new_cards() { # fresh cards in the three slots, seen by pcscd
	local i
	for i in 1 2 3; do
		mkdir -p "$W/slots/$i"; rm -f "$W/slots/$i"/* # sceau-vpcd keeps the directory open
		"$B/sceau-simcard" new "$W/slots/$i" --serial "0000030$i" >/dev/null
	done
}
# pcscd and vpcd are started afresh for every run: vpcd 0.8 does not show a
# card put back into a reader after a pull mid-APDU (docs/HARDWARE.md).
pcsc_stop() {
	local init
	init=$(pgrep -P "$NS_PID" || true)
	kill -KILL ${init:-"$NS_PID"} 2>/dev/null || true
	wait "$NS_PID" 2>/dev/null || true
	NS_PID=
	rm -rf "$W/run"/* # pcscd's socket and pid file
}
"$B/sceau-platform" keygen --private "$W/platform-private.json" \
	--public "$W/platform-key.json" >/dev/null
ceremony_answers "$W/answers.txt"

ceremony() { # OUT: the whole ceremony through pcscd
	timeout 120 "$B/sceau" ceremony --transport pcsc --definition tests/data/demo-election.json \
		--bureau tests/data/demo-bureau.json --platform-key "$W/platform-key.json" \
		--out "$1" --slot "${R[0]}" --slot "${R[1]}" --slot "${R[2]}" \
		--script "$W/answers.txt" --wait-seconds 3 > "$1.log" 2>&1
}

# The pulled card (card.pulled.json, put back to be read): factory-fresh,
# or carrying a mark of use (the ceremony's DO 0101, its signing key, a PIN
# try spent); never a share alone.
check_pulled() { # K
	local show
	[ -f "$W/slots/2/card.pulled.json" ] || fail "k=$1: card 2 was not pulled"
	"$B/sceau-simcard" insert "$W/slots/2" > /dev/null
	show=$("$B/sceau-simcard" show "$W/slots/2")
	if grep -q '^share (DO 0103) present' <<<"$show" ||
		grep -q '^DO 0101 *present' <<<"$show" ||
		grep -q '^signing key *ECDSA' <<<"$show"; then
		grep -qE '^DO 0101 *present|^signing key *ECDSA|^tries left *PW1 [012],' <<<"$show" ||
			{ echo "$show"; fail "k=$1: card 2 holds a share but looks unused"; }
	else
		grep -q '^tries left *PW1 3, RC 0, PW3 3' <<<"$show" ||
			{ echo "$show"; fail "k=$1: card 2 is neither fresh nor marked used"; }
	fi
}

k=1
runs=0
while :; do
	[ "$k" -lt 400 ] || fail "the ceremony still noticed a pull at APDU $k"
	new_cards
	pcsc_start "$W/slots/1" "$W/slots/2" "$W/slots/3"
	pcsc_wait 3
	echo "$k" > "$W/slots/2/pull-at"
	runs=$((runs + 1))
	if ceremony "$W/out-$k"; then
		[ -f "$W/out-$k/record.json" ] || fail "k=$k: ceremony passed without a record"
		break
	fi
	grep -q "Cérémonie interrompue" "$W/out-$k.log" ||
		{ cat "$W/out-$k.log"; fail "k=$k: no interruption message"; }
	[ ! -e "$W/out-$k/record.json" ] || fail "k=$k: a record was written"
	pcsc_stop
	check_pulled "$k"
	k=$((k + STEP))
done
[ $((runs * STEP)) -gt 15 ] || fail "only $runs pull points before the ceremony stopped noticing"
echo "ok: card 2 pulled at $((runs - 1)) APDUs (step $STEP) of a pcsc ceremony, never left looking fresh with a share"
