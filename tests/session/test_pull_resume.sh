#!/bin/bash
# A card pulled during decryption (issue 4): decryption stops, the key is
# wiped, the work done is kept; with the card back, the count resumes where
# it stopped and gives exactly the same files as an uninterrupted count.
. tests/session/lib.sh
W=$(mktemp -d /tmp/sceau-test-XXXXXX)
trap 'if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; fi; rm -rf "$W"' EXIT
pid=
sed -e 's/"inscrits": [0-9]*/"inscrits": 5000/' tests/data/demo-election.json > "$W/election.json"
ceremony "$W/election.json"
cast "$W/p" 900 --jobs 2
imported "$W/ref" "$W/p"
imported "$W/s" "$W/p"
printf '%s\n%s\n' "${PINS[0]}" "${PINS[1]}" > "$W/pins"
count "$W/ref" "$W/pins" "$W/slots/1" "$W/slots/2" > /dev/null 2>&1 || fail "reference count"

count "$W/s" "$W/pins" "$W/slots/1" "$W/slots/2" -- --jobs 1 > "$W/first.out" 2>&1 &
pid=$!
pull_mid_count "$W/s" "$W/slots/2" "$pid" "$W/first.out"
pid=
done1=$(sql "$W/s/session.db" 'SELECT count(*) FROM decrypted')
[ "$done1" -gt 0 ] && [ "$done1" -lt 3600 ] || fail "decrypted after the pull: $done1"
[ "$(sql "$W/s/session.db" "SELECT value FROM meta WHERE key='phase'")" = decrypting ] || fail "phase"
sql "$W/s/session.db" "SELECT count(*) FROM journal WHERE event='decrypt.paused'" | grep -qx 1 ||
	fail "pause not journaled"

"$B/sceau-simcard" insert "$W/slots/2" > /dev/null
count "$W/s" "$W/pins" "$W/slots/1" "$W/slots/2" > "$W/second.out" 2>&1 || { cat "$W/second.out"; fail "resume"; }
cmp "$W/s/results.json" "$W/ref/results.json" || fail "resumed results differ"
cmp "$W/s/ballots-decrypted.bin" "$W/ref/ballots-decrypted.bin" || fail "resumed decrypted file differs"
[ "$(sql "$W/s/session.db" 'SELECT count(*) FROM decrypted')" = 3600 ] || fail "not every ballot once"
echo "paused after $done1 of 3600 ballots, resumed, identical results"
