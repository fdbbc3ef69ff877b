#!/bin/bash
# The PVs read as a person and a phone would: pdftotext finds every number
# of results.json on the PV of its scrutin (tests/pv/pv_check.py), in French
# and in English, with accents intact; a 20-list x 40-candidate PV flows
# over pages with "page x/y" and the results hash on each and every
# candidate once; every QR code decodes (zbarimg) to exactly the payloads of
# docs/FORMATS.md, from the PDF (pdftoppm), the PostScript (Ghostscript)
# and the thermal rasters, and pv_qr_parse round-trips each of them.
# Needs SCEAU_BUILD (a build with tests) and SCEAU_TOP; runs from the root.
set -eu
bin="$SCEAU_BUILD/tests/pv/test_pv"
check="$SCEAU_TOP/tests/pv/pv_check.py"
tmp=$(mktemp -d /tmp/sceau-test-pv.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$bin" --write "$tmp" || fail "test_pv --write"

# --- every number, as printed (in the background, beside the QR codes) -----
(
	python3 "$check" small "$tmp/results.json" "$tmp/session" || fail "numbers (French)"
	python3 "$check" small "$tmp/results.json" "$tmp/en" en || fail "numbers (English)"
	python3 "$check" big "$tmp/big/results.json" "$tmp/big" || fail "big PV flow"
	python3 "$check" banner "$tmp/sim.pdf" "SIMULATION — SANS VALEUR POUR UNE ÉLECTION RÉELLE" ||
		fail "simulation banner on every page"
) >"$tmp/text.log" 2>&1 &
text_checks=$!
if pdftotext "$tmp/session/pv-1.pdf" - | grep -q SIMULATION; then
	fail "simulation banner on a real PV"
fi

# --- accents (É, è, ç, œ, Œ, « ») -----------------------------------------------
text=$(pdftotext -enc UTF-8 "$tmp/session/pv-1.pdf" -)
for w in "Électeurs" "Lefèvre" "Garçon" "Dubœuf" "Œuvray" "Liste CGT « Unité »" "Besançon"; do
	grep -qF -- "$w" <<<"$text" || fail "accents: '$w' not in the text of pv-1.pdf"
done
grep -qF "Noël Lœwy, assesseur" <<<"$(pdftotext -enc UTF-8 "$tmp/session/pv-ceremony.pdf" -)" ||
	fail "accents: member name on the ceremony PV"

# --- the shuffle: one sentence on each scrutin's PV, X among the hashes --------
tr '\n' ' ' <<<"$text" | tr -s ' ' |
	grep -qF "les bulletins ont été mélangés et rechiffrés de façon vérifiable" ||
	fail "pv-1.pdf does not say that the ballots were shuffled verifiably"
grep -qF "X — mélanges vérifiables" <<<"$(pdftotext -enc UTF-8 "$tmp/session/pv-summary.pdf" -)" ||
	fail "pv-summary.pdf does not list X, the shuffle files' hash"

# --- QR codes ------------------------------------------------------------------
# decoded payloads (one per line) against the expected ones of a document
codes_match() { # stem file-of-decoded what
	local want got
	want=$(grep "^$1 " "${payloads:-$tmp/payloads.txt}" | cut -d' ' -f2- | sort -u)
	got=$(sort -u "$2")
	[ -n "$want" ] || fail "no expected payload for $1"
	if [ "$want" != "$got" ]; then
		diff <(echo "$want") <(echo "$got") | head -5
		fail "QR codes of $1 ($3)"
	fi
	while read -r p; do
		[ "$("$bin" --qr "$p")" = "$p" ] || fail "pv_qr_parse round trip: $p"
	done <"$2"
}

# the pages that show a code (its caption), 1-based
qr_pages() { # pdf
	pdftotext -raw -enc UTF-8 "$1" - | awk 'BEGIN { RS = "\f" }
		/Code 1 :|Code 2 :/ { print NR }'
}

mkdir -p "$tmp/png" "$tmp/ps"
for stem in pv-summary pv-ceremony pv-1 pv-2 pv-3; do
	for k in $(qr_pages "$tmp/session/$stem.pdf"); do
		pdftoppm -r 150 -gray -png -f "$k" -l "$k" "$tmp/session/$stem.pdf" \
			"$tmp/png/$stem-p$k"
	done
	zbarimg --raw -q -Sdisable -Sqrcode.enable "$tmp/png/$stem"-*.png >"$tmp/$stem.pdf.codes" 2>/dev/null || true
	codes_match "$stem" "$tmp/$stem.pdf.codes" "PDF at 150 dpi"
done

# nine cards: the longest signatures code, on A4 and on a 58 mm roll
for k in $(qr_pages "$tmp/nine/pv-1.pdf"); do
	pdftoppm -r 150 -gray -png -f "$k" -l "$k" "$tmp/nine/pv-1.pdf" "$tmp/png/nine-p$k"
done
zbarimg --raw -q -Sdisable -Sqrcode.enable "$tmp/png/nine"-*.png >"$tmp/nine.codes" 2>/dev/null || true
payloads="$tmp/nine/payloads.txt" codes_match pv-1 "$tmp/nine.codes" "nine cards, PDF"
zbarimg --raw -q -Sdisable -Sqrcode.enable "$tmp/nine/raster/pv-1-384"-*.pbm >"$tmp/nine.384.codes" 2>/dev/null || true
payloads="$tmp/nine/payloads.txt" codes_match pv-1 "$tmp/nine.384.codes" "nine cards, 384 px"
grep -q ":9:" "$tmp/nine.codes" || fail "nine cards: the ninth signature"

for stem in pv-summary pv-1; do
	gs -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=png16m -r150 \
		-o "$tmp/ps/$stem-%02d.png" "$tmp/session/$stem.ps"
	zbarimg --raw -q -Sdisable -Sqrcode.enable "$tmp/ps/$stem"-*.png >"$tmp/$stem.ps.codes" 2>/dev/null || true
	codes_match "$stem" "$tmp/$stem.ps.codes" "PostScript through Ghostscript"
done

for sw in pv-summary:384 pv-1:384 pv-1:576; do
	stem=${sw%:*} w=${sw#*:}
	zbarimg --raw -q -Sdisable -Sqrcode.enable "$tmp/raster/$stem-$w"-*.pbm >"$tmp/$stem.$w.codes" 2>/dev/null || true
	codes_match "$stem" "$tmp/$stem.$w.codes" "raster $w px"
done

# fonts: DejaVu, embedded in the PDF
pdffonts "$tmp/session/pv-1.pdf" | awk 'NR > 2 && ($0 !~ /DejaVu/ || $(NF-4) != "yes") {
	print "not embedded: " $0; bad = 1 } END { exit bad }' || fail "fonts not embedded"

# the single file holds every document
pages=0
for f in "$tmp"/session/*.pdf; do
	pages=$((pages + $(pdfinfo "$f" | awk '/^Pages:/ {print $2}')))
done
[ "$(pdfinfo "$tmp/all.pdf" | awk '/^Pages:/ {print $2}')" -eq "$pages" ] ||
	fail "all.pdf does not hold every page"
gs -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=nullpage "$tmp/all.ps" || fail "all.ps"

if ! wait "$text_checks"; then
	cat "$tmp/text.log"
	fail "text of the PVs"
fi
echo "PV checks passed"
