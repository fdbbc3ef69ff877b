#!/bin/bash
# scripts/check-box-links.sh, which `make check-boards` runs on the
# pc-x86_64 box's program, fails on what a box must not carry and passes a
# clean program: small programs linked on purpose with libjpeg, libzbar,
# libpoppler-glib, libpcsclite or libcrypto (OpenSSL), or holding a symbol or an object of a simulated device; then
# the program of this build, if it is a simulation build (it has them all).
# Run from the top.
set -eu
T=$(mktemp -d /tmp/sceau-test-XXXXXX)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
CHECK=scripts/check-box-links.sh
CC=${CC:-cc}

# prog NAME [CC ARGS...]: a program from main.c and the arguments.
prog() {
	local name=$1
	shift
	$CC -o "$T/$name" "$T/main.c" "$@"
}
# refused PROGRAM WHAT: the check fails on it and names WHAT.
refused() {
	local out rc=0
	out=$($CHECK "$T/$1" 2>&1) || rc=$?
	[ "$rc" = 1 ] || fail "$1: exit $rc, not 1: $out"
	printf '%s\n' "$out" | grep -q -- "$2" || fail "$1: \"$2\" not reported: $out"
}

echo 'int main(void) { return 0; }' >"$T/main.c"
prog clean
$CHECK "$T/clean" >/dev/null || fail "a clean program is refused"

# --no-as-needed: linked although nothing calls into the library.
prog jpeg -Wl,--no-as-needed -ljpeg
refused jpeg 'links libjpeg'
prog zbar -Wl,--no-as-needed -lzbar
refused zbar 'links libzbar'
prog pcsc -Wl,--no-as-needed -lpcsclite
refused pcsc 'links libpcsclite'
prog poppler -Wl,--no-as-needed -lpoppler-glib
refused poppler 'links libpoppler'
prog libcrypto -Wl,--no-as-needed -lcrypto
refused libcrypto 'links libcrypto'

# A simulated device's symbol, then an object of firmware/sim/ (its file
# symbol, whatever its functions are called).
echo 'int usb_sim_plug(void) { return 0; }' >"$T/dev.c"
prog simsym "$T/dev.c"
refused simsym 'simulated-device symbols: usb_sim_plug'
printf 'static int helper(int x) { return x + 1; }\nint (*hook)(int) = helper;\n' \
	>"$T/ccid_sim.c"
prog simobj "$T/ccid_sim.c"
refused simobj 'object of firmware/sim/ccid_sim.c'

# A stripped program cannot be checked: an error, not a pass.
cp "$T/clean" "$T/stripped" && strip "$T/stripped"
rc=0
$CHECK "$T/stripped" >/dev/null 2>&1 || rc=$?
[ "$rc" = 2 ] || fail "a stripped program gave exit $rc, not 2"

# This build's program, if it simulates devices: everything is reported.
B=${SCEAU_BUILD:-build}
if grep -qx 'CONFIG_SIMULATION_ALLOWED=y' "$B/.config" 2>/dev/null && [ -x "$B/sceau" ]; then
	rc=0
	out=$($CHECK "$B/sceau" 2>&1) || rc=$?
	[ "$rc" = 1 ] || fail "$B/sceau: exit $rc, not 1"
	grep -q '^CONFIG_CARD_PCSC=y' "$B/.config" && { printf '%s\n' "$out" |
		grep -q 'links libpcsclite' || fail "$B/sceau: libpcsclite not reported"; }
	grep -q '^CONFIG_VERIFY_SCAN=y' "$B/.config" && { printf '%s\n' "$out" |
		grep -q 'links libzbar' || fail "$B/sceau: libzbar not reported"; }
	grep -q '^CONFIG_VERIFY_SCAN=y' "$B/.config" && { printf '%s\n' "$out" |
		grep -q 'links libpoppler' || fail "$B/sceau: libpoppler not reported"; }
	# (only what the program calls is linked: libcrypto once it calls OpenSSL)
	if grep -q '^CONFIG_CRYPTO_OPENSSL=y' "$B/.config" && ldd "$B/sceau" | grep -q libcrypto; then
		printf '%s\n' "$out" | grep -q 'links libcrypto' || fail "$B/sceau: libcrypto not reported"
	fi
	printf '%s\n' "$out" | grep -q 'object of firmware/sim/card_sim.c' ||
		fail "$B/sceau: the simulated card not reported"
fi
echo ok
