#!/bin/bash
# docs/FORMATS.md is enough to check an archive without the box's code: a
# real session of the demo election (ceremony, vote, import, count, PVs,
# seal) is checked by tests/verify/independent_check.py, written from the
# document alone (journal chain and head, card signature digests and ECDSA,
# canonical JSON byte for byte, firmware.txt, the PVs' QR codes); then the
# same checker must notice an edited journal entry, a results.json that is
# not its canonical text, too few signatures, another firmware.txt and a PV
# of another scrutin.
. tests/session/lib.sh
W=$(mktemp -d /tmp/sceau-test-XXXXXX)
trap 'rm -rf "$W"' EXIT
CHECK="/usr/bin/python3 $SCEAU_TOP/tests/verify/independent_check.py"

ceremony tests/data/demo-election.json
cast "$W/p" 30 --nul 100 --rature 300 --blank 100 --fault emargement-count
import_urn "$W/s" "$W/p" > "$W/import.log"
printf '%s\n%s\n' "${PINS[0]}" "${PINS[1]}" > "$W/pins12"
count "$W/s" "$W/pins12" "$W/slots/1" "$W/slots/2" > "$W/count.log" 2>&1 ||
	{ cat "$W/count.log"; fail "count"; }
printf '%s\n%s\n%s\n' "${PINS[0]}" "${PINS[1]}" "${PINS[2]}" > "$W/pins123"
"$B/sceau" pv --session "$W/s" --slot "$W/slots/1" --slot "$W/slots/2" --slot "$W/slots/3" \
	--script "$W/pins123" > "$W/pv.log" 2>&1 || { cat "$W/pv.log"; fail "pv"; }
printf 'oui\n%s\n%s\n' "${PINS[0]}" "${PINS[2]}" > "$W/yes"
"$B/sceau" seal --session "$W/s" --slot "$W/slots/1" --slot "$W/slots/3" --script "$W/yes" \
	> "$W/seal.log" 2>&1 || { cat "$W/seal.log"; fail "seal"; }
A=$W/s/archive
grep -q '"kind": "ballots-vs-emargement"' "$A/results.json" || fail "no irregularity to check"

$CHECK "$A" > "$W/check.out" 2>&1 || { cat "$W/check.out"; fail "independent check"; }
# Debian's python3-cryptography is a dependency (scripts/deps.sh): the
# signatures themselves are checked, not only their digests
grep -q "ECDSA checked" "$W/check.out" || { cat "$W/check.out"; fail "ECDSA not checked"; }

# bad CASE WHAT: the checker (without the QR codes) fails on a copy of the
# archive changed by the commands read from stdin, and says WHAT
bad() {
	local c=$W/$1 what=$2
	cp -r "$A" "$c"
	chmod -R u+w "$c"
	(cd "$c" && . /dev/stdin)
	if $CHECK --no-qr "$c" > "$W/$1.out" 2>&1; then fail "$1: accepted"; fi
	grep -qF -- "$what" "$W/$1.out" || { cat "$W/$1.out"; fail "$1: not '$what'"; }
}

bad journal "journal entry 3" <<'SH'
sqlite3 session.db "DROP TRIGGER journal_no_update; UPDATE journal SET detail = detail || ' ' WHERE seq = 3"
SH
bad layout "results.json: not its canonical text" <<'SH'
sed -i '0,/"format": /s//"format":  /' results.json
SH
bad order "results.json: not its canonical text" <<'SH'
/usr/bin/python3 - <<'PY'
import json
r = json.load(open("results.json"))
r = {k: r[k] for k in ["election_id", "format"] + list(r)[2:]}
open("results.json", "w").write(json.dumps(r, indent=2, ensure_ascii=False) + "\n")
PY
SH
bad few "1 signatures, the threshold is 2" <<'SH'
/usr/bin/python3 - <<'PY'
import json
s = json.load(open("signatures-results.json"))
s["signatures"] = s["signatures"][:1]
open("signatures-results.json", "w").write(json.dumps(s, indent=2, ensure_ascii=False) + "\n")
PY
SH
bad firmware "firmware.txt: not the three documented lines" <<'SH'
printf 'firmware_sha256 %064d\ncrypto_library x\n' 0 > firmware.txt
SH
# the QR codes: pv-2.pdf replaced by pv-1.pdf carries scrutin 1's codes
cp -r "$A" "$W/qr"
chmod -R u+w "$W/qr"
cp "$W/qr/pv-1.pdf" "$W/qr/pv-2.pdf"
if $CHECK "$W/qr" > "$W/qr.out" 2>&1; then fail "another scrutin's PV accepted"; fi
grep -q "pv-2.pdf: QR codes" "$W/qr.out" || { cat "$W/qr.out"; fail "qr: not named"; }
echo "independent check passed, and refused 6 altered archives"
