#!/bin/bash
# The image holds what docs/BOX.md promises and nothing else: no network
# driver, firmware, configuration or service, no shell, login program or
# getty, only sceau-init as process 1, the locked package set, a boot loader
# nobody can edit and no serial console. Then the same check is shown to
# fail on lists where each of these was planted.
. tests/image/lib.sh
trap 'rm -rf "$W"' EXIT

iso_get /live/filesystem.squashfs "$W/fs.sqfs"
iso_get /live/initrd.img "$W/initrd.img"
iso_get /boot/grub/grub.cfg "$W/grub.cfg"
unsquashfs -lc "$W/fs.sqfs" | sed -n 's|^squashfs-root/||p' | sort > "$W/root.list"
tests/image/initrd_list.py "$W/initrd.img" | sed 's|^\./||' > "$W/initrd.list"
[ -s "$W/root.list" ] && [ -s "$W/initrd.list" ] || fail "empty file lists"
grep -q '\.ko' "$W/initrd.list" || fail "the initramfs lists no module (not parsed?)"
echo "root: $(wc -l < "$W/root.list") files; initramfs: $(wc -l < "$W/initrd.list")"

tests/image/check_listing.sh "$W/root.list" "$W/initrd.list" "$W/grub.cfg" ||
	fail "the image breaks the box's promises (above)"

# The modules in the image are the list's and their dependencies only.
unsquashfs -d "$W/x" "$W/fs.sqfs" etc/sceau/modules var/lib/dpkg/status >/dev/null
mods=$(grep -c '\.ko' "$W/root.list")
[ "$mods" -le 80 ] || fail "$mods kernel modules in the image: more than the list needs"

# The package set is the lock's (the build checks it too).
board=${SCEAU_IMAGE_BOARD:-pc-x86_64}
awk '/^Package:/ { p = $2 } /^Status:.* installed$/ { ok = 1 }
     /^Version:/ { v = $2 } /^$/ { if (ok) print p, v; ok = 0 }
     END { if (ok) print p, v }' "$W/x/var/lib/dpkg/status" | sort > "$W/pkgs"
awk '$1 == "image" { print $2, $3 }' "board/$board/packages.lock" | sort |
	diff - "$W/pkgs" > /dev/null || fail "the image's packages are not the lock's"

# Each breach, planted in a copy of the lists, is caught.
plant() { # what, list (root|initrd|grub), line
	cp "$W/root.list" "$W/p.root"; cp "$W/initrd.list" "$W/p.initrd"; cp "$W/grub.cfg" "$W/p.grub"
	echo "$3" >> "$W/p.$2"
	if tests/image/check_listing.sh "$W/p.root" "$W/p.initrd" "$W/p.grub" > "$W/p.out"; then
		fail "planted $1 ($3) not caught"
	fi
	echo "caught: $1 ($(head -n 1 "$W/p.out"))"
}
kv=$(sed -n 's|^usr/lib/modules/\([^/]*\)/.*|\1|p' "$W/root.list" | head -n 1)
plant "a network module" root "usr/lib/modules/$kv/kernel/drivers/net/ethernet/intel/e1000/e1000.ko"
plant "a wifi module in the initramfs" initrd "usr/lib/modules/$kv/kernel/net/wireless/cfg80211.ko"
plant "firmware" root "usr/lib/firmware/iwlwifi-8000C-36.ucode"
plant "a network configuration" root "etc/network/interfaces"
plant "a DHCP client" root "usr/sbin/dhclient"
plant "a getty" root "usr/sbin/agetty"
plant "a shell" root "usr/bin/bash"
plant "systemd" root "usr/lib/systemd/systemd"
plant "a serial console" grub "	linux /live/vmlinuz boot=live console=ttyS0"
echo "image contents: ok"
