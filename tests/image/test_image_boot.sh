#!/bin/bash
# The box image tested as a box (docs/BOX.md): booted twice in QEMU (TCG),
# from a copy of the image as its USB boot stick, with an internal disk
# holding a swap signature, a network card (no driver for it in the image),
# two CD-ROM drives, USB sticks plugged and unplugged through QEMU's
# monitor, and the members' simulated cards behind QEMU's emulated USB CCID
# readers (usb-ccid + ccid-card-passthru, bridged by sceau-vscard), so that
# the box's own ccid libusb driver reads them. The console is driven on the
# first serial port (test flag sceau.console=ttyS0, docs/BOX.md "Test mode").
#   Day 1: the organiser's stick (read-only) is read, the key ceremony held,
#          the record exported to a FAT stick.
#   The vote: sceau-platform casts ballots to that record; urn.iso and
#          emargement.iso are burnt to "CD-ROMs".
#   Day 2: the ceremony's export stick (now write-protected) is read, the urn
#          and the émargement imported from the CD-ROM drives, the count
#          held with two cards, the PVs signed (the printer is absent: they
#          stay PDFs), the session sealed and everything exported.
# Then on the host: the export stick holds the record, the PVs and the
# archive, which sceau-verify accepts; the results are the ones cast; the
# fingerprint on the first screen, in the record and in the archive's
# firmware.txt is the image's SHA-256; the box saw no network interface
# and no swap; the boot stick, the internal disk and the read-only sticks
# are unchanged; the console, ended by Ctrl-C, comes back; Ctrl-Alt-Del and
# SysRq on the keyboard do nothing.
. tests/image/lib.sh
PINS=(284017 550913 730268)
WHO=("Yves Marchand" "Aurélie Dupuis" "Thomas Nguyen")
SOCK=$W/tmux.sock
T=(tmux -S "$SOCK" -f /dev/null)
BRIDGES=()
BALLOTS=${SCEAU_IMAGE_BALLOTS:-40}
BOOT_WAIT=${SCEAU_IMAGE_BOOT_WAIT:-900}

cleanup() {
	local p
	for p in "${BRIDGES[@]}"; do kill "$p" 2>/dev/null || true; done
	"${T[@]}" kill-server 2>/dev/null || true
	[ -n "${SCEAU_KEEP:-}" ] && { echo "kept $W"; return; }
	rm -rf "$W"
}
trap cleanup EXIT

screen() { "${T[@]}" capture-pane -p -t c 2>/dev/null | tr '\n' ' ' | tr -s ' '; }
fail() {
	echo "FAIL: $*" >&2
	"${T[@]}" capture-pane -p -t c >&2 2>/dev/null || true
	exit 1
}
wait_for() {
	local end=$((SECONDS + ${2:-60}))
	while [ "$SECONDS" -lt "$end" ]; do
		screen | grep -qF -- "$1" && return 0
		sleep 0.5
	done
	fail "no \"$1\" on screen after ${2:-60} s"
}
keys() { "${T[@]}" send-keys -t c "$@"; }
typ() { "${T[@]}" send-keys -t c -l -- "$1"; }
answer() { typ "$1"; sleep 0.3; keys Enter; }
menu() { keys "$1"; sleep 0.3; keys Enter; }
hmp() { tests/image/hmp.py "$W/mon.sock" "$@" > /dev/null; }
stamp() { echo "$(date +%T) +$((SECONDS - T0)) s: $*"; }
sum() { sha256sum "$1" | cut -d' ' -f1; }

# --- the media ------------------------------------------------------------------
T0=$SECONDS
iso_get /live/vmlinuz "$W/vmlinuz"
iso_get /live/initrd.img "$W/initrd.img"
iso_get /boot/grub/grub.cfg "$W/grub.cfg"
CMDLINE="$(sed -n 's|^[[:space:]]*linux /live/vmlinuz ||p' "$W/grub.cfg") sceau.console=ttyS0"
FP=$(sum "$IMG")
cp "$IMG" "$W/boot.img"
truncate -s 64M "$W/disk.img"
mkswap "$W/disk.img" > /dev/null 2>&1
for i in 1 2 3; do "$B/sceau-simcard" new "$W/slots/$i" --serial "0000070$i" > /dev/null; done

fat() { # IMAGE SIZE_KIB
	rm -f "$1"
	mkfs.fat --invariant -C -n SCEAU "$1" "$2" > /dev/null
}
fat "$W/in1.img" 8192
"$B/sceau-platform" keygen --private "$W/platform-private.json" \
	--public "$W/platform-key.json" > /dev/null
mmd -i "$W/in1.img" ::/SCEAU ::/SCEAU/input
mcopy -i "$W/in1.img" tests/data/demo-election.json ::/SCEAU/input/election.json
mcopy -i "$W/in1.img" tests/data/demo-bureau.json ::/SCEAU/input/bureau.json
mcopy -i "$W/in1.img" "$W/platform-key.json" ::/SCEAU/input/platform-key.json
fat "$W/out1.img" 32768
fat "$W/out2.img" 65536
declare -A BEFORE
for f in boot disk in1; do BEFORE[$f]=$(sum "$W/$f.img"); done

# --- one boot of the box --------------------------------------------------------
# vm DAY INSTICK OUTSTICK [URN EMARGEMENT]
vm() {
	local day=$1 in=$2 out=$3 cd0=(-drive if=ide,index=2,media=cdrom) cd1
	cd1=(-drive if=ide,index=3,media=cdrom)
	[ -n "${4:-}" ] && cd0=(-drive "if=ide,index=2,media=cdrom,readonly=on,file=$4")
	[ -n "${5:-}" ] && cd1=(-drive "if=ide,index=3,media=cdrom,readonly=on,file=$5")
	local q=(qemu-system-x86_64 -nodefaults -accel tcg -machine pc -cpu max -smp 2 -m 1536
		-display none -kernel "$W/vmlinuz" -initrd "$W/initrd.img" -append "$CMDLINE"
		-chardev stdio,id=s0,signal=off -serial chardev:s0
		-chardev "file,id=s1,path=$W/report-$day.txt" -serial chardev:s1
		-monitor "unix:$W/mon.sock,server=on,wait=off"
		-drive "if=ide,index=0,format=raw,file=$W/disk.img" "${cd0[@]}" "${cd1[@]}"
		-device e1000
		-device qemu-xhci,id=xhci,p2=8,p3=8
		-drive "if=none,id=boot,format=raw,file=$W/boot.img"
		-device usb-storage,bus=xhci.0,port=1,drive=boot,removable=on
		-drive "if=none,id=in,format=raw,readonly=on,file=$in"
		-device usb-storage,bus=xhci.0,port=5,drive=in,id=instick,removable=on
		-drive "if=none,id=out,format=raw,file=$out")
	for i in 1 2 3; do
		q+=(-device "usb-ccid,bus=xhci.0,port=$((i + 1)),id=ccid$i"
		    -chardev "socket,id=cc$i,path=$W/cc$i.sock,server=on,wait=off"
		    -device "ccid-card-passthru,chardev=cc$i,bus=ccid$i.0")
	done
	rm -f "$W/mon.sock"
	"${T[@]}" new-session -d -x 100 -y 32 -s c \
		"$(printf '%q ' "${q[@]}") 2> $W/qemu-$day.log; echo QEMU-EXIT \$?; sleep 600"
	for i in 1 2 3; do
		"$B/sceau-vscard" --socket "$W/cc$i.sock" --slot "$W/slots/$i" 2>> "$W/vscard.log" &
		BRIDGES+=($!)
	done
	wait_for "Menu principal" "$BOOT_WAIT"
	stamp "day $day: the console is up"
	wait_for "Empreinte du logiciel : $FP" 60
}

# Unplugs the stick read, plugs the export stick in its place.
swap_sticks() {
	hmp "device_del instick"
	sleep 3
	hmp "device_add usb-storage,bus=xhci.0,port=6,drive=out,id=outstick,removable=on"
	sleep 3
}

# The console's "Quitter": the box powers off, QEMU ends.
power_off() {
	keys 1 Up Enter
	wait_for "QEMU-EXIT 0" 120
	for p in "${BRIDGES[@]}"; do kill "$p" 2>/dev/null || true; done
	BRIDGES=()
	"${T[@]}" kill-server 2>/dev/null || true
}

back_to_menu() {
	wait_for "${1:-Étape terminée}" "${2:-600}"
	keys Enter
	wait_for "Menu principal" 60
}

signatures() { # "pour signer" prompts of the three members
	for i in 0 1 2; do
		wait_for "${WHO[$i]}, tapez votre code secret pour signer" 600
		answer "${PINS[$i]}"
	done
}

# --- day 1: the key ceremony ------------------------------------------------------
vm 1 "$W/in1.img" "$W/out1.img"
menu 1
wait_for "Aucune interface réseau active : le boîtier est isolé" 300
back_to_menu
menu 2
wait_for "Copié : input/platform-key.json" 300
back_to_menu
swap_sticks
stamp "organiser's stick read"
menu 3
for i in 0 1 2; do
	wait_for "${WHO[$i]}, tapez une suite de caractères au hasard" 600
	answer "hasard-$i-$RANDOM$RANDOM"
done
for i in 0 1 2; do
	wait_for "${WHO[$i]}, choisissez votre code secret" 600
	answer "${PINS[$i]}"
	wait_for "Tapez ce code une seconde fois" 60
	answer "${PINS[$i]}"
done
for i in 0 1 2; do
	wait_for "${WHO[$i]}, tapez votre code secret" 600
	answer "${PINS[$i]}"
done
back_to_menu "Cérémonie terminée" 900
stamp "ceremony held"
menu 0
wait_for "Copié : ceremony/record.json" 300
back_to_menu "Vous pouvez retirer la clé USB"
power_off
stamp "day 1 over"

mcopy -n -i "$W/out1.img" ::/SCEAU/ceremony/record.json "$W/record.json"
mcopy -n -i "$W/out1.img" ::/SCEAU/ceremony/election.json "$W/election.json"
grep -q "$FP" "$W/record.json" || fail "the record does not carry the image's fingerprint"
"$B/sceau-platform" cast --record "$W/record.json" --definition "$W/election.json" \
	--private "$W/platform-private.json" --out "$W/p" --ballots "$BALLOTS" > "$W/cast.log"
BEFORE[out1]=$(sum "$W/out1.img")

# --- day 2: the count --------------------------------------------------------------
vm 2 "$W/out1.img" "$W/out2.img" "$W/p/urn.iso" "$W/p/emargement.iso"
keys C-c
end=$((SECONDS + 120))
until grep -q "SCEAU-REPORT END restart" "$W/report-2.txt"; do
	[ "$SECONDS" -lt "$end" ] || fail "the console did not end on Ctrl-C"
	sleep 0.2
done
# The old screen is wiped on our side, so that only the new console's own
# first screen can answer (it hashes the image before drawing).
"${T[@]}" send-keys -R -t c
wait_for "Empreinte du logiciel : $FP" 300
stamp "the console came back after Ctrl-C"
# Ctrl-Alt-Del and SysRq (reboot now, crash now) on the box's keyboard do
# nothing: the same console goes on, the box never started again.
hmp "sendkey ctrl-alt-delete"
hmp "sendkey alt-sysrq-b"
hmp "sendkey alt-sysrq-c"
menu 1
wait_for "Aucune interface réseau active : le boîtier est isolé" 300
back_to_menu
[ "$(grep -c 'SCEAU-REPORT BEGIN start' "$W/report-2.txt")" = 1 ] ||
	fail "the box started again after Ctrl-Alt-Del or SysRq"
stamp "Ctrl-Alt-Del and SysRq did nothing"
menu 2
wait_for "Copié : ceremony/record.json" 300
back_to_menu
swap_sticks
menu 4
wait_for "Import terminé" 900
back_to_menu
stamp "urn imported"
menu 5
wait_for "clore le décompte" 60
answer oui
for i in 0 1; do
	wait_for "${WHO[$i]}, tapez votre code secret" 600
	answer "${PINS[$i]}"
done
wait_for "Résultats du scrutin 1" 1800
keys Enter
wait_for "Menu principal" 60
stamp "counted"
menu 6
signatures
# No printer is plugged: the PVs are written, printing is reported missing.
wait_for "Procès-verbaux (PDF" 900
back_to_menu "Ce qu'il faut faire" 300
menu 7
wait_for "Le scellement est définitif" 120
answer oui
signatures
back_to_menu "Étape terminée" 900
stamp "sealed"
menu 0
wait_for "Copié : session/archive.iso" 600
back_to_menu "Vous pouvez retirer la clé USB"
power_off
stamp "day 2 over"

# --- what the box left -------------------------------------------------------------
mkdir -p "$W/x"
mcopy -s -n -i "$W/out2.img" ::/SCEAU "$W/x/"
for f in ceremony/record.json session/results.json session/archive.iso; do
	[ -s "$W/x/SCEAU/$f" ] || fail "the export stick has no $f"
done
ls "$W"/x/SCEAU/session/pv/*.pdf > /dev/null 2>&1 || fail "no PV on the export stick"
"$B/sceau-verify" "$W/x/SCEAU/session/archive.iso" > "$W/verify.txt" ||
	fail "sceau-verify refuses the archive: $(tail -n 5 "$W/verify.txt")"
/usr/bin/python3 tests/session/compare_expected.py "$W/x/SCEAU/session/results.json" \
	"$W/p/expected.json" || fail "the results are not the ones cast"
xorriso -osirrox on -indev "$W/x/SCEAU/session/archive.iso" -extract /firmware.txt \
	"$W/firmware.txt" > /dev/null 2>&1
grep -q "$FP" "$W/firmware.txt" || fail "firmware.txt does not name the image's fingerprint"
# The PV's "F" line: the fingerprint in groups of four upper-case digits.
pdftotext "$W/x/SCEAU/session/pv/pv-1.pdf" - | sed -n '/^F — /,+2p' | tr -d ' \n' |
	tr 'A-F' 'a-f' | grep -q "$FP" || fail "the PV's F line is not the image's fingerprint"

for day in 1 2; do
	r=$W/report-$day.clean # the serial line ends its lines with CR LF
	tr -d '\r' < "$W/report-$day.txt" > "$r"
	[ "$(sed -n '/^== net$/,/^== /p' "$r" | grep -v '^==' | sort -u)" = lo ] ||
		fail "day $day: a network interface besides lo: $(sed -n '/^== net$/,/^== swaps/p' "$r")"
	[ "$(sed -n '/^== swaps$/,/^== /p' "$r" | grep -vc '^==\|^Filename')" = 0 ] ||
		fail "day $day: a swap was used"
	written=$(sed -n '/^== written$/,/^== /p' "$r" | awk '$1 != "==" && $2 > 0 { print $1 }' | sort -u)
	[ "$(echo "$written" | grep -c .)" -le 1 ] ||
		fail "day $day: more than one disk written: $written"
done
for f in boot disk in1 out1; do
	[ "$(sum "$W/$f.img")" = "${BEFORE[$f]}" ] || fail "$f.img was written"
done
stamp "image boot test: ok ($BALLOTS ballots)"
