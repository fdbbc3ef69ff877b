#!/bin/bash
# Checks the file list of a box image (tests/image/test_image_contents.sh):
#   check_listing.sh ROOT_LIST INITRD_LIST GRUB_CFG
# ROOT_LIST and INITRD_LIST hold one path per line (no leading "/" or "./") of the
# squashfs root and of the initramfs; GRUB_CFG is the image's boot/grub/grub.cfg.
# Prints every breach of docs/BOX.md's promises and exits 1 if there is one:
# a network driver, firmware, network configuration or service, a shell, a
# login program or a getty, another init, a swap, a serial console or an
# editable boot loader.
set -uo pipefail
root=$1 initrd=$2 grub=$3
bad=0
breach() { echo "image: $*"; bad=1; }

# $1 list, $2 what, $3 extended regex on a path
none() {
	local hits
	hits=$(grep -E -- "$3" "$1" | head -n 5)
	[ -z "$hits" ] || breach "$2: $(echo "$hits" | tr '\n' ' ')"
}

net_mod='(^|/)lib/modules/[^/]+/kernel/(net|drivers/(net|bluetooth|infiniband|isdn|atm|nfc|ssb|bcma|usb/net))/'
for list in "$root" "$initrd"; do
	none "$list" "network driver in $(basename "$list")" "$net_mod"
	none "$list" "firmware in $(basename "$list")" '(^|/)lib/firmware/.'
done
none "$root" "network configuration" \
	'^etc/(network|NetworkManager|wpa_supplicant|systemd/network|netplan|dhcp|resolv\.conf$|hosts$|hostname$)'
none "$root" "network program or service" \
	'^(usr/)?s?bin/(ip|ifup|ifconfig|dhclient|dhcpcd|udhcpc|wpa_supplicant|NetworkManager|sshd?|ping|wget|curl|systemd-networkd)$'
none "$root" "shell, login program or getty" \
	'^(usr/)?s?bin/(sh|bash|dash|rbash|zsh|busybox|login|su|sulogin|agetty|getty|mingetty)$'
none "$root" "another init or service manager" \
	'^(usr/)?(sbin/init|lib/systemd/systemd|bin/systemd)$|^etc/inittab$|^etc/systemd/system/.*getty'
for f in usr/bin/sceau usr/sbin/sceau-init etc/sceau/modules; do
	grep -Fxq "$f" "$root" || breach "missing $f"
done
grep -q 'init=/usr/sbin/sceau-init' "$grub" || breach "grub.cfg does not start sceau-init"
grep -Eq '^set superusers=' "$grub" || breach "grub.cfg lets anyone edit the boot entry"
grep -Eq -- '--unrestricted' "$grub" || breach "grub.cfg has no unrestricted entry"
if grep -Eq 'console=ttyS|sceau\.console|systemd\.|break=|rescue|single' "$grub"; then
	breach "grub.cfg: a serial console, a shell or a test flag on the command line"
fi
grep -q 'sysctl.kernel.sysrq=0' "$grub" || breach "grub.cfg leaves SysRq on"
exit $bad
