#!/bin/bash
# The secret of the vote after a whole simulated election (issue 15, item
# 7): ceremony, vote, import (with its shuffles), count, PVs, seal, and a
# recount. Then no file of the session or of its archive but the urn's
# image (and the urn's records kept as received in session.db's
# ballot_chunks) holds any tracker or any A or B of the urn, as bytes or as
# hex; the journal holds only the public facts of each shuffle; neither the
# journal nor what the commands printed holds any shuffled ciphertext
# (tests/session/secrecy_scan.py). The scan is checked to find what it
# looks for: a tracker planted in a copy of the session is reported.
. tests/session/lib.sh
W=$(mktemp -d /tmp/sceau-test-XXXXXX)
trap 'rm -rf "$W"' EXIT
ceremony tests/data/demo-election.json
cast "$W/p" 30 --fault resent-same-r
mkdir "$W/logs"
log() { local name=$1; shift; "$@" > "$W/logs/$name.log" 2>&1 || { cat "$W/logs/$name.log"; fail "$name"; }; }
log import import_urn "$W/s" "$W/p"
printf '%s\n%s\n' "${PINS[0]}" "${PINS[1]}" > "$W/pins12"
log count count "$W/s" "$W/pins12" "$W/slots/1" "$W/slots/2"
log recount "$B/sceau" recount --session "$W/s" --slot "$W/slots/2" --slot "$W/slots/3" \
	--script <(printf '%s\n%s\n' "${PINS[1]}" "${PINS[2]}")
[ -d "$W/s/recount-1" ] || fail "no recount session"
printf '%s\n%s\n%s\n' "${PINS[0]}" "${PINS[1]}" "${PINS[2]}" > "$W/pins123"
log pv "$B/sceau" pv --session "$W/s" --slot "$W/slots/1" --slot "$W/slots/2" \
	--slot "$W/slots/3" --script "$W/pins123"
printf 'oui\n%s\n%s\n' "${PINS[0]}" "${PINS[1]}" > "$W/yes"
log seal "$B/sceau" seal --session "$W/s" --slot "$W/slots/1" --slot "$W/slots/2" --script "$W/yes"
[ -f "$W/s/archive/shuffle-1.bin" ] || fail "no shuffle file in the archive"
cp "$W/ceremony.log" "$W/logs/"

xorriso -osirrox on -indev "$W/p/urn.iso" -extract /ballots.bin "$W/ballots.bin" > /dev/null 2>&1
/usr/bin/python3 tests/session/secrecy_scan.py "$W/ballots.bin" "$W/s" "$W"/logs/*.log ||
	fail "the session or its archive holds what ties a ballot to its voter"

# the scan finds a tracker where there should be none
cp -a "$W/s" "$W/planted"
/usr/bin/python3 - "$W/ballots.bin" "$W/planted/results.json" <<'PY'
import hashlib, struct, sys
r = open(sys.argv[1], "rb").read()[16:16 + 196]
tag = b"sceau/tracker/v2"
t = hashlib.sha256(struct.pack(">I", len(tag)) + tag + struct.pack(">I", 196) + r).hexdigest()
open(sys.argv[2], "a").write(t)
PY
if /usr/bin/python3 tests/session/secrecy_scan.py "$W/ballots.bin" "$W/planted" \
	> "$W/planted.out" 2>&1; then fail "a planted tracker was not found"; fi
grep -q "results.json holds an urn tracker hex" "$W/planted.out" ||
	{ cat "$W/planted.out"; fail "the planted tracker: not named"; }
echo "secrecy: no tracker, A or B outside the urn; the journal and logs hold no shuffle data"
