#!/bin/bash
# The image boots as it is, through its own boot loader, the way a bureau
# starts it: as a DVD on a BIOS PC (SeaBIOS, El Torito) and as a USB stick
# on a UEFI PC (OVMF, its EFI system partition). No kernel command line is
# added, so this is a real boot: the console must reach the first screen
# (read in the guest's memory: the text screen the kernel keeps for tty1,
# one 16-bit cell per character) with the image's fingerprint on it, and
# nothing but the PC firmware's console (OVMF's boot messages and GRUB's
# greeting, which UEFI mirrors there) may appear on the serial port: no
# serial console of the kernel's or of the box's.
. tests/image/lib.sh
trap 'rm -rf "$W"' EXIT
FP=$(sha256sum "$IMG" | cut -d' ' -f1)
WAIT=${SCEAU_IMAGE_BOOT_WAIT:-900}

# first_screen NAME: polls the guest's memory until tty1 shows the
# fingerprint line; fails after WAIT seconds.
first_screen() {
	local end=$((SECONDS + WAIT)) shown
	while [ "$SECONDS" -lt "$end" ]; do
		sleep 20
		rm -f "$W/mem"
		tests/image/hmp.py "$W/mon.sock" "pmemsave 0 0x30000000 \"$W/mem\"" > /dev/null ||
			continue
		for _ in $(seq 30); do [ -s "$W/mem" ] && break; sleep 1; done
		shown=$(/usr/bin/python3 tests/image/vt_text.py "$W/mem" "Empreinte du logiciel : " 64)
		if [ -n "$shown" ]; then
			[ "$shown" = "$FP" ] || fail "$1: the first screen shows $shown, the image is $FP"
			echo "$1: first screen after $((SECONDS - start)) s, fingerprint $shown"
			return 0
		fi
	done
	fail "$1: no first screen after $WAIT s"
}

# boot NAME QEMU_ARGS...
boot() {
	local name=$1
	shift
	rm -f "$W/mon.sock" "$W/serial-$name.txt"
	start=$SECONDS
	qemu-system-x86_64 -nodefaults -accel tcg -machine pc -cpu max -smp 2 -m 768 \
		-display none -vga std -device e1000 \
		-chardev "file,id=s0,path=$W/serial-$name.txt" -serial chardev:s0 \
		-monitor "unix:$W/mon.sock,server=on,wait=off" "$@" 2> "$W/qemu-$name.log" &
	qpid=$!
	for _ in $(seq 50); do [ -S "$W/mon.sock" ] && break; sleep 0.2; done
	first_screen "$name"
	tests/image/hmp.py "$W/mon.sock" quit > /dev/null || true
	wait "$qpid" 2>/dev/null || true
	# Only the PC firmware's console may be there: OVMF's boot manager, and
	# GRUB's two lines, which UEFI's console mirrors on the serial port.
	sed 's/\x1b\[[0-9;=?]*[A-Za-z]//g' "$W/serial-$name.txt" | tr -d '\r' |
		grep -v -e '^BdsDxe: ' -e '^Welcome to GRUB!$' -e "^ *Booting \`Sceau'$" |
		grep '[^[:space:]]' > "$W/serial-rest.txt" || true
	[ ! -s "$W/serial-rest.txt" ] ||
		fail "$name: the serial port shows: $(head -c 300 "$W/serial-rest.txt")"
}

boot bios-dvd -drive "if=ide,index=2,media=cdrom,readonly=on,file=$IMG" -boot d
cp "$IMG" "$W/stick.img"
cp /usr/share/OVMF/OVMF_VARS_4M.fd "$W/vars.fd"
boot uefi-stick -drive "if=pflash,format=raw,unit=0,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd" \
	-drive "if=pflash,format=raw,unit=1,file=$W/vars.fd" \
	-device qemu-xhci,id=xhci -drive "if=none,id=stick,format=raw,file=$W/stick.img" \
	-device usb-storage,bus=xhci.0,drive=stick,bootindex=1
[ "$(sha256sum "$W/stick.img" | cut -d' ' -f1)" = "$FP" ] || fail "the boot stick was written"
echo "BIOS and UEFI boots: ok"
