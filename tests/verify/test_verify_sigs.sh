#!/bin/bash
# The signatures of an archive have one valid form and the count the
# election asks for (issue 14, items 9, 10 and 13):
#  - fewer card signatures than the threshold t, on the results or on the
#    final manifest, or in a PV code typed with --qr, is a failure;
#  - a card signature in its other valid form (r, n - s) is refused, and
#    every signature the box stored is the low-s one;
#  - the platform's seal (manifest.sig in urn.iso) in upper-case hex is
#    refused: FORMATS.md says 128 lower-case hex digits.
. tests/session/lib.sh
. tests/verify/archive.sh
W=$(mktemp -d /tmp/sceau-test-XXXXXX)
trap 'rm -rf "$W"' EXIT
counted_session "$W/s" 10
seal "$W/s" "$W/a"

# copy NAME: a writable copy of the archive
copy() { cp -r "$W/a" "$W/$1"; chmod -R u+w "$W/$1"; }

# --- every stored card signature is low-s -------------------------------------
for f in signatures-results.json signatures-manifest.json; do
	[ -z "$(high_s "$W/a/$f")" ] || fail "$f: card(s) $(high_s "$W/a/$f") stored with a high s"
done

# --- a card's signature removed from the final manifest's signatures -----------
# (nothing covers signatures-manifest.json but its own signatures)
copy m1
sigs_edit "$W/m1/signatures-manifest.json" drop 3
rc=$(verify "$W/m1" "$W/m1")
[ "$rc" = 1 ] || { cat "$W/m1.txt"; fail "manifest signed by 1 card of 2: exit $rc"; }
[ "$($REPORT failed "$W/m1.json")" = signatures.manifest ] ||
	fail "manifest signed by 1 card: failed $($REPORT failed "$W/m1.json")"
has_note "$W/m1.json" signatures.manifest "signed by 1 card(s), fewer than the 2" ||
	{ cat "$W/m1.txt"; fail "manifest signed by 1 card: not said"; }

# --- the same on the results, consistently resealed -----------------------------
copy r1
sigs_edit "$W/r1/signatures-results.json" drop 3
db_put_file "$W/r1/session.db" signatures-results.json "$W/r1/signatures-results.json"
manifest "$W/r1"
rc=$(verify "$W/r1" "$W/r1")
[ "$rc" = 1 ] || { cat "$W/r1.txt"; fail "results signed by 1 card of 2: exit $rc"; }
grep -qw signatures.results <<< "$($REPORT failed "$W/r1.json")" ||
	fail "results signed by 1 card: failed $($REPORT failed "$W/r1.json")"
has_note "$W/r1.json" signatures.results "signed by 1 card(s), fewer than the 2" ||
	{ cat "$W/r1.txt"; fail "results signed by 1 card: not said"; }

# --- a PV code carrying one signature ---------------------------------------------
S=$(qr_sigs "$W/a" 1)
ONE=$(sed 's/:3:[0-9A-F]*$//' <<< "$S")
[ "$ONE" != "$S" ] || fail "no card 3 in the signatures code"
rc=$(verify "$W/q1" "$W/a" --qr "$ONE")
[ "$rc" = 1 ] || { cat "$W/q1.txt"; fail "QR code with 1 signature of 2: exit $rc"; }
[ "$($REPORT failed "$W/q1.json")" = pv.qr ] || fail "QR with 1 signature: failed $($REPORT failed "$W/q1.json")"
has_note "$W/q1.json" pv.qr "1 signature(s), fewer than the 2" || { cat "$W/q1.txt"; fail "QR: not said"; }

# --- a card signature in its high-s form -------------------------------------------
copy h1
sigs_edit "$W/h1/signatures-manifest.json" high 1
[ "$(high_s "$W/h1/signatures-manifest.json")" = 1 ] || fail "high-s form not made"
rc=$(verify "$W/h1" "$W/h1")
[ "$rc" = 1 ] || { cat "$W/h1.txt"; fail "high-s card signature accepted"; }
[ "$($REPORT failed "$W/h1.json")" = signatures.manifest ] ||
	fail "high s: failed $($REPORT failed "$W/h1.json")"
has_note "$W/h1.json" signatures.manifest "card 1's signature is not in its low-s form" ||
	{ cat "$W/h1.txt"; fail "high s: not said"; }
# and in a typed code
HQ=$(/usr/bin/python3 - "$S" <<'PY'
import sys
n = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551
p = sys.argv[1].split(":")
i = p.index("1", 5) + 1
p[i] = p[i][:64] + "%064X" % (n - int(p[i][64:], 16))
print(":".join(p))
PY
)
rc=$(verify "$W/q2" "$W/a" --qr "$HQ")
[ "$rc" = 1 ] || { cat "$W/q2.txt"; fail "QR code with a high-s signature: exit $rc"; }
has_note "$W/q2.json" pv.qr "card 1's signature is not in its low-s form" || { cat "$W/q2.txt"; fail "QR high s: not said"; }

# --- the platform's seal in upper-case hex --------------------------------------------
# Same length, so urn.iso stays a valid image: only the seal's form changes.
copy u1
sig=$(bsdtar -xOf "$W/a/urn.iso" manifest.sig | head -c 128)
/usr/bin/python3 - "$W/u1/urn.iso" "$sig" <<'PY'
import sys
path, sig = sys.argv[1], sys.argv[2].encode()
b = open(path, "rb").read()
assert b.count(sig) == 1, "the seal is not in the image once"
open(path, "wb").write(b.replace(sig, sig.upper()))
PY
[ "$(bsdtar -xOf "$W/u1/urn.iso" manifest.sig | head -c 128)" != "$sig" ] || fail "seal not changed"
rc=$(verify "$W/u1" "$W/u1")
[ "$($REPORT status "$W/u1.json" urn.seal)" = fail ] || { cat "$W/u1.txt"; fail "upper-case seal accepted"; }
has_note "$W/u1.json" urn.seal "128 lower-case hex digits" || { cat "$W/u1.txt"; fail "upper-case seal: not said"; }
echo "signature counts, forms and hex case checked"
