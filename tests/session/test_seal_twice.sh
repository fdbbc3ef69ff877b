#!/bin/bash
# Sealing twice (issue 14, item 5). A sealed session whose archive is
# complete refuses a second seal, in French (English with --lang en), and
# nothing in the session changes. A seal cut off (a kill -9 at a crash
# point of lib/fault.h) resumes, says so, and makes the same archive: the
# seal's date comes from the session's journal, not from the clock of the
# second run, and the manifest's signatures already given are reused. The
# journal records every seal up to the database's own sealing: seal.start,
# seal.resumed for a seal resumed before it, session.sealed last.
. tests/session/lib.sh
W=$(mktemp -d /tmp/sceau-test-XXXXXX)
trap 'rm -rf "$W"' EXIT
ceremony tests/data/demo-election.json
cast "$W/p" 6
printf '%s\n%s\n' "${PINS[0]}" "${PINS[1]}" > "$W/pins"
printf 'oui\n%s\n%s\n' "${PINS[0]}" "${PINS[1]}" > "$W/yes"
import_urn "$W/c" "$W/p" > /dev/null
count "$W/c" "$W/pins" "$W/slots/1" "$W/slots/2" > /dev/null 2>&1 || fail "count"
"$B/sceau" pv --session "$W/c" --slot "$W/slots/1" --slot "$W/slots/2" --script "$W/pins" \
	> /dev/null 2>&1 || fail "pv"
seal() { "$B/sceau" seal --session "$1" --slot "$W/slots/1" --slot "$W/slots/2" --script "$W/yes" "${@:2}"; }
events() { sql "$1/session.db" "SELECT group_concat(event, ' ') FROM (SELECT event FROM journal WHERE event LIKE 'seal%' OR event = 'session.sealed' ORDER BY seq)"; }
snapshot() { (cd "$1" && find . -type f -printf '%p %s %T@\n' | sort && find . -type f -exec sha256sum {} + | sort); }
sealed_at() { /usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["sealed_at"])' "$1/archive/manifest.json"; }

# --- a complete seal, then a second one --------------------------------------
cp -a "$W/c" "$W/s"
seal "$W/s" > "$W/first.out" 2>&1 || { cat "$W/first.out"; fail "first seal"; }
[ "$(events "$W/s")" = "seal.start session.sealed" ] || fail "journal: $(events "$W/s")"
snap=$(snapshot "$W/s")
sleep 1.1
for lang in fr en; do
	if seal "$W/s" --lang "$lang" > "$W/twice-$lang.out" 2>&1; then fail "sealed twice ($lang)"; fi
done
grep -q "\[ERREUR\] Cette session est déjà scellée et son archive est complète (.*archive.iso) : un second scellement est refusé. Rien n'a été modifié." \
	"$W/twice-fr.out" || { cat "$W/twice-fr.out"; fail "second seal: no French refusal"; }
grep -q "\[ERROR\] This session is already sealed and its archive is complete .*a second seal is refused" \
	"$W/twice-en.out" || { cat "$W/twice-en.out"; fail "second seal: no English refusal"; }
for lang in fr en; do
	[ "$(grep -c '\[ERR' "$W/twice-$lang.out")" = 1 ] || { cat "$W/twice-$lang.out"; fail "$lang: not one message"; }
done
grep -q "Tapez « oui » pour sceller" "$W/twice-fr.out" && fail "second seal: asked to confirm"
[ "$(snapshot "$W/s")" = "$snap" ] || fail "the second seal changed or wrote something"

# --- seals cut off, then resumed ---------------------------------------------
# cut POINT NAME: a copy of the counted session, sealed and killed at POINT.
cut() {
	rm -rf "$W/$2"
	cp -a "$W/c" "$W/$2"
	rc=0
	SCEAU_FAULT_AT="$1" seal "$W/$2" > "$W/$2-cut.out" 2>&1 || rc=$?
	[ "$rc" = 137 ] || { cat "$W/$2-cut.out"; fail "seal not killed at $1"; }
}
resume() { # NAME: the seal again, after the clock has moved on
	sleep 1.1
	seal "$W/$1" > "$W/$1.out" 2>&1 || { cat "$W/$1.out"; fail "$1: resumed seal"; }
	"$B/sceau-verify" "$W/$1/archive.iso" > "$W/$1-verify.out" 2>&1 ||
		{ tail -20 "$W/$1-verify.out"; fail "$1: the archive does not verify"; }
}
# After the database was sealed, the archive fully made but for its ISO
# image: the same archive, signatures reused, no card asked.
cut file:archive.iso:before-rename late
[ "$(sql "$W/late/session.db" "SELECT value FROM meta WHERE key='phase'")" = sealed ] || fail "late: phase"
cp -a "$W/late/archive" "$W/late-archive"
resume late
grep -q "Le scellement précédent n'est pas allé jusqu'au bout : il reprend" "$W/late.out" ||
	{ cat "$W/late.out"; fail "late: does not say it resumes"; }
grep -q "signatures du manifeste final données lors du scellement interrompu sont valides" "$W/late.out" ||
	fail "late: signatures not reused"
grep -q "tapez votre code secret" "$W/late.out" && fail "late: a card was asked again"
diff -r "$W/late-archive" "$W/late/archive" || fail "late: the archive is not the same"
[ "$(events "$W/late")" = "seal.start session.sealed" ] || fail "late: journal $(events "$W/late")"

# Cut after the manifest, before its signatures: the same manifest (same
# date), signed now.
cut file:manifest.json:after-rename mid
cp "$W/mid/archive/manifest.json" "$W/mid-manifest.json"
resume mid
cmp "$W/mid-manifest.json" "$W/mid/archive/manifest.json" || fail "mid: another manifest"
[ "$(sealed_at "$W/mid")" = "$(sql "$W/mid/session.db" "SELECT time FROM journal ORDER BY seq DESC LIMIT 1")" ] ||
	fail "mid: sealed_at is not the time of session.sealed"

# Cut before the database was sealed: resumed, and journaled as such.
cut file:firmware.txt:after-rename early
[ "$(sql "$W/early/session.db" "SELECT value FROM meta WHERE key='phase'")" = sealing ] || fail "early: phase"
resume early
grep -q "Le scellement précédent a été interrompu avant la fermeture de la session : il reprend" "$W/early.out" ||
	{ cat "$W/early.out"; fail "early: does not say it resumes"; }
grep -q "Tapez « oui » pour sceller" "$W/early.out" && fail "early: asked to confirm again"
[ "$(events "$W/early")" = "seal.start seal.resumed session.sealed" ] ||
	fail "early: journal $(events "$W/early")"
# and once complete, it is refused like any other
if seal "$W/early" > "$W/early-twice.out" 2>&1; then fail "early: sealed twice"; fi
grep -q "un second scellement est refusé" "$W/early-twice.out" || fail "early: second seal"
echo "seal twice: refused once complete (nothing changed); cut seals resumed with the same archive"
