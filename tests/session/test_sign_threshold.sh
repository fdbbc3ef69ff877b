#!/bin/bash
# The results and the final manifest are signed by at least t cards (the
# record's threshold; docs/FORMATS.md "Card signatures"): fewer make a file
# the verifier refuses, so `sceau pv` and `sceau seal` refuse them too. The
# bureau reads one message saying how many more cards must sign (French, or
# English with --lang en), and nothing is stored: no signature file, no
# journal entry, no PV, no archive image, the phase unchanged. With t cards
# both then go on, and the archive verifies.
. tests/session/lib.sh
W=$(mktemp -d /tmp/sceau-test-XXXXXX)
trap 'rm -rf "$W"' EXIT
ceremony tests/data/demo-election.json
cast "$W/p" 6
printf '%s\n%s\n' "${PINS[0]}" "${PINS[1]}" > "$W/pins12"
printf '%s\n' "${PINS[0]}" > "$W/pin1"
import_urn "$W/s" "$W/p" > /dev/null
count "$W/s" "$W/pins12" "$W/slots/1" "$W/slots/2" > /dev/null 2>&1 || fail "count"
t=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["threshold"])' \
	"$W/ceremony/record.json")
[ "$t" = 2 ] || fail "the demo's threshold is $t, this test expects 2"

phase_of() { sql "$1/session.db" "SELECT value FROM meta WHERE key='phase'"; }
# one OUTPUT TAG TEXT: exactly one error line, and it says TEXT
one() {
	grep -qF "[$2] $3" "$1" || { cat "$1"; fail "no '$3'"; }
	[ "$(grep -c "\[$2\]" "$1")" = 1 ] || { cat "$1"; fail "more than one message ($3)"; }
}
# nothing_signed SESSION SUBJECT: no signature of SUBJECT stored anywhere
nothing_signed() {
	[ "$(sql "$1/session.db" "SELECT count(*) FROM files WHERE name LIKE 'signatures-%'")" = 0 ] ||
		fail "$2: a signature file in the database"
	[ "$(sql "$1/session.db" "SELECT count(*) FROM journal WHERE event LIKE '%signed%'")" = 0 ] ||
		fail "$2: a journal entry for the signatures"
}

# --- pv: one card of two -------------------------------------------------------
cp -a "$W/s" "$W/s-en"
if "$B/sceau" pv --session "$W/s" --slot "$W/slots/1" --script "$W/pin1" > "$W/pv1.out" 2>&1; then
	fail "pv signed by one card of the two needed"
fi
grep -q "signature de .* enregistrée et vérifiée" "$W/pv1.out" || { cat "$W/pv1.out"; fail "card 1 did not sign"; }
one "$W/pv1.out" ERREUR "Il faut les signatures de 2 cartes du bureau ; 1 seulement ont signé. Il manque encore 1 carte(s)"
grep -qF "Aucune signature n'a été enregistrée" "$W/pv1.out" || fail "pv: not said that nothing was stored"
nothing_signed "$W/s" pv
[ ! -e "$W/s/signatures-results.json" ] || fail "pv: signatures-results.json written"
[ -z "$(ls -A "$W/s/pv" 2>/dev/null)" ] || fail "pv: PVs made"
[ "$(phase_of "$W/s")" = counted ] || fail "pv: phase moved"
if "$B/sceau" pv --session "$W/s-en" --slot "$W/slots/1" --script "$W/pin1" --lang en \
	> "$W/pv1-en.out" 2>&1; then fail "pv (en) signed by one card"; fi
one "$W/pv1-en.out" ERROR "The signatures of 2 of the bureau's cards are needed; only 1 signed. 1 more card(s) are still needed"

# --- pv with two cards, then the seal with one ------------------------------------
"$B/sceau" pv --session "$W/s" --slot "$W/slots/1" --slot "$W/slots/2" --script "$W/pins12" \
	> "$W/pv2.out" 2>&1 || { cat "$W/pv2.out"; fail "pv with two cards"; }
/usr/bin/python3 -c 'import json,sys; assert len(json.load(open(sys.argv[1]))["signatures"]) == 2' \
	"$W/s/signatures-results.json" || fail "pv: not two signatures"
# one reader for two signatures: refused before anything is sealed
printf 'oui\n%s\n' "${PINS[1]}" > "$W/yes2"
if "$B/sceau" seal --session "$W/s" --slot "$W/slots/2" --script "$W/yes2" > "$W/seal1.out" 2>&1; then
	fail "sealed with one card of the two needed"
fi
one "$W/seal1.out" ERREUR "Le manifeste final doit être signé par 2 cartes du bureau, et 1 lecteur(s) seulement"
[ "$(phase_of "$W/s")" = counted ] || fail "seal with one reader: phase moved"
[ ! -e "$W/s/archive" ] || fail "seal with one reader: archive written"
# two readers, one card of another election: the database is sealed (the
# bureau said yes), the manifest is not signed; the seal is left to resume
"$B/sceau-simcard" new "$W/foreign" --serial 00000999 > /dev/null
if "$B/sceau" seal --session "$W/s" --slot "$W/slots/2" --slot "$W/foreign" --script "$W/yes2" \
	> "$W/seal2.out" 2>&1; then fail "sealed with one valid card of the two needed"; fi
one "$W/seal2.out" ERREUR "carte d'une autre élection : il faut les signatures de 2 cartes du bureau ; 1 seulement ont signé. Il manque encore 1 carte(s)"
[ ! -e "$W/s/archive/signatures-manifest.json" ] || fail "seal: signatures-manifest.json written"
[ ! -e "$W/s/archive.iso" ] || fail "seal: archive.iso written"
# the seal then resumes with two cards, and the archive verifies
printf 'oui\n%s\n%s\n' "${PINS[0]}" "${PINS[1]}" > "$W/yes12"
"$B/sceau" seal --session "$W/s" --slot "$W/slots/1" --slot "$W/slots/2" --script "$W/yes12" \
	> "$W/seal3.out" 2>&1 || { cat "$W/seal3.out"; fail "seal with two cards"; }
grep -q "reprend" "$W/seal3.out" || { cat "$W/seal3.out"; fail "seal: not said that it resumes"; }
"$B/sceau-verify" "$W/s/archive.iso" > "$W/verify.out" 2>&1 || { cat "$W/verify.out"; fail "sceau-verify"; }
echo "signatures: fewer than t cards refused by pv and seal, nothing stored; t cards go on"
