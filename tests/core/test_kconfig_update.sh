#!/bin/bash
# A build directory made before a Kconfig change: `make` brings its .config
# up to date with the board's values for the new symbols, as a fresh build
# directory of that board would have them, and keeps what the old .config
# chose (a symbol switched off by hand stays off). Run from the top.
set -eu
T=$(mktemp -d /tmp/sceau-test-XXXXXX)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
cfg() { make -s --no-print-directory O="$T/$1" "$T/$1/include/generated/autoconf.h" >/dev/null; }

for b in host-sim pc-x86_64; do
	make -s --no-print-directory O="$T/$b" "${b}_defconfig" >/dev/null
	cp "$T/$b/.config" "$T/$b.fresh"
	# as if the build directory predated these symbols
	grep -v 'PRINT_USBLP\|CARD_NFC\|PRINT_LIBUSB' "$T/$b.fresh" > "$T/$b/.config"
	touch -d '2000-01-01' "$T/$b/.config"
	cfg "$b"
	diff -u "$T/$b.fresh" "$T/$b/.config" || fail "$b: updated .config differs from a fresh one"
	grep -q 'CONFIG_PRINT_USBLP' "$T/$b/include/generated/autoconf.h" ||
		[ "$b" != host-sim ] || fail "$b: autoconf.h not regenerated"
done

# a choice made by hand survives the update
sed -i 's/^CONFIG_PRINT_USBLP=y/# CONFIG_PRINT_USBLP is not set/' "$T/host-sim/.config"
grep -q '^# CONFIG_PRINT_USBLP is not set' "$T/host-sim/.config" || fail "setup"
touch -d '2000-01-01' "$T/host-sim/.config"
cfg host-sim
grep -q '^# CONFIG_PRINT_USBLP is not set' "$T/host-sim/.config" ||
	fail "a symbol switched off by hand came back"
echo "ok"
