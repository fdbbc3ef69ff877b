#!/bin/bash
# mmdebstrap's customize hook for the box image (board/image/mkimage.sh),
# run with the new root as $1 and its chroot set up:
#   1. the package set against the lock (or, with --lock, written down);
#   2. the box's programs and their translations installed;
#   3. every kernel module deleted but those of board/image/modules and
#      their dependencies, and the initramfs made again without the others.
set -euo pipefail
root=$1

dpkg-query --admindir="$root/var/lib/dpkg" -W -f='${db:Status-Abbrev} ${Package} ${Version}\n' |
	awk '$1 == "ii" { print $2, $3 }' | sort > "$root/tmp/installed"
if [ "$SCEAU_MODE" = lock ]; then
	cp "$root/tmp/installed" "$SCEAU_LOCK_OUT"
elif ! awk '$1 == "image" { print $2, $3 }' "$SCEAU_LOCK" | sort |
	cmp -s - "$root/tmp/installed"; then
	echo "mkimage: the image's packages differ from $SCEAU_LOCK:" >&2
	awk '$1 == "image" { print $2, $3 }' "$SCEAU_LOCK" | sort |
		diff - "$root/tmp/installed" | sed -n 's/^</  locked:   /p; s/^>/  mirror:   /p' >&2
	echo "mkimage: the Debian mirror has moved since the lock was made: see" \
		"docs/REPRODUCIBLE.md (\"When the mirror moved\")" >&2
	exit 1
fi
rm -f "$root/tmp/installed"

install -m 0755 -s "$SCEAU_BUILD/sceau" "$root/usr/bin/sceau"
install -m 0755 -s "$SCEAU_BUILD/sceau-init" "$root/usr/sbin/sceau-init"
install -D -m 0644 "$SCEAU_BUILD/locale/en/LC_MESSAGES/sceau.mo" \
	"$root/usr/share/locale/en/LC_MESSAGES/sceau.mo"
install -d -m 0755 "$root/etc/sceau"
sed 's/#.*//; /^ *$/d' "$SCEAU_HERE/modules" > "$root/etc/sceau/modules"
if chroot "$root" ldd /usr/bin/sceau | grep 'not found'; then
	echo "mkimage: sceau needs a library the image lacks (board/image/packages)" >&2
	exit 1
fi

kver=$(ls "$root/usr/lib/modules")
keep=$root/tmp/keep
: > "$keep"
for m in $(cat "$root/etc/sceau/modules"); do
	chroot "$root" modprobe -S "$kver" --show-depends "$m" > "$root/tmp/deps" ||
		{ echo "mkimage: no module $m in kernel $kver" >&2; exit 1; }
	awk '$1 == "insmod" { print $2 }' "$root/tmp/deps" >> "$keep"
done
sort -u -o "$keep" "$keep"
find "$root/usr/lib/modules/$kver" -name '*.ko*' -printf "/lib/modules/$kver/%P\n" |
	sort > "$root/tmp/all"
comm -23 "$root/tmp/all" "$keep" | while read -r f; do rm -f "$root$f"; done
find "$root/usr/lib/modules/$kver" -type d -empty -delete
chroot "$root" depmod "$kver"
rm -f "$keep" "$root/tmp/all" "$root/tmp/deps"

mkdir -p "$root/etc/initramfs-tools/conf.d"
printf 'MODULES=most\nCOMPRESS=gzip\n' > "$root/etc/initramfs-tools/conf.d/sceau"
chroot "$root" update-initramfs -u -k "$kver"
