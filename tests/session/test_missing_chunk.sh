#!/bin/bash
# A session database that lost ballots after the import (here its last
# chunk of ballots) is refused by the count, which compares the ballots
# stored with the counts the urn's manifest declared, before any card is
# asked for: nothing is decrypted, and the bureau is told what is wrong
# instead of a count with fewer votes.
. tests/session/lib.sh
W=$(mktemp -d /tmp/sceau-test-XXXXXX)
trap 'rm -rf "$W"' EXIT
sed -e 's/"inscrits": [0-9]*/"inscrits": 5000/' tests/data/demo-election.json > "$W/election.json"
ceremony "$W/election.json"
cast "$W/p" 300 # 4 scrutins: 1200 ballots, chunks of 1024 and 176
import_urn "$W/s" "$W/p" > /dev/null
chunks=$(sqlite3 "$W/s/session.db" "SELECT group_concat(n, ',') FROM ballot_chunks ORDER BY first")
[ "$chunks" = "1024,176" ] || fail "chunks: $chunks"
sqlite3 "$W/s/session.db" "DELETE FROM ballot_chunks WHERE first = 1025"
phase=$(sqlite3 "$W/s/session.db" "SELECT value FROM meta WHERE key = 'phase'")
printf '%s\n%s\n' "${PINS[0]}" "${PINS[1]}" > "$W/pins"
if count "$W/s" "$W/pins" "$W/slots/1" "$W/slots/2" > "$W/count.out" 2>&1; then
	cat "$W/count.out"; fail "a session missing 176 ballots was counted"
fi
grep -q "mal formé" "$W/count.out" || { cat "$W/count.out"; fail "no French headline"; }
grep -q "session.db holds 1024 ballots, the imported urn declared 1200" "$W/count.out" ||
	{ cat "$W/count.out"; fail "the difference is not named"; }
grep -q "code secret" "$W/count.out" && fail "PINs were asked before the session was checked"
[ "$(sqlite3 "$W/s/session.db" "SELECT count(*) FROM decrypted")" = 0 ] ||
	fail "ballots were decrypted"
[ "$(sqlite3 "$W/s/session.db" "SELECT value FROM meta WHERE key = 'phase'")" = "$phase" ] ||
	fail "the phase changed"
[ ! -e "$W/s/results.json" ] || fail "results were written"
echo "missing chunk checks passed"
