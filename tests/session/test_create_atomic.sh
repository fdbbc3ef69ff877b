#!/bin/bash
# A session's creation cut off at any point (issue 14, item 2): the import
# and the ceremony build their database aside (<db>.new) and rename it
# into place, so a kill -9 (lib/fault.h) at any point of the creation
# leaves either no database or a complete one, never one without a phase;
# the next import, or the next ceremony in the same directory, works, and
# nothing temporary is left behind (election.json.tmp.PID was).
. tests/session/lib.sh
W=$(mktemp -d /tmp/sceau-test-XXXXXX)
trap 'rm -rf "$W"' EXIT
ceremony tests/data/demo-election.json
cast "$W/p" 4
phase_of() { sql "$1/session.db" "SELECT value FROM meta WHERE key='phase'"; }
leftovers() { find "$1" \( -name '*.tmp*' -o -name '*.new*' -o -name '*.part' \) -print; }

# The creation points: those the import passes up to the renamed database
# and the session's own copies of its inputs.
SCEAU_FAULT_TRACE="$W/trace" import_urn "$W/ref" "$W/p" > /dev/null
sed -n '1,/^file:election.json:after-rename$/p' "$W/trace" > "$W/points"
grep -qx "create:session.db:before-rename" "$W/points" || fail "no creation point listed"
n=0
while read -r point; do
	s="$W/s-$n"
	rc=0
	SCEAU_FAULT_AT="$point" import_urn "$s" "$W/p" > "$W/killed.out" 2>&1 || rc=$?
	[ "$rc" = 137 ] || fail "import not killed at $point ($rc)"
	# either no database, or one whose creation is complete
	if [ -e "$s/session.db" ]; then
		[ "$(phase_of "$s")" = record-loaded ] || fail "$point: a session.db without its phase"
	fi
	import_urn "$s" "$W/p" > "$W/again.out" 2>&1 ||
		{ cat "$W/again.out"; fail "import after a kill at $point"; }
	[ "$(phase_of "$s")" = shuffled ] || fail "$point: not imported and shuffled"
	[ "$(sql "$s/session.db" 'SELECT sum(n) FROM ballot_chunks')" = 16 ] || fail "$point: ballots"
	cmp -s "$s/election.json" "$W/ref/election.json" || fail "$point: election.json"
	[ -z "$(leftovers "$s")" ] || fail "$point: left behind: $(leftovers "$s")"
	n=$((n + 1))
done < "$W/points"

# The ceremony: killed before its database is renamed into place, the
# directory holds no database and a new ceremony there works; killed after,
# the ceremony has begun (cards may be written) and is never resumed: the
# next one is refused with the reason. Nothing temporary is left either way.
cer() { # DIR: the ceremony of lib.sh in DIR, with fresh cards
	local d=$1
	rm -rf "$W/cslots"
	for i in 1 2 3; do "$B/sceau-simcard" new "$W/cslots/$i" --serial "0000020$i" > /dev/null; done
	"$B/sceau" ceremony --definition tests/data/demo-election.json \
		--bureau tests/data/demo-bureau.json --platform-key "$W/platform-key.json" \
		--out "$d" --slot "$W/cslots/1" --slot "$W/cslots/2" --slot "$W/cslots/3" \
		--script "$W/answers.txt"
}
SCEAU_FAULT_TRACE="$W/ctrace" cer "$W/cref" > /dev/null 2>&1 || fail "reference ceremony"
sed -n '1,/^create:ceremony.db:after-rename$/p' "$W/ctrace" > "$W/cpoints"
grep -qx "create:ceremony.db:before-rename" "$W/cpoints" || fail "no ceremony creation point"
m=0
while read -r point; do
	d="$W/c-$m"
	rc=0
	SCEAU_FAULT_AT="$point" cer "$d" > /dev/null 2>&1 || rc=$?
	[ "$rc" = 137 ] || fail "ceremony not killed at $point ($rc)"
	if [ "$point" = create:ceremony.db:after-rename ]; then
		[ "$(sql "$d/ceremony.db" "SELECT value FROM meta WHERE key='phase'")" = ceremony ] ||
			fail "$point: ceremony.db without its phase"
		if cer "$d" > "$W/c.out" 2>&1; then fail "$point: a begun ceremony was run again"; fi
		grep -q "cérémonie des clés a déjà été commencée" "$W/c.out" || { cat "$W/c.out"; fail "$point: no reason"; }
	else
		[ ! -e "$d/ceremony.db" ] || fail "$point: ceremony.db exists before its rename"
		cer "$d" > "$W/c.out" 2>&1 || { tail -20 "$W/c.out"; fail "ceremony after a kill at $point"; }
		[ -s "$d/record.json" ] || fail "$point: no record"
	fi
	[ -z "$(leftovers "$d")" ] || fail "$point: left behind: $(leftovers "$d")"
	m=$((m + 1))
done < "$W/cpoints"
echo "creation: $n import points and $m ceremony points killed; every next run worked, nothing left behind"
