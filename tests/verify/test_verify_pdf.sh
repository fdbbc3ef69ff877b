#!/bin/bash
# The PV PDFs of the archive are read by default (issue 14, item 12): every
# page rendered, its QR codes decoded and checked against the journal, the
# files and the signatures, without --scan. A box that rewrote its journal
# after printing (the chain recomputed, the new head sealed) is caught by
# the head printed on its own PVs; so is a PV of another scrutin, a PV
# without codes and an archive without PV.
. tests/session/lib.sh
. tests/verify/archive.sh
W=$(mktemp -d /tmp/sceau-test-XXXXXX)
trap 'rm -rf "$W"' EXIT
counted_session "$W/s" 10
seal "$W/s" "$W/a"
copy() { cp -r "$W/a" "$W/$1"; chmod -R u+w "$W/$1"; }
npdf=$(ls "$W/a"/pv-*.pdf | wc -l)
[ "$npdf" -ge 3 ] || fail "only $npdf PV PDFs in the archive"

# the pristine archive: every PDF's two codes read and matching
rc=$(verify "$W/ok" "$W/a")
[ "$rc" = 0 ] || { cat "$W/ok.txt"; fail "pristine archive: exit $rc"; }
[ "$($REPORT status "$W/ok.json" pv.qr)" = pass ] || { cat "$W/ok.txt"; fail "pv.qr not pass"; }
notes=$($REPORT notes "$W/ok.json" pv.qr)
[ "$(grep -c "^pv-.*\.pdf: [0-9]* page(s); hashes and signatures codes of scrutin [0-9]* read, matching the archive" <<< "$notes")" = "$npdf" ] ||
	{ echo "$notes"; fail "not both codes read in each PDF"; }
grep -q "^pv-2.pdf: [0-9]* page(s); hashes and signatures codes of scrutin 2 read" <<< "$notes" ||
	{ echo "$notes"; fail "pv-2.pdf: not scrutin 2's codes"; }
grep -q "^pv-summary.pdf: [0-9]* page(s); hashes and signatures codes of scrutin 0 read" <<< "$notes" ||
	{ echo "$notes"; fail "pv-summary.pdf: not scrutin 0's codes"; }
grep -q "^$npdf PV PDF file(s), [0-9]* page(s) rendered and read in [0-9.]* s" <<< "$notes" ||
	{ echo "$notes"; fail "time not reported"; }

# the counted session (its PVs in pv/) holds with --session (a warning: no
# final manifest yet to check the firmware's hash against)
rc=$(verify "$W/sess" --session "$W/s")
[ "$rc" = 0 ] || { cat "$W/sess.txt"; fail "session: exit $rc"; }
[ "$($REPORT status "$W/sess.json" pv.qr)" = warn ] || { cat "$W/sess.txt"; fail "session: pv.qr not warn"; }
has_note "$W/sess.json" pv.qr "^pv/pv-1.pdf: [0-9]* page(s); hashes and signatures codes of scrutin 1" ||
	{ cat "$W/sess.txt"; fail "session: pv/pv-1.pdf not read"; }

# a rewritten journal: one entry before the printing changed, every hash
# after it recomputed, the final manifest rebuilt with the new head and
# re-signed; the PVs in the archive still print the old head
copy j
sqlite3 "$W/j/session.db" "DROP TRIGGER journal_no_update;
	UPDATE journal SET detail = replace(detail, 'reader=', 'reader=/elsewhere')
	WHERE event = 'count.card-accepted'"
rechain "$W/j/session.db"
manifest "$W/j"
rc=$(verify "$W/j" "$W/j")
[ "$rc" = 1 ] || { cat "$W/j.txt"; fail "rewritten journal accepted"; }
[ "$($REPORT failed "$W/j.json")" = pv.qr ] || { cat "$W/j.txt"; fail "rewritten journal: failed $($REPORT failed "$W/j.json")"; }
has_note "$W/j.json" pv.qr "^pv-1.pdf page [0-9]*: the printed journal head is no entry of the archive's journal" ||
	{ cat "$W/j.txt"; fail "rewritten journal: pv-1.pdf not named"; }
# --no-pdf leaves the PVs unread, and the report says so
rc=$(verify "$W/jn" "$W/j" --no-pdf)
[ "$rc" = 0 ] || { cat "$W/jn.txt"; fail "--no-pdf: exit $rc"; }
[ "$($REPORT status "$W/jn.json" pv.qr)" = warn ] || fail "--no-pdf: pv.qr not warn"
has_note "$W/jn.json" pv.qr "PV PDFs are not read (--no-pdf): their codes are not checked" ||
	{ cat "$W/jn.txt"; fail "--no-pdf: not said"; }

# a PV of scrutin 2 in place of scrutin 1's, resealed
copy swap
cp "$W/a/pv-2.pdf" "$W/swap/pv-1.pdf"
manifest "$W/swap"
rc=$(verify "$W/swap" "$W/swap")
[ "$rc" = 1 ] || { cat "$W/swap.txt"; fail "swapped PV accepted"; }
has_note "$W/swap.json" pv.qr "^pv-1.pdf page [0-9]*: a code of scrutin 2, but this PV is scrutin 1's" ||
	{ cat "$W/swap.txt"; fail "swapped PV: not said"; }

# a PDF without codes, resealed
copy blank
printf '%%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj 3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%%%EOF\n' \
	> "$W/blank/pv-summary.pdf"
manifest "$W/blank"
rc=$(verify "$W/blank" "$W/blank")
[ "$rc" = 1 ] || { cat "$W/blank.txt"; fail "PV without codes accepted"; }
has_note "$W/blank.json" pv.qr "^pv-summary.pdf: no hashes code" || { cat "$W/blank.txt"; fail "blank PV: not said"; }

# not a PDF
copy junk
printf 'not a pdf\n' > "$W/junk/pv-3.pdf"
manifest "$W/junk"
rc=$(verify "$W/junk" "$W/junk")
[ "$rc" = 1 ] || fail "junk PDF accepted"
has_note "$W/junk.json" pv.qr "^pv-3.pdf: " || { cat "$W/junk.txt"; fail "junk PDF: not named"; }

# a sealed archive without any PV
copy none
rm "$W/none"/pv-*.pdf
manifest "$W/none"
rc=$(verify "$W/none" "$W/none")
[ "$rc" = 1 ] || fail "archive without PV accepted"
has_note "$W/none.json" pv.qr "no PV (pv-\*.pdf) in the archive" || { cat "$W/none.txt"; fail "no PV: not said"; }
echo "the archive's PV PDFs read by default ($npdf files)"
