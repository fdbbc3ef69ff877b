#!/bin/bash
# A build directory made before a Kconfig change: `make` brings its .config
# and autoconf.h up to date with the board's values for the new symbols, as
# a fresh build directory of that board would have them, and keeps what the
# old .config chose (a symbol switched off by hand stays off). A .config
# whose board is not noted gets the Kconfig defaults, never another board's
# values. Run from the top.
set -eu
T=$(mktemp -d /tmp/sceau-test-XXXXXX)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
cfg() { make -s --no-print-directory O="$T/$1" "$T/$1/include/generated/autoconf.h"; }
board() { # DIR BOARD: a fresh build directory of BOARD with its autoconf.h
	make -s --no-print-directory O="$T/$1" "${2}_defconfig" >/dev/null
	cfg "$1" >/dev/null
}
# as if the build directory predated these symbols (the boards set them to y,
# their Kconfig default is n, so a wrong update shows)
predate() {
	grep -v 'PRINT_USBLP\|CARD_NFC\|PRINT_LIBUSB' "$T/$1/.config" > "$T/$1/.config.old"
	mv "$T/$1/.config.old" "$T/$1/.config"
	touch -d '2000-01-01' "$T/$1/.config" "$T/$1/include/generated/autoconf.h"
}
header() { grep -v '^/\*\|^$' "$T/$1/include/generated/autoconf.h"; }

for b in host-sim pc-x86_64; do
	board "$b.ref" "$b"
	board "$b" "$b"
	grep -q '^CONFIG_PRINT_USBLP=y' "$T/$b.ref/.config" || fail "$b: setup"
	predate "$b"
	cfg "$b" >/dev/null
	diff -u "$T/$b.ref/.config" "$T/$b/.config" ||
		fail "$b: updated .config differs from a fresh one"
	diff -u <(header "$b.ref") <(header "$b") ||
		fail "$b: autoconf.h differs from a fresh one"
done

# no .board: Kconfig defaults (n), not the default board's values, and a word
rm "$T/pc-x86_64/.board"
predate pc-x86_64
cfg pc-x86_64 > "$T/out" 2>&1
grep -q '.board missing' "$T/out" || fail "no word about the missing .board"
grep -q '^# CONFIG_PRINT_USBLP is not set' "$T/pc-x86_64/.config" ||
	fail "a board-less .config took another board's value"
grep -q '^# CONFIG_SIMULATION_ALLOWED is not set' "$T/pc-x86_64/.config" ||
	fail "the real box's configuration allows simulation"
grep -q 'CONFIG_PRINT_USBLP' "$T/pc-x86_64/include/generated/autoconf.h" &&
	fail "autoconf.h not regenerated without .board"

# a choice made by hand survives the update
sed -i 's/^CONFIG_PRINT_USBLP=y/# CONFIG_PRINT_USBLP is not set/' "$T/host-sim/.config"
grep -q '^# CONFIG_PRINT_USBLP is not set' "$T/host-sim/.config" || fail "setup"
touch -d '2000-01-01' "$T/host-sim/.config"
cfg host-sim >/dev/null
grep -q '^# CONFIG_PRINT_USBLP is not set' "$T/host-sim/.config" ||
	fail "a symbol switched off by hand came back"
echo "ok"
