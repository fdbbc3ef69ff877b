#!/bin/bash
# What a bureau member reads when a command is refused (issue 14, item 6):
# one message naming the real cause, in French, or in English with
# --lang en. A read-only session directory is said to be read-only (not "a
# session of another version"); a card refused for a blocked PIN or for
# belonging to another election is refused for that reason (not "card
# absent"), by the count and by the signing; a medium missing a file is
# named once, with a French detail; an import refused before any session
# existed says nothing was stored, and leaves nothing. (The full disk:
# test_disk_full.sh; the import's other refusals: test_import_faults.sh.)
. tests/session/lib.sh
W=$(mktemp -d /tmp/sceau-test-XXXXXX)
mounted=
trap 'if [ -n "$mounted" ]; then umount "$W/ro"; fi; chmod -R u+w "$W" 2>/dev/null; rm -rf "$W"' EXIT
ceremony tests/data/demo-election.json
cast "$W/p" 6
printf '%s\n%s\n' "${PINS[0]}" "${PINS[1]}" > "$W/pins"
import_urn "$W/s" "$W/p" > /dev/null

# one OUTPUT LANG TEXT: exactly one error line, and it says TEXT
one() {
	local tag=ERREUR
	[ "$2" = en ] && tag=ERROR
	grep -q "\[$tag\] .*$3" "$1" || { cat "$1"; fail "no '$3'"; }
	[ "$(grep -c "\[$tag\]" "$1")" = 1 ] || { cat "$1"; fail "more than one message ($3)"; }
}

# --- a read-only session directory -------------------------------------------
mkdir "$W/ro"
how=
if mount -t tmpfs -o size=16m tmpfs "$W/ro" 2> /dev/null; then
	mounted=1
	cp -a "$W/s" "$W/ro/s"
	mount -o remount,ro "$W/ro" && how="a tmpfs remounted read-only"
elif [ "$(id -u)" != 0 ]; then
	cp -a "$W/s" "$W/ro/s"
	chmod -R a-w "$W/ro"
	how="a directory without write permission"
fi
if [ -n "$how" ]; then
	for lang in fr en; do
		if count "$W/ro/s" "$W/pins" "$W/slots/1" "$W/slots/2" -- --lang "$lang" \
			> "$W/ro-$lang.out" 2>&1; then fail "count in a read-only directory"; fi
		if "$B/sceau" import --session "$W/ro/new" --record "$W/ceremony/record.json" \
			--definition "$W/ceremony/election.json" --urn "$W/p/urn.iso" \
			--emargement "$W/p/emargement.iso" --lang "$lang" > "$W/ro-import-$lang.out" 2>&1; then
			fail "import into a read-only directory"
		fi
	done
	one "$W/ro-fr.out" fr "Le dossier de la session $W/ro/s est en lecture seule"
	one "$W/ro-en.out" en "The session directory $W/ro/s is read-only"
	one "$W/ro-import-fr.out" fr "en lecture seule"
	one "$W/ro-import-en.out" en "is read-only"
	grep -q "autre version\|another version\|erreur de lecture" "$W"/ro-*.out && fail "read-only: wrong cause"
	ro="read-only directory ($how)"
else
	ro="read-only directory: not tried (root without mount)"
fi

# --- cards refused for what they are --------------------------------------------
# Card 3's PIN blocked by three wrong codes, then a count with it and card 1.
printf '111111\n111112\n111113\n%s\n' "${PINS[0]}" > "$W/block"
for lang in fr en; do
	cp -a "$W/s" "$W/b-$lang"
done
if count "$W/b-fr" "$W/block" "$W/slots/3" "$W/slots/1" > "$W/blocked-fr.out" 2>&1; then
	fail "counted with a blocked card"
fi
grep -q "Carte du lecteur « $W/slots/3 » refusée : carte bloquée après trop de codes erronés" \
	"$W/blocked-fr.out" || { cat "$W/blocked-fr.out"; fail "blocked card: not named"; }
one "$W/blocked-fr.out" fr "Il faut 2 cartes valides présentes ensemble pour dépouiller ; 1 seulement"
grep -q "carte absente\|card absent\|wrong PIN" "$W/blocked-fr.out" && fail "blocked card: wrong cause"
printf '%s\n' "${PINS[0]}" > "$W/pin1"
if count "$W/b-en" "$W/pin1" "$W/slots/3" "$W/slots/1" -- --lang en > "$W/blocked-en.out" 2>&1; then
	fail "counted with a blocked card (en)"
fi
grep -q "refused: card blocked after too many wrong PINs" "$W/blocked-en.out" ||
	{ cat "$W/blocked-en.out"; fail "blocked card (en): not named"; }
grep -q "carte absente\|card absent" "$W/blocked-en.out" && fail "blocked card (en): wrong cause"

# A card of no card of this election (a fresh one), for the count and the pv.
"$B/sceau-simcard" new "$W/foreign" --serial 00000999 > /dev/null
if count "$W/b-fr" "$W/pins" "$W/foreign" "$W/slots/1" > "$W/foreign.out" 2>&1; then
	fail "counted with a foreign card"
fi
grep -q "refusée : carte d'une autre élection (la carte 00000999 n'est pas une carte de cette élection)" \
	"$W/foreign.out" || { cat "$W/foreign.out"; fail "foreign card: not named"; }
grep -q "carte absente" "$W/foreign.out" && fail "foreign card: wrong cause"
count "$W/b-fr" "$W/pins" "$W/slots/1" "$W/slots/2" > /dev/null 2>&1 || fail "count"
if "$B/sceau" pv --session "$W/b-fr" --slot "$W/foreign" --script "$W/pins" > "$W/fpv.out" 2>&1; then
	fail "results signed by a foreign card"
fi
grep -q "pas de signature (carte d'une autre élection : cette carte n'est pas une carte de l'élection)" \
	"$W/fpv.out" || { cat "$W/fpv.out"; fail "pv, foreign card: not named"; }
one "$W/fpv.out" fr "carte d'une autre élection : aucune carte n'a signé"
grep -q "carte absente" "$W/fpv.out" && fail "pv, foreign card: wrong cause"

# --- a medium without its data file: named once, in the bureau's language ---
mkdir "$W/x"
xorriso -osirrox on -indev "$W/p/urn.iso" -extract / "$W/x" > /dev/null 2>&1
chmod -R u+w "$W/x"
rm -f "$W/x/ballots.bin"
xorriso -as mkisofs -quiet -iso-level 3 -R -J -V SCEAU_URNE -o "$W/nofile.iso" "$W/x" 2> /dev/null
for lang in fr en; do
	if "$B/sceau" import --session "$W/nf-$lang" --record "$W/ceremony/record.json" \
		--definition "$W/ceremony/election.json" --urn "$W/nofile.iso" \
		--emargement "$W/p/emargement.iso" --lang "$lang" > "$W/nf-$lang.out" 2>&1; then
		fail "imported a medium without ballots.bin"
	fi
done
# (a documented file missing is a medium not laid out as it must be: issue 14)
grep -q "\[ERREUR\] le support n'a pas la forme prévue : .* : $W/nofile.iso : le support ne contient pas le fichier ballots.bin$" \
	"$W/nf-fr.out" || { cat "$W/nf-fr.out"; fail "missing file: French"; }
grep -q "\[ERROR\] the medium is not laid out as it must be: .*: $W/nofile.iso: the image has no file ballots.bin$" "$W/nf-en.out" ||
	{ cat "$W/nf-en.out"; fail "missing file: English"; }
one "$W/nf-fr.out" fr "ne contient pas le fichier ballots.bin"
one "$W/nf-en.out" en "has no file ballots.bin"
grep -q "Import refusé : aucun bulletin n'a été enregistré" "$W/nf-fr.out" || fail "missing file: kept"
grep -q "Import refused: no ballot was stored" "$W/nf-en.out" || fail "missing file: kept (en)"
echo "messages: $ro, blocked and foreign cards, a missing file: one message each, French and English"
