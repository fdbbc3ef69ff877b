#!/bin/bash
# The ballots the import sets aside are counted nul with their reason
# (docs/FORMATS.md "Ballot record, its proof of knowledge", spec v2 §2):
# a ballot whose proof of knowledge fails ("proof-failed"); a ballot sent
# twice with the same r, whose A repeats an earlier valid ballot's
# ("duplicate", only the later one); a junk-proof copy of another ballot's
# A and B ground to sort before it ("proof-failed", and the genuine ballot,
# later in the urn, still counts: only ballots whose proof held count as
# earlier ones). Each urn is imported, shuffled without its set-aside
# ballot, decrypted and counted; the results are what the platform
# simulator says a correct count finds (expected.json), and the ballot set
# aside is never decrypted.
. tests/session/lib.sh
W=$(mktemp -d /tmp/sceau-test-XXXXXX)
trap 'rm -rf "$W"' EXIT
ceremony tests/data/demo-election.json
printf '%s\n%s\n' "${PINS[0]}" "${PINS[1]}" > "$W/pins"
for kind in bad-proof:proof-failed resent-same-r:duplicate junk-copy:proof-failed; do
	fault=${kind%%:*} reason=${kind##*:}
	cast "$W/p-$fault" 20 --fault "$fault"
	import_urn "$W/s-$fault" "$W/p-$fault" > "$W/$fault-import.out" 2>&1 ||
		{ cat "$W/$fault-import.out"; fail "$fault: import"; }
	count "$W/s-$fault" "$W/pins" "$W/slots/1" "$W/slots/2" > "$W/$fault.out" 2>&1 ||
		{ cat "$W/$fault.out"; fail "$fault: count failed"; }
	/usr/bin/python3 tests/session/compare_expected.py "$W/s-$fault/results.json" \
		"$W/p-$fault/expected.json" || fail "$fault: results differ from what was cast"
	/usr/bin/python3 - "$W/s-$fault/results.json" "$reason" <<'PY' || fail "$fault: not one $reason"
import json, sys
r = json.load(open(sys.argv[1]))
assert sum(s["nuls_by_reason"][sys.argv[2]] for s in r["scrutins"]) == 1
PY
	# decrypted: every ballot of the urn but the one set aside
	[ "$(sql "$W/s-$fault/session.db" 'SELECT count(*) FROM decrypted')" = \
		"$(( $(sql "$W/s-$fault/session.db" 'SELECT sum(n) FROM ballot_chunks') - 1 ))" ] ||
		fail "$fault: the ballot set aside was decrypted, or another one was not"
	echo "ok: $fault counted nul $reason"
done
echo "set-aside checks passed"
