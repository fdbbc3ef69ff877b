#!/bin/bash
# sceau import (issue 3): every fault the platform simulator can inject is
# caught with its own message, the session keeps nothing, the failure is
# journaled; a good urn imports once and only once; an émargement that
# differs from the urn is an irregularity, not an error.
. tests/session/lib.sh
W=$(mktemp -d /tmp/sceau-test-XXXXXX)
trap 'rm -rf "$W"' EXIT
ceremony tests/data/demo-election.json

expect_refused() { # fault message-fragment
	local fault=$1 want=$2 s="$W/s-$1"
	cast "$W/p-$fault" 40 --fault "$fault"
	if import_urn "$s" "$W/p-$fault" > "$W/$fault.out" 2>&1; then
		fail "$fault: import accepted"
	fi
	grep -qF -- "$want" "$W/$fault.out" || { cat "$W/$fault.out"; fail "$fault: no '$want'"; }
	case $fault in # the bulletin in question, in the medium named
	unsorted|duplicate-tracker|bad-point|scalar-range|wrong-length)
		grep -q "urn.iso : ballots.bin, bulletin n° [0-9]* :" "$W/$fault.out" ||
			fail "$fault: the ballot is not named" ;;
	esac
	# The session was created by this import: the bureau is told what it keeps.
	grep -q "Import refusé : aucun bulletin n'a été enregistré. La session ne garde que" \
		"$W/$fault.out" || fail "$fault: no refusal text"
	grep -q "rien n'a été enregistré" "$W/$fault.out" && fail "$fault: says nothing was stored"
	# one French message: the medium named once, no English after the heading
	[ "$(grep -c '\[ERREUR\]' "$W/$fault.out")" = 1 ] || { cat "$W/$fault.out"; fail "$fault: not one refusal"; }
	grep '\[ERREUR\]' "$W/$fault.out" | head -1 | grep -q "$W/p-$fault/[a-z]*.iso.*$W/p-$fault" &&
		fail "$fault: the medium named twice"
	[ "$(sql "$s/session.db" 'SELECT coalesce(sum(n),0) FROM ballot_chunks')" = 0 ] || fail "$fault: ballots kept"
	[ "$(sql "$s/session.db" "SELECT value FROM meta WHERE key='phase'")" = record-loaded ] ||
		fail "$fault: phase moved"
	sql "$s/session.db" "SELECT detail FROM journal WHERE event='import.failed'" | grep -q . ||
		fail "$fault: failure not journaled"
	[ ! -e "$s/urn.iso" ] || fail "$fault: image kept"
	echo "ok: $fault refused ($want)"
}

expect_refused bad-signature "urn.iso : le sceau de la plateforme (manifest.sig) ne correspond pas"
expect_refused wrong-key "urn.iso : le sceau de la plateforme (manifest.sig) ne correspond pas"
expect_refused emargement-signature "emargement.iso : le sceau de la plateforme"
expect_refused wrong-election "urn.iso : ce support appartient à une autre élection"
expect_refused unsorted " : bulletins non triés par numéro de suivi"
expect_refused duplicate-tracker " : numéro de suivi en double"
expect_refused bad-point " n'est pas un point valide de P-256"
expect_refused scalar-range " n'est pas inférieur à l'ordre n du groupe"
expect_refused wrong-length " : tronqué"
expect_refused manifest-count "mais le manifeste scellé en annonce"
expect_refused manifest-hash "ne correspond pas au manifeste scellé (taille ou empreinte)"

# A difference between the urn and the émargement: imported, and kept as an
# irregularity for the PV.
cast "$W/p-emarg" 40 --fault emargement-count
import_urn "$W/s-emarg" "$W/p-emarg" > "$W/emarg.out" 2>&1 || { cat "$W/emarg.out"; fail "emargement-count refused"; }
grep -q "40 bulletins mais 41 émargements" "$W/emarg.out" || fail "no irregularity shown"
[ "$(sql "$W/s-emarg/session.db" "SELECT kind || ' ' || detail FROM irregularities")" = \
	"ballots-vs-emargement urn=40 emargement=41" ] || fail "irregularity not recorded"

# A ballot whose proof fails, one sent twice with the same r, a junk-proof
# copy of another's A sorting before it: imported, each set aside with its
# reason (the copy, not the genuine ballot), an irregularity for the record
# more than the émargement, and every other ballot shuffled.
for kind in bad-proof:proof-failed resent-same-r:duplicate junk-copy:proof-failed; do
	fault=${kind%%:*} reason=${kind##*:}
	cast "$W/p-$fault" 40 --fault "$fault"
	import_urn "$W/s-$fault" "$W/p-$fault" > "$W/$fault.out" 2>&1 ||
		{ cat "$W/$fault.out"; fail "$fault refused"; }
	[ "$(sql "$W/s-$fault/session.db" 'SELECT count(*) || reason FROM set_aside')" = "1$reason" ] ||
		fail "$fault: not one ballot set aside as $reason"
	grep -q "1 bulletin(s) écarté(s), comptés nuls" "$W/$fault.out" || fail "$fault: not said"
	[ "$(sql "$W/s-$fault/session.db" 'SELECT sum(n) FROM shuffles')" = 160 ] ||
		fail "$fault: not 160 ballots shuffled"
	[ "$(sql "$W/s-$fault/session.db" "SELECT value FROM meta WHERE key='phase'")" = shuffled ] ||
		fail "$fault: phase"
	echo "ok: $fault imported, one ballot set aside ($reason)"
done
# (the junk copy sorts before the genuine ballot: only the copy is set aside)

# A good urn: imported once, with every ballot; a second import is refused.
cast "$W/p-good" 40
import_urn "$W/s-good" "$W/p-good" > "$W/good.out" 2>&1 || { cat "$W/good.out"; fail "good urn refused"; }
[ "$(sql "$W/s-good/session.db" 'SELECT coalesce(sum(n),0) FROM ballot_chunks')" = 160 ] || fail "not 160 ballots"
[ "$(sql "$W/s-good/session.db" "SELECT value FROM meta WHERE key='phase'")" = shuffled ] || fail "phase"
[ "$(sql "$W/s-good/session.db" 'SELECT count(*) FROM set_aside')" = 0 ] || fail "ballots set aside"
[ "$(sql "$W/s-good/session.db" 'SELECT group_concat(scrutin || ":" || n) FROM shuffles')" = "1:40,2:40,3:40,4:40" ] ||
	fail "shuffles"
for i in 1 2 3 4; do
	[ "$(stat -c %s "$W/s-good/shuffle-$i.bin")" = $((505 + 389 * 40)) ] || fail "shuffle-$i.bin size"
	[ "$(sha256sum < "$W/s-good/shuffle-$i.bin" | cut -c1-64)" = \
		"$(sql "$W/s-good/session.db" "SELECT sha256 FROM shuffles WHERE scrutin = $i")" ] ||
		fail "shuffle-$i.bin: not the hash recorded"
done
cmp -s "$W/p-good/urn.iso" "$W/s-good/urn.iso" || fail "urn image not archived as read"
if import_urn "$W/s-good" "$W/p-good" > "$W/twice.out" 2>&1; then fail "second import accepted"; fi
grep -q "déjà été importée" "$W/twice.out" || fail "second import: no message"
[ "$(sql "$W/s-good/session.db" 'SELECT coalesce(sum(n),0) FROM ballot_chunks')" = 160 ] || fail "second import changed data"

# The record and the definition must belong together.
if "$B/sceau" import --session "$W/s-x" --record "$W/ceremony/record.json" \
	--definition tests/fuzz/corpus/election/minimal.json --urn "$W/p-good/urn.iso" \
	--emargement "$W/p-good/emargement.iso" > "$W/x.out" 2>&1; then fail "foreign definition accepted"; fi
grep -q "n'est pas la définition de l'élection pour laquelle le registre" "$W/x.out" ||
	{ cat "$W/x.out"; fail "foreign definition: no message"; }
grep -q "Import refusé : rien n'a été enregistré." "$W/x.out" || fail "foreign definition: nothing kept"
[ ! -e "$W/s-x" ] || fail "foreign definition: a session directory was made"
echo "all import checks passed"
