#!/bin/bash
# sceau-verify on a real archive (issue 6): a sealed archive made by the
# real pipeline holds every check, as a directory and as an ISO image; a
# counted session holds with --session and fails without; the PV's QR
# codes, typed or scanned, match the archive, and one with another hash or
# a false signature is caught; a sample gives its seed and detection
# probabilities; wrong usage exits 2; the report speaks English on demand.
# (The PV PDFs read by default: test_verify_pdf.sh; session.db:
# test_verify_db.sh.)
. tests/session/lib.sh
. tests/verify/archive.sh
W=$(mktemp -d /tmp/sceau-test-XXXXXX)
trap 'rm -rf "$W"' EXIT
export TMPDIR=$W/tmp
mkdir "$TMPDIR"
counted_session "$W/s" 30
seal "$W/s" "$W/a"
A=$W/a

# the sealed archive holds
rc=$(verify "$W/ok" "$A")
[ "$rc" = 0 ] || { cat "$W/ok.txt"; fail "pristine archive: exit $rc"; }
grep -q "RÉSULTAT : ARCHIVE CONFORME" "$W/ok.txt" || fail "no French verdict"
for c in record election urn.seal urn.ballots emargement.seal emargement.entries shuffle \
	decrypted.file decrypted.proofs count signatures.results journal database manifest \
	signatures.manifest; do
	s=$($REPORT status "$W/ok.json" $c)
	case "$s" in pass|warn) ;; *) fail "pristine archive: $c is $s" ;; esac
done
[ "$($REPORT status "$W/ok.json" irregularities)" = warn ] || fail "the émargement irregularity is not shown"
has_note "$W/ok.json" count "identical, byte for byte" || fail "recount not identical"
[ "$($REPORT proofs "$W/ok.json" checked)" = 120 ] || fail "not every proof checked"
# per scrutin (v2): 30 ballots each, none set aside, every shuffle checked in full
/usr/bin/python3 - "$W/ok.json" <<'PY' || fail "per-scrutin report"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["crypto"] in ("openssl", "mbedtls"), r["crypto"]
assert len(r["scrutins"]) == 4, r["scrutins"]
for s in r["scrutins"]:
    assert s["ballots"] == 30 and s["shuffled"] == 30 and s["shuffle"] == "pass", s
    assert s["decrypted"] == 30 and s["proofs_checked"] == 30 and s["proofs_failed"] == 0, s
PY
# the other implementation of the checks gives the same verdict
for k in mbedtls openssl; do
	rc=$(verify "$W/ck-$k" "$A" --crypto $k --no-pdf)
	[ "$rc" = 0 ] || { cat "$W/ck-$k.txt"; fail "--crypto $k: exit $rc"; }
done
[ "$($REPORT status "$W/ok.json" pv.qr)" = pass ] || fail "pv.qr: the PV PDFs not read"

# the same archive as an ISO image
"$H" iso "$A" "$W/archive.iso" > /dev/null || fail "iso"
rc=$(verify "$W/iso" "$W/archive.iso" --jobs 1)
[ "$rc" = 0 ] || { cat "$W/iso.txt"; fail "ISO archive: exit $rc"; }
grep -q "image ISO .* extraite" "$W/iso.txt" || fail "ISO: not said"
[ -z "$(ls "$TMPDIR")" ] || fail "temporary files left behind: $(ls "$TMPDIR")"

# the counted session: holds with --session, not as a sealed archive
rc=$(verify "$W/sess" --session "$W/s")
[ "$rc" = 0 ] || { cat "$W/sess.txt"; fail "session: exit $rc"; }
[ "$($REPORT status "$W/sess.json" manifest)" = skip ] || fail "session: manifest not skipped"
rc=$(verify "$W/sess2" "$W/s")
[ "$rc" = 1 ] || fail "unsealed session accepted as an archive"
grep -qw manifest <<< "$($REPORT failed "$W/sess2.json")" || fail "session: missing manifest not failed"

# QR codes typed or read by a phone (lower case is accepted, as typed)
Q=$(qr_hashes "$A" 1)
S=$(qr_sigs "$A" 1)
rc=$(verify "$W/qr" "$A" --qr "$Q" --qr "$(echo "$S" | tr A-Z a-z)")
[ "$rc" = 0 ] || { cat "$W/qr.txt"; fail "good QR codes: exit $rc"; }
[ "$($REPORT status "$W/qr.json" pv.qr)" = pass ] || fail "good QR: pv.qr not pass"
has_note "$W/qr.json" pv.qr "signature of card 3 .* valid" || fail "QR: card 3 not named"
BAD=$(echo "$Q" | sed 's/:R:0/:R:1/; t; s/:R:./:R:0/')
rc=$(verify "$W/qrbad" "$A" --qr "$BAD")
[ "$rc" = 1 ] || fail "QR with another results hash: exit $rc"
[ "$($REPORT failed "$W/qrbad.json")" = pv.qr ] || fail "QR: other checks failed: $($REPORT failed "$W/qrbad.json")"
has_note "$W/qrbad.json" pv.qr "hash of results.json DIFFERENT" || fail "QR: results not named"
# another X (the hash of the shuffle files, v2)
BADX=$(echo "$Q" | sed 's/:X:0/:X:1/; t; s/:X:./:X:0/')
rc=$(verify "$W/qrbadx" "$A" --qr "$BADX")
[ "$rc" = 1 ] || fail "QR with another X: exit $rc"
[ "$($REPORT failed "$W/qrbadx.json")" = pv.qr ] || fail "QR X: other checks failed: $($REPORT failed "$W/qrbadx.json")"
has_note "$W/qrbadx.json" pv.qr "hash of the shuffle files (X) is not" || fail "QR: X not named"
# the last character of the last card's (card 3's) signature changed
BADS=$(echo "$S" | sed 's/0$/1/; t; s/.$/0/')
rc=$(verify "$W/qrsig" "$A" --qr "$BADS")
[ "$rc" = 1 ] || fail "QR with a false signature: exit $rc"
has_note "$W/qrsig.json" pv.qr "card 3 over the results is FALSE" || fail "QR: false signature not named"
rc=$(verify "$W/qrjunk" "$A" --qr "hello")
[ "$rc" = 1 ] || fail "junk QR accepted"

# a photographed or scanned PV page
"$H" qr "$W/page.png" "$Q" "$S" || fail "drawing the PV page"
"$H" qr "$W/page.pbm" "$Q" || fail "drawing the PBM page"
"$H" qr "$W/bad.jpg" "$BAD" "$S" || fail "drawing the bad page"
rc=$(verify "$W/scan" "$A" --scan "$W/page.png" --scan "$W/page.pbm")
[ "$rc" = 0 ] || { cat "$W/scan.txt"; fail "scanned PV: exit $rc"; }
[ "$(grep -c "code read" <<< "$($REPORT notes "$W/scan.json" pv.qr)")" = 3 ] || fail "scan: not 3 codes read"
rc=$(verify "$W/scanbad" "$A" --scan "$W/bad.jpg")
[ "$rc" = 1 ] || fail "scanned PV with another hash: exit $rc"
[ "$($REPORT failed "$W/scanbad.json")" = pv.qr ] || fail "scan: other checks failed"
printf 'P5 2 2 255\n\377\377\377\377' > "$W/white.pgm"
rc=$(verify "$W/scannone" "$A" --scan "$W/white.pgm")
[ "$rc" = 1 ] || fail "an image without a code accepted"
has_note "$W/scannone.json" pv.qr "no QR code found" || fail "empty image: message"

# the PV that sceau pv rendered, "printed" and scanned at 150 dpi by
# pdftoppm: its codes are found and match (pages without codes say so)
if has_cmd pv && command -v pdftoppm > /dev/null; then
	pdftoppm -r 150 -gray "$A/pv-1.pdf" "$W/pv1"
	read_codes=0
	for page in "$W"/pv1-*.pgm; do
		rc=$(verify "$W/page" "$A" --scan "$page")
		if has_note "$W/page.json" pv.qr "no QR code found"; then continue; fi
		[ "$rc" = 0 ] || { cat "$W/page.txt"; fail "rendered PV page $page: exit $rc"; }
		read_codes=$((read_codes + $(grep -c "code read" <<< "$($REPORT notes "$W/page.json" pv.qr)")))
	done
	[ "$read_codes" -ge 2 ] || fail "rendered PV: $read_codes codes read, expected both"
fi

# a sample of the proofs, seeded
rc=$(verify "$W/sample" "$A" --sample 10 --seed 7)
[ "$rc" = 0 ] || fail "sample: exit $rc"
[ "$($REPORT proofs "$W/sample.json" checked)" = 10 ] || fail "sample: not 10 proofs"
[ "$($REPORT proofs "$W/sample.json" seed)" = 7 ] || fail "sample: seed"
grep -q "graine 7" "$W/sample.txt" || fail "sample: seed not printed"
[ "$(grep -c "avec une probabilité de" "$W/sample.txt")" = 3 ] || fail "sample: detection lines"
grep -q "si 1 bulletin(s) étaient falsifiés, .* 8.3333 %" "$W/sample.txt" || fail "sample: P(k=1) is not 10/120"
# the sample never reaches the shuffle proofs: each is still checked in full
[ "$($REPORT status "$W/sample.json" shuffle)" = pass ] || fail "sample: shuffle not checked"
[ "$(grep -c "checked in full\|vérifiée en entier" "$W/sample.txt")" -ge 4 ] || fail "sample: a shuffle not checked in full"

# English, from --lang or from LANG
LANG=en_GB.UTF-8 "$V" "$A" --quiet > "$W/en.txt" || fail "English run"
grep -q "RESULT: ARCHIVE CONFORM" "$W/en.txt" || fail "LANG=en: not English"
"$V" --lang en "$A" > "$W/en2.txt" || fail "--lang en: exit"
grep -q "decrypted.proofs — Decryption proofs" "$W/en2.txt" || fail "--lang en"

# usage errors exit 2
for args in "" "--jobs 0 $A" "--sample x $A" "--lang de $A" "$A $A" "--bogus $A" "--crypto nss $A"; do
	rc=0
	# shellcheck disable=SC2086
	"$V" $args > /dev/null 2>&1 || rc=$?
	[ "$rc" = 2 ] || fail "usage: exit $rc, not 2: $args"
done
rc=$(verify "$W/none" "$W/nowhere")
[ "$rc" = 1 ] || fail "missing archive: exit $rc"
echo "all archive checks passed"
