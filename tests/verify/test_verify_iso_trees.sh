#!/bin/bash
# sceau-verify against ISO images whose trees disagree (issue 14, items 3,
# 7, 8). The audit's archive.iso: a Joliet tree (what Windows shows)
# pointing results.json at a forgery ("votants": 999) while Rock Ridge and
# ISO 9660 keep the signed file; it passed as CONFORME and must fail, and so
# must an archive.iso with another volume id or a second Joliet descriptor.
# An archived urn.iso holding an unsealed extra file fails its seal check.
# A FIFO in a directory archive fails instead of hanging. The archive.iso
# the box writes, and the same files written by xorriso, pass; the box's
# trees agree when read byte by byte (isoforge.py).
. tests/session/lib.sh
. tests/verify/archive.sh
W=$(mktemp -d /tmp/sceau-test-XXXXXX)
trap 'rm -rf "$W"' EXIT
export TMPDIR=$W/tmp
mkdir "$TMPDIR"
FORGE="/usr/bin/python3 tests/media/isoforge.py"
counted_session "$W/s" 10
seal "$W/s" "$W/a"
ISO=$W/s/archive.iso
[ -f "$ISO" ] || fail "sceau seal wrote no archive.iso"

# mkiso OUT VOLID DIR [xorriso -as mkisofs options...]
mkiso() {
	local out=$1 vol=$2 src=$3
	shift 3
	rm -f "$out"
	xorriso -as mkisofs -quiet -iso-level 3 -V "$vol" "$@" -o "$out" "$src" > /dev/null 2>&1 ||
		fail "xorriso: $out"
}

# --- the box's archive.iso: its trees agree, it passes ---------------------------
$FORGE list "$ISO" > "$W/a.list"
n=0
while read -r tree name ext size; do
	[ "$tree" = rr ] || continue
	n=$((n + 1))
	plain=$(/usr/bin/python3 -c 'import sys; n = sys.argv[1]; i = n.rfind(".")
print("".join("_" if c == "-" or (c == "." and k != i) else c.upper() for k, c in enumerate(n)))' "$name")
	grep -qx "iso $plain $ext $size" "$W/a.list" || fail "archive.iso: no ISO 9660 $plain at $ext"
	grep -qx "joliet $name $ext $size" "$W/a.list" || fail "archive.iso: no Joliet $name at $ext"
done < "$W/a.list"
[ "$n" -ge 12 ] && [ "$(wc -l < "$W/a.list")" = $((3 * n)) ] || fail "archive.iso: trees of unequal sizes"
rc=$(verify "$W/ok" "$ISO")
[ "$rc" = 0 ] || { cat "$W/ok.txt"; fail "the box's archive.iso: exit $rc"; }
mkiso "$W/x.iso" SCEAU_ARCHIVE "$W/a" -R -J
rc=$(verify "$W/x" "$W/x.iso")
[ "$rc" = 0 ] || { cat "$W/x.txt"; fail "the archive written by xorriso: exit $rc"; }

# --- the audit's forgery: Joliet's results.json says "votants": 999 --------------
cp -r "$W/a" "$W/f"
sed -e '0,/"votants": [0-9]*/s//"votants": 999/' "$W/a/results.json" > "$W/f/zzforged.json"
cmp -s "$W/a/results.json" "$W/f/zzforged.json" && fail "no votants to forge"
mkiso "$W/f.iso" SCEAU_ARCHIVE "$W/f" -R -J -hide zzforged.json -hide-joliet zzforged.json
$FORGE point-data "$W/f.iso" joliet results.json "$W/f/zzforged.json"
# what a reader of Joliet (Windows) would show: the forgery
bsdtar -xOf "$W/f.iso" --options 'iso9660:!rockridge' results.json | grep -q '"votants": 999' ||
	fail "the Joliet tree does not show the forgery"
bsdtar -xOf "$W/f.iso" results.json | cmp -s - "$W/a/results.json" ||
	fail "the Rock Ridge tree does not show the signed results"
rc=$(verify "$W/f" "$W/f.iso")
[ "$rc" = 1 ] || { cat "$W/f.txt"; fail "forged Joliet results.json: exit $rc"; }
grep -q "RÉSULTAT : ARCHIVE NON CONFORME" "$W/f.txt" || fail "forgery: no NON CONFORME"
grep -qF "arborescences Rock Ridge, Joliet et ISO 9660 de l'image ne montrent pas" "$W/f.txt" ||
	{ cat "$W/f.txt"; fail "forgery: the French report does not say why"; }
has_text "$W/f.json" archive "results.json: another size in the Joliet tree" ||
	{ cat "$W/f.txt"; fail "forgery: results.json not named"; }
# the same with a forgery of the signed file's size: only its bytes differ
cp -r "$W/a" "$W/g"
/usr/bin/python3 - "$W/a/results.json" "$W/g/zzforged.json" <<'PY'
import re, sys
t = open(sys.argv[1], encoding="utf-8").read()
f = re.sub(r'"votants": (\d+)', lambda m: '"votants": ' + "9" * len(m.group(1)), t, count=1)
assert f != t and len(f) == len(t)
open(sys.argv[2], "w", encoding="utf-8").write(f)
PY
mkiso "$W/g.iso" SCEAU_ARCHIVE "$W/g" -R -J -hide zzforged.json -hide-joliet zzforged.json
$FORGE point-data "$W/g.iso" joliet results.json "$W/g/zzforged.json"
rc=$(verify "$W/g" "$W/g.iso")
[ "$rc" = 1 ] || { cat "$W/g.txt"; fail "forged Joliet results.json of the same size: exit $rc"; }
has_text "$W/g.json" archive "results.json: the Joliet and Rock Ridge trees give different bytes" ||
	{ cat "$W/g.txt"; fail "same-size forgery: results.json not named"; }

# --- other archive images refused --------------------------------------------------
mkiso "$W/v.iso" SCEAU_URNE "$W/a" -R -J
rc=$(verify "$W/v" "$W/v.iso")
[ "$rc" = 1 ] || fail "archive.iso with volume id SCEAU_URNE: exit $rc"
has_text "$W/v.json" archive "not SCEAU_ARCHIVE" || { cat "$W/v.txt"; fail "volume id: not said"; }
cp "$ISO" "$W/j2.iso"
chmod u+w "$W/j2.iso"
$FORGE second-joliet "$W/j2.iso"
rc=$(verify "$W/j2" "$W/j2.iso")
[ "$rc" = 1 ] || fail "archive.iso with a second Joliet descriptor: exit $rc"
cp -r "$W/a" "$W/e"
echo x > "$W/e/notes.txt"
mkiso "$W/e.iso" SCEAU_ARCHIVE "$W/e" -R -J -hide-joliet notes.txt
rc=$(verify "$W/e" "$W/e.iso")
[ "$rc" = 1 ] || fail "archive.iso with a file only Linux shows: exit $rc"
has_text "$W/e.json" archive "notes.txt: absent in the Joliet tree" || { cat "$W/e.txt"; fail "notes.txt not named"; }

# --- item 7: the archived urn.iso holds an unsealed extra file ---------------------
cp -r "$W/a" "$W/u"
xorriso -osirrox on -indev "$W/a/urn.iso" -extract / "$W/urn" > /dev/null 2>&1 || fail "urn.iso"
chmod -R u+w "$W/urn"
echo "not sealed" > "$W/urn/notes.txt"
rm "$W/u/urn.iso"
mkiso "$W/u/urn.iso" SCEAU_URNE "$W/urn" -R -J
manifest "$W/u"
rc=$(verify "$W/u" "$W/u")
[ "$rc" = 1 ] || fail "urn.iso with an extra file: exit $rc"
grep -qw urn.seal <<< "$($REPORT failed "$W/u.json")" || { cat "$W/u.txt"; fail "urn.seal did not fail"; }
has_text "$W/u.json" urn.seal "holds a file notes.txt" || { cat "$W/u.txt"; fail "urn.seal: notes.txt not named"; }

# --- item 3: a FIFO in a directory archive -------------------------------------------
for f in results.json ballots-decrypted.bin urn.iso session.db; do
	cp -r "$W/a" "$W/ff"
	rm "$W/ff/$f"
	mkfifo "$W/ff/$f"
	rc=0
	timeout 60 "$V" --json "$W/ff.json" "$W/ff" > "$W/ff.txt" 2>&1 || rc=$?
	[ "$rc" != 124 ] || fail "a FIFO as $f: the verifier hangs"
	[ "$rc" = 1 ] || { cat "$W/ff.txt"; fail "a FIFO as $f: exit $rc"; }
	rm -rf "$W/ff"
done
mkfifo "$W/archive-fifo"
rc=0
timeout 60 "$V" "$W/archive-fifo" > "$W/af.txt" 2>&1 || rc=$?
[ "$rc" != 124 ] && [ "$rc" != 0 ] || fail "a FIFO as the archive: exit $rc"
[ -z "$(ls "$TMPDIR")" ] || fail "temporary files left behind: $(ls "$TMPDIR")"
echo "ok: ISO trees"
