# Shared by the scripted session tests: a key ceremony with three simulated
# cards, then the platform simulator. Sourced; expects SCEAU_BUILD and a
# work directory W.
set -euo pipefail
B=$SCEAU_BUILD
. tests/support/ceremony.sh

fail() { echo "FAIL: $*" >&2; exit 1; }

# ceremony DEF: three new cards in $W/slots/{1,2,3}, record in $W/ceremony
ceremony() {
	local def=$1
	"$B/sceau-platform" keygen --private "$W/platform-private.json" \
		--public "$W/platform-key.json" >/dev/null
	for i in 1 2 3; do "$B/sceau-simcard" new "$W/slots/$i" --serial "0000010$i" >/dev/null; done
	ceremony_answers "$W/answers.txt"
	"$B/sceau" ceremony --definition "$def" --bureau tests/data/demo-bureau.json \
		--platform-key "$W/platform-key.json" --out "$W/ceremony" --slot "$W/slots/1" \
		--slot "$W/slots/2" --slot "$W/slots/3" --script "$W/answers.txt" > "$W/ceremony.log"
}

# cast OUT N [options...]
cast() {
	local out=$1 n=$2
	shift 2
	"$B/sceau-platform" cast --record "$W/ceremony/record.json" \
		--definition "$W/ceremony/election.json" --private "$W/platform-private.json" \
		--out "$out" --ballots "$n" "$@" > "$out.log"
}

# import SESSION PLATFORM_DIR
import_urn() {
	"$B/sceau" import --session "$1" --record "$W/ceremony/record.json" \
		--definition "$W/ceremony/election.json" --urn "$2/urn.iso" \
		--emargement "$2/emargement.iso"
}

# imported SESSION PLATFORM_DIR: a copy of one import of the platform's
# media (the first call imports). Every import shuffles anew, with new
# randomness: sessions whose decrypted files and results are compared byte
# for byte must decrypt the same shuffled lists, so they share one import.
imported() {
	local once="$W/.imported-$(basename "$2")"
	[ -d "$once" ] || import_urn "$once" "$2" > /dev/null
	cp -a "$once" "$1"
}

# count SESSION PINFILE SLOTS... (extra options after --)
count() {
	local session=$1 pins=$2
	shift 2
	local args=()
	while [ $# -gt 0 ] && [ "$1" != -- ]; do args+=(--slot "$1"); shift; done
	[ $# -gt 0 ] && shift
	"$B/sceau" count --session "$session" --script "$pins" --wait-seconds 2 "${args[@]}" "$@"
}

sql() { sqlite3 "$1" "$2"; }

# pull_mid_count SESSION SLOT PID OUT: once the count running as PID (its
# output in OUT) has decrypted a first ballot, the card of SLOT is pulled;
# the count must stop, saying that decryption is paused.
pull_mid_count() {
	local db=$1/session.db n=0
	for _ in $(seq 600); do
		n=$(sql "$db" 'SELECT count(*) FROM decrypted' 2>/dev/null || echo 0)
		[ "${n:-0}" -gt 0 ] && break
		sleep 0.05
	done
	[ "${n:-0}" -gt 0 ] || fail "decryption never started"
	"$B/sceau-simcard" pull "$2" > /dev/null
	if wait "$3"; then fail "count went on without the card of $2"; fi
	grep -q "Déchiffrement interrompu" "$4" || { cat "$4"; fail "no pause message"; }
}
