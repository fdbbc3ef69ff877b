#!/bin/bash
# The .config alone decides which libraries are linked (docs/BUILD.md,
# "Which option links which library"): each configuration below gets
# exactly the packages of the backends it enables, and a configuration
# without a card transport builds the host tools but not the box's
# program. Nothing is compiled (make print-pkgs, make -n). Run from the top.
set -eu
T=$(mktemp -d /tmp/sceau-test-XXXXXX)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
PY=/usr/bin/python3
KLIB=/usr/lib/python3/dist-packages

# config DIR BOARD [SYMBOL=y|n...]: BOARD's configuration, then those changes.
config() {
	local dir=$T/$1 board=$2 kv
	shift 2
	make -s --no-print-directory O="$dir" "${board}_defconfig" >/dev/null
	for kv in "$@"; do
		sed -i "/^CONFIG_${kv%=*}=/d; /^# CONFIG_${kv%=*} is not set/d" "$dir/.config"
		if [ "${kv#*=}" = y ]; then
			echo "CONFIG_${kv%=*}=y" >>"$dir/.config"
		else
			echo "# CONFIG_${kv%=*} is not set" >>"$dir/.config"
		fi
	done
	KCONFIG_CONFIG="$dir/.config" $PY "$KLIB/olddefconfig.py" Kconfig >/dev/null
}
# linked DIR: the packages DIR's configuration links, one a line.
linked() {
	make -s --no-print-directory O="$T/$1" print-pkgs | sed -n 's/^linked: //p' |
		tr ' ' '\n'
}
headers() {
	make -s --no-print-directory O="$T/$1" print-pkgs | sed -n 's/^headers only: //p' |
		tr ' ' '\n'
}
# expect DIR +PKG|-PKG...: PKG linked, or not linked.
expect() {
	local dir=$1 want pkgs
	shift
	pkgs=$(linked "$dir")
	for want in "$@"; do
		case $want in
		+*) printf '%s\n' "$pkgs" | grep -qx -- "${want#+}" ||
			fail "$dir: ${want#+} not linked ($(echo $pkgs))" ;;
		-*) if printf '%s\n' "$pkgs" | grep -qx -- "${want#-}"; then
			fail "$dir: ${want#-} linked ($(echo $pkgs))"
		fi ;;
		esac
	done
}

# What every build links: JSON, the store, media, the PV, the console.
COMMON="+jansson +sqlite3 +libarchive +cairo +freetype2 +libqrencode +ncursesw"

# The boards: the real USB and NFC transports, nothing simulated, no photos.
for b in pc-x86_64 aarch64-generic; do
	config "$b" "$b"
	expect "$b" $COMMON +libusb-1.0 +libnfc -libpcsclite -zbar -libjpeg -poppler-glib -libcrypto
	grep -q '^CONFIG_\(USB_SIM\|PRINT_LIBUSB_SIM\|VERIFY_SCAN\|CRYPTO_OPENSSL\)=y' "$T/$b/.config" &&
		fail "$b: a simulated bus, the photo reader or OpenSSL is on"
done
config pc pc-x86_64

# The simulation: pcsc for the interop tests, the photo reader of
# sceau-verify, OpenSSL for its checks, libusb for the simulated bus;
# nfc-sim uses libnfc's headers, never its code.
config sim host-sim
expect sim $COMMON +libpcsclite +zbar +libjpeg +poppler-glib +libusb-1.0 +libcrypto -libnfc
headers sim | grep -qx libnfc || fail "sim: libnfc headers not used"
config sim-noscan host-sim VERIFY_SCAN=n CARD_PCSC=n
expect sim-noscan -zbar -libjpeg -poppler-glib -libpcsclite +libusb-1.0 +libcrypto
# OpenSSL off: no libcrypto, and the checks' default falls back to mbedTLS.
config sim-nossl host-sim CRYPTO_OPENSSL=n
expect sim-nossl -libcrypto +zbar
grep -q '^CONFIG_CRYPTO_CHECKS_DEFAULT_MBEDTLS=y' "$T/sim-nossl/.config" ||
	fail "sim-nossl: the checks' default is not mbedTLS"

# libusb-1.0 while one USB backend is left, and not after.
config pc-nolibusb pc-x86_64 PRINT_LIBUSB=n
expect pc-nolibusb +libusb-1.0
config pc-nousb pc-x86_64 PRINT_LIBUSB=n CARD_CCID=n
expect pc-nousb -libusb-1.0 +libnfc
grep -qx 'CONFIG_CARD_DEFAULT_TRANSPORT="nfc"' "$T/pc-nousb/.config" ||
	fail "pc-nousb: the default transport is not nfc"
config pc-nonfc pc-x86_64 CARD_NFC=n
expect pc-nonfc -libnfc
headers pc-nonfc | grep -qx libnfc && fail "pc-nonfc: libnfc headers still used"
# PRINT off: no printer backend, CCID keeps libusb.
config pc-noprint pc-x86_64 PRINT=n
expect pc-noprint +libusb-1.0
grep -q '^CONFIG_PRINT_' "$T/pc-noprint/.config" && fail "pc-noprint: a printer backend is left"

# CARD off: no transport, no card library, and no box's program; the host
# tools are still built.
config nocard pc-x86_64 CARD=n PRINT_LIBUSB=n
expect nocard $COMMON -libusb-1.0 -libnfc -libpcsclite
grep -q '^CONFIG_CARD_HAS_TRANSPORT=y' "$T/nocard/.config" && fail "nocard: a transport is left"
plan=$(make -n --no-print-directory O="$T/nocard" all 2>/dev/null)
printf '%s\n' "$plan" | grep -q -- "-o $T/nocard/sceau " && fail "nocard: sceau is built"
printf '%s\n' "$plan" | grep -q -- "-o $T/nocard/sceau-verify " || fail "nocard: sceau-verify is not built"
printf '%s\n' "$plan" | grep -q 'firmware/card/[a-z_0-9]*\.c' && fail "nocard: card/ is compiled"
plan=$(make -n --no-print-directory O="$T/pc" all 2>/dev/null)
printf '%s\n' "$plan" | grep -q -- "-o $T/pc/sceau " || fail "pc: sceau is not built"
echo ok
