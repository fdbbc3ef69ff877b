#!/bin/bash
# sceau pv and sceau seal (issue 5): the results are signed by the cards
# present, the PVs are rendered, the session is sealed after an explicit
# "oui", the archive and its ISO image hold every file with the hashes of
# the signed manifest, and afterwards every command that would change the
# session is refused with a clear message.
. tests/session/lib.sh
W=$(mktemp -d /tmp/sceau-test-XXXXXX)
trap 'rm -rf "$W"' EXIT
ceremony tests/data/demo-election.json
cast "$W/p" 40
import_urn "$W/s" "$W/p" > /dev/null
printf '%s\n%s\n' "${PINS[0]}" "${PINS[1]}" > "$W/pins12"
count "$W/s" "$W/pins12" "$W/slots/1" "$W/slots/2" > /dev/null 2>&1 || fail "count"

# seal before the PVs: refused
if "$B/sceau" seal --session "$W/s" --slot "$W/slots/1" --script "$W/pins12" \
	> "$W/early.out" 2>&1; then fail "sealed before the PVs"; fi
grep -q "sceau pv" "$W/early.out" || { cat "$W/early.out"; fail "early seal: no hint"; }

# the PVs, signed by the three members
printf '%s\n%s\n%s\n' "${PINS[0]}" "${PINS[1]}" "${PINS[2]}" > "$W/pins123"
"$B/sceau" pv --session "$W/s" --slot "$W/slots/1" --slot "$W/slots/2" --slot "$W/slots/3" \
	--script "$W/pins123" > "$W/pv.out" 2>&1 || { cat "$W/pv.out"; fail "pv"; }
grep -c "signature de .* enregistrée et vérifiée" "$W/pv.out" | grep -qx 3 || fail "3 signatures"
ls "$W/s/pv/"pv-1.pdf "$W/s/pv/"pv-summary.pdf > /dev/null || fail "PV files"

# printing (a reprint reuses the signatures): PostScript for an office
# printer, ESC/POS raster for a 58 mm thermal printer, and a failure that
# tells the bureau how to retry
"$B/sceau" pv --session "$W/s" --slot "$W/slots/1" --script /dev/null \
	--printer "file:$W/office.ps" > "$W/print.out" 2>&1 || { cat "$W/print.out"; fail "print PS"; }
grep -q "langage PostScript" "$W/print.out" || fail "PS printer not recognised"
gs -q -dNOPAUSE -dBATCH -sDEVICE=pnggray -r100 -sOutputFile="$W/office-%03d.png" "$W/office.ps" ||
	fail "the printed PostScript does not render"
"$B/sceau" pv --session "$W/s" --slot "$W/slots/1" --script /dev/null \
	--printer "file:$W/thermal.escpos" --paper 58 > "$W/escpos.out" 2>&1 ||
	{ cat "$W/escpos.out"; fail "print ESC/POS"; }
head -c 2 "$W/thermal.escpos" | od -An -tx1 | grep -q "1b 40" || fail "no ESC @ at the start"
if "$B/sceau" pv --session "$W/s" --slot "$W/slots/1" --script /dev/null \
	--printer "usblp:$W/no-such-printer" > "$W/fail.out" 2>&1; then fail "absent printer"; fi
grep -q "relancez la même commande" "$W/fail.out" || { cat "$W/fail.out"; fail "no retry hint"; }
[ -s "$W/s/pv/pv-1.pdf" ] || fail "the PDF is gone after a failed print"

# sealing needs an explicit yes
printf 'non\n' > "$W/no"
if "$B/sceau" seal --session "$W/s" --slot "$W/slots/1" --script "$W/no" > "$W/no.out" 2>&1; then
	fail "sealed without a yes"
fi
[ "$(sql "$W/s/session.db" "SELECT value FROM meta WHERE key='phase'")" = counted ] || fail "phase moved"
printf 'oui\n%s\n%s\n' "${PINS[0]}" "${PINS[2]}" > "$W/yes"
"$B/sceau" seal --session "$W/s" --slot "$W/slots/1" --slot "$W/slots/3" --script "$W/yes" \
	> "$W/seal.out" 2>&1 || { cat "$W/seal.out"; fail "seal"; }
grep -q "Session scellée" "$W/seal.out" || fail "no sealed message"

# the archive: every file of the manifest, with its hash; the ISO holds the same
/usr/bin/python3 - "$W/s/archive" <<'PY' || fail "archive does not match its manifest"
import hashlib, json, os, sys
a = sys.argv[1]
m = json.load(open(os.path.join(a, "manifest.json")))
names = sorted(f["name"] for f in m["files"])
assert [f["name"] for f in m["files"]] == names, "not sorted"
on_disk = sorted(set(os.listdir(a)) - {"manifest.json", "signatures-manifest.json"})
assert names == on_disk, (names, on_disk)
for f in m["files"]:
    data = open(os.path.join(a, f["name"]), "rb").read()
    assert len(data) == f["size"] and hashlib.sha256(data).hexdigest() == f["sha256"], f["name"]
for need in ("results.json", "session.db", "urn.iso", "ballots-decrypted.bin",
             "signatures-results.json", "pv-1.pdf", "firmware.txt"):
    assert need in names, need
s = json.load(open(os.path.join(a, "signatures-manifest.json")))
assert s["subject"] == "manifest" and [x["card"] for x in s["signatures"]] == [1, 3]
PY
xorriso -indev "$W/s/archive.iso" -find / -type f 2>/dev/null | grep -q "manifest.json" ||
	fail "archive.iso has no manifest"

# after the seal, nothing that changes the session is accepted
phase=$(sql "$W/s/session.db" "SELECT value FROM meta WHERE key='phase'")
[ "$phase" = sealed ] || fail "phase $phase"
if count "$W/s" "$W/pins12" "$W/slots/1" "$W/slots/2" > "$W/c.out" 2>&1; then fail "count after seal"; fi
if "$B/sceau" pv --session "$W/s" --slot "$W/slots/1" --script "$W/pins12" > "$W/p.out" 2>&1; then
	fail "pv after seal"
fi
grep -q "La session est scellée" "$W/p.out" || { cat "$W/p.out"; fail "pv after seal: message"; }
if import_urn "$W/s" "$W/p" > "$W/i.out" 2>&1; then fail "import after seal"; fi
before=$(sql "$W/s/session.db" 'SELECT count(*) FROM journal')
[ "$before" = "$(sql "$W/s/archive/session.db" 'SELECT count(*) FROM journal')" ] ||
	fail "the journal changed after the seal"
echo "all seal checks passed"
