#!/bin/bash
# Hostile media against `sceau import` (issue 14, items 3, 7, 8). An image
# must hold exactly its documented files, its Rock Ridge, Joliet and ISO
# 9660 trees must show the same names and the same bytes, and its volume
# descriptors must carry no other tree: each image below is refused, with
# the French message naming the cause, and nothing of it is archived. A
# FIFO given as a medium or an input file is refused at once instead of
# hanging. The platform's images, and the same files written by xorriso (a
# writer a real platform may use), are accepted; the trees of the images
# the box writes agree when read byte by byte (isoforge.py, not libarchive).
. tests/session/lib.sh
W=$(mktemp -d /tmp/sceau-test-XXXXXX)
trap 'rm -rf "$W"' EXIT
FORGE="/usr/bin/python3 tests/media/isoforge.py"
sed -e 's/"inscrits": [0-9]*/"inscrits": 40/' tests/data/demo-election.json > "$W/election.json"
ceremony "$W/election.json"
cast "$W/p" 3
U=$W/p/urn.iso
E=$W/p/emargement.iso
for k in urn emargement; do
	xorriso -osirrox on -indev "$W/p/$k.iso" -extract / "$W/$k" > /dev/null 2>&1 ||
		fail "extracting $k.iso"
	chmod -R u+w "$W/$k"
done

# mkiso OUT VOLID DIR [xorriso -as mkisofs options...]
mkiso() {
	local out=$1 vol=$2 src=$3
	shift 3
	rm -f "$out"
	xorriso -as mkisofs -quiet -iso-level 3 -V "$vol" "$@" -o "$out" "$src" > /dev/null 2>&1 ||
		fail "xorriso: $out"
}

# run NAME URN EMARGEMENT: the import's exit status (124: it hung)
run() {
	local rc=0
	rm -rf "$W/s-$1"
	timeout 30 "$B/sceau" import --session "$W/s-$1" --record "$W/ceremony/record.json" \
		--definition "$W/ceremony/election.json" --urn "$2" --emargement "$3" \
		> "$W/$1.log" 2>&1 || rc=$?
	echo "$rc"
}

# refused NAME URN EMARGEMENT FRENCH DETAIL: refused, saying both, archiving nothing
refused() {
	local rc
	rc=$(run "$1" "$2" "$3")
	[ "$rc" = 124 ] && fail "$1: the import hangs"
	[ "$rc" != 0 ] || { cat "$W/$1.log"; fail "$1: accepted"; }
	grep -qF -- "$4" "$W/$1.log" || { cat "$W/$1.log"; fail "$1: no \"$4\""; }
	grep -qF -- "$5" "$W/$1.log" || { cat "$W/$1.log"; fail "$1: no \"$5\""; }
	[ ! -e "$W/s-$1/urn.iso" ] || fail "$1: urn.iso archived"
	[ ! -e "$W/s-$1/urn.iso.part" ] || fail "$1: urn.iso.part left"
}

accepted() { # NAME URN EMARGEMENT
	local rc
	rc=$(run "$1" "$2" "$3")
	[ "$rc" = 0 ] || { cat "$W/$1.log"; fail "$1: refused (exit $rc)"; }
}

LAYOUT="le support n'a pas la forme prévue"
TREES="les arborescences du support (Rock Ridge, Joliet, ISO 9660) ne montrent pas les mêmes fichiers"

# --- the trees of what the box writes agree, read independently -------------
# (ISO 9660 names: upper case, '-' and all dots but the last made '_')
$FORGE list "$U" > "$W/u.list"
while read -r tree name ext size; do
	[ "$tree" = rr ] || continue
	plain=$(/usr/bin/python3 -c 'import sys; n = sys.argv[1]; i = n.rfind(".")
print("".join("_" if c == "-" or (c == "." and k != i) else c.upper() for k, c in enumerate(n)))' "$name")
	grep -qx "iso $plain $ext $size" "$W/u.list" || fail "urn.iso: no ISO 9660 $plain at $ext ($size)"
	grep -qx "joliet $name $ext $size" "$W/u.list" || fail "urn.iso: no Joliet $name at $ext ($size)"
done < "$W/u.list"
[ "$(grep -c '^rr ' "$W/u.list")" = 3 ] || fail "urn.iso: not 3 Rock Ridge names"
[ "$(wc -l < "$W/u.list")" = 9 ] || fail "urn.iso: not 3 files in each tree"

# --- accepted: the platform's images, and xorriso's ---------------------------
accepted platform "$U" "$E"
mkiso "$W/x-urn.iso" SCEAU_URNE "$W/urn" -R -J
mkiso "$W/x-em.iso" SCEAU_EMARGEMENT "$W/emargement" -R -J
accepted xorriso "$W/x-urn.iso" "$W/x-em.iso"

# --- item 7: exactly the documented files --------------------------------------
cp -r "$W/urn" "$W/extra"
echo "a note the platform did not seal" > "$W/extra/notes.txt"
mkiso "$W/extra.iso" SCEAU_URNE "$W/extra" -R -J
refused extra "$W/extra.iso" "$E" "$LAYOUT" "le support contient un fichier notes.txt"
cp -r "$W/emargement" "$W/extra-em"
echo x > "$W/extra-em/notes.txt"
mkiso "$W/extra-em.iso" SCEAU_EMARGEMENT "$W/extra-em" -R -J
refused extra-em "$U" "$W/extra-em.iso" "$LAYOUT" "le support contient un fichier notes.txt"
cp -r "$W/urn" "$W/sub"
mkdir "$W/sub/more"
echo x > "$W/sub/more/ballots.bin"
mkiso "$W/sub.iso" SCEAU_URNE "$W/sub" -R -J
refused subdir "$W/sub.iso" "$E" "$LAYOUT" "« more » (arborescence Rock Ridge) n'est pas un fichier placé à la racine"
# two entries named manifest.json in every tree (renamed in place)
cp -r "$W/urn" "$W/dup"
cp "$W/urn/manifest.json" "$W/dup/manifest.jsoo"
mkiso "$W/dup.iso" SCEAU_URNE "$W/dup" -R -J
$FORGE rename "$W/dup.iso" rr manifest.jsoo manifest.json
$FORGE rename "$W/dup.iso" joliet manifest.jsoo manifest.json
$FORGE rename "$W/dup.iso" iso MANIFEST.JSOO MANIFEST.JSON
refused duplicate "$W/dup.iso" "$E" "$LAYOUT" "deux fichiers nommés manifest.json"
mkiso "$W/vol.iso" SCEAU_EMARGEMENT "$W/urn" -R -J
refused volume-id "$W/vol.iso" "$E" "$LAYOUT" "au lieu de SCEAU_URNE"

# --- item 8: trees that disagree -------------------------------------------------
# an unsealed file only Windows shows, or only Linux
mkiso "$W/jx.iso" SCEAU_URNE "$W/extra" -R -J -hide notes.txt
refused joliet-only "$W/jx.iso" "$E" "$TREES" "l'arborescence Joliet montre 4 fichier(s), l'arborescence Rock Ridge 3"
mkiso "$W/rx.iso" SCEAU_URNE "$W/extra" -R -J -hide-joliet notes.txt
refused rr-only "$W/rx.iso" "$E" "$TREES" "notes.txt : absent de l'arborescence Joliet"
# Rock Ridge names another file than Joliet and ISO 9660
cp "$U" "$W/rn.iso"
chmod u+w "$W/rn.iso"
$FORGE rename "$W/rn.iso" rr manifest.sig manifest.sih
refused rr-name "$W/rn.iso" "$E" "$TREES" "manifest.sih : absent de l'arborescence Joliet"
cp "$U" "$W/in.iso"
chmod u+w "$W/in.iso"
$FORGE rename "$W/in.iso" iso MANIFEST.SIG MANIFEST.SIH
refused iso-name "$W/in.iso" "$E" "$TREES" "manifest.sig : absent de l'arborescence ISO 9660"
# the same name, other ballots in the Joliet tree only: the forged file's
# data is in the image, hidden from every tree, and Joliet points at it
cp -r "$W/urn" "$W/forged"
/usr/bin/python3 - "$W/forged/ballots.bin" "$W/forged/zzforged.bin" <<'PY'
import sys
b = bytearray(open(sys.argv[1], "rb").read())
b[-1] ^= 1
open(sys.argv[2], "wb").write(b)
PY
mkiso "$W/fj.iso" SCEAU_URNE "$W/forged" -R -J -hide zzforged.bin -hide-joliet zzforged.bin
$FORGE point-data "$W/fj.iso" joliet ballots.bin "$W/forged/zzforged.bin"
refused joliet-ballots "$W/fj.iso" "$E" "$TREES" \
	"ballots.bin : les arborescences Joliet et Rock Ridge donnent des contenus différents"
# the same in the ISO 9660 tree (and so Rock Ridge) while Joliet keeps the truth
mkiso "$W/fi.iso" SCEAU_URNE "$W/forged" -R -J -hide zzforged.bin -hide-joliet zzforged.bin
$FORGE point-data "$W/fi.iso" iso BALLOTS.BIN "$W/forged/zzforged.bin"
refused iso-ballots "$W/fi.iso" "$E" "$TREES" \
	"ballots.bin : les arborescences Joliet et Rock Ridge donnent des contenus différents"
# a manifest.json of another size in Joliet
cp -r "$W/urn" "$W/longer"
{ cat "$W/urn/manifest.json"; echo; } > "$W/longer/zzlonger.json"
mkiso "$W/js.iso" SCEAU_URNE "$W/longer" -R -J -hide zzlonger.json -hide-joliet zzlonger.json
$FORGE point-data "$W/js.iso" joliet manifest.json "$W/longer/zzlonger.json"
refused joliet-size "$W/js.iso" "$E" "$TREES" "manifest.json : d'une autre taille dans l'arborescence Joliet"
# two Joliet names sharing their bytes
cp "$U" "$W/sh.iso"
chmod u+w "$W/sh.iso"
$FORGE point "$W/sh.iso" joliet manifest.json manifest.sig
refused shared "$W/sh.iso" "$E" "$LAYOUT" "(arborescence Joliet) désigne les mêmes données que"
# a tree missing, or another tree added
mkiso "$W/nj.iso" SCEAU_URNE "$W/urn" -R
refused no-joliet "$W/nj.iso" "$E" "$LAYOUT" "pas de descripteur de volume Joliet"
# (xorriso's mkisofs emulation always writes Rock Ridge: its own commands)
xorriso -rockridge off -joliet on -outdev "$W/nr.iso" -volid SCEAU_URNE \
	-compliance iso_9660_level=3 -map "$W/urn" / -commit > /dev/null 2>&1 || fail "xorriso: nr.iso"
refused no-rock-ridge "$W/nr.iso" "$E" "$LAYOUT" "pas de noms Rock Ridge"
cp "$U" "$W/j2.iso"
chmod u+w "$W/j2.iso"
$FORGE second-joliet "$W/j2.iso"
refused second-joliet "$W/j2.iso" "$E" "$LAYOUT" "autre que le descripteur principal et un seul descripteur Joliet"
cp "$U" "$W/udf.iso"
chmod u+w "$W/udf.iso"
$FORGE udf "$W/udf.iso"
refused udf "$W/udf.iso" "$E" "$LAYOUT" "UDF"

# --- item 3: a FIFO anywhere a file is expected --------------------------------
mkfifo "$W/fifo"
refused fifo-urn "$W/fifo" "$E" "ce chemin ne désigne pas un fichier ordinaire" "c'est un tube nommé (FIFO), pas un fichier"
refused fifo-emargement "$U" "$W/fifo" "ce chemin ne désigne pas un fichier ordinaire" "c'est un tube nommé (FIFO), pas un fichier"
refused directory-urn "$W/urn" "$E" "ce chemin ne désigne pas un fichier ordinaire" \
	"c'est un dossier, pas un fichier"
for opt in record definition; do
	rm -rf "$W/s-fifo-$opt"
	args=(--record "$W/ceremony/record.json" --definition "$W/ceremony/election.json")
	[ $opt = record ] && args[1]=$W/fifo
	[ $opt = definition ] && args[3]=$W/fifo
	rc=0
	timeout 30 "$B/sceau" import --session "$W/s-fifo-$opt" "${args[@]}" --urn "$U" \
		--emargement "$E" > "$W/fifo-$opt.log" 2>&1 || rc=$?
	[ "$rc" != 124 ] || fail "a FIFO as --$opt: the import hangs"
	[ "$rc" != 0 ] || fail "a FIFO as --$opt: accepted"
	grep -qF "ce chemin ne désigne pas un fichier ordinaire" "$W/fifo-$opt.log" ||
		{ cat "$W/fifo-$opt.log"; fail "a FIFO as --$opt: message"; }
done
# in English on demand
rm -rf "$W/s-en"
timeout 30 "$B/sceau" import --session "$W/s-en" --record "$W/ceremony/record.json" \
	--definition "$W/ceremony/election.json" --urn "$W/fj.iso" --emargement "$E" \
	--lang en > "$W/en.log" 2>&1 && fail "English: accepted"
grep -qF "the medium's directory trees (Rock Ridge, Joliet, ISO 9660) do not show the same" \
	"$W/en.log" || { cat "$W/en.log"; fail "English message"; }
grep -qF "ballots.bin: the Joliet and Rock Ridge trees give different bytes" "$W/en.log" ||
	{ cat "$W/en.log"; fail "English detail"; }
echo "ok: hostile media refused"
