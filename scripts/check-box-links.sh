#!/bin/bash
# What a counting box's program must never carry (make check-boards):
#   - libpcsclite: the box drives its readers itself (CCID); pcscd would
#     claim them (CARD_PCSC is for the host simulation's interop tests);
#   - libzbar, libjpeg, libpoppler (and libpoppler-glib): the box never
#     reads photos of PVs nor renders PDFs (VERIFY_SCAN is for the experts'
#     host tools);
#   - libcrypto (OpenSSL): the box's cryptography is mbedTLS alone
#     (CRYPTO_OPENSSL, the verifier's second implementation of the v2
#     checks, is for the experts' host tools);
#   - any simulated device (firmware/sim/): a box built with one could not
#     be trusted. Found by nm: a symbol named *_sim_* / *_sim / sim_*, or
#     the file symbol of an object compiled from firmware/sim/.
# The program must not be stripped (nm needs its symbol table).
#
# usage: scripts/check-box-links.sh PROGRAM
# Prints each finding and exits 1 if there is any, 2 if it cannot check.
set -u
prog=${1:?usage: $0 PROGRAM}
top=$(cd "$(dirname "$0")/.." && pwd)
FORBIDDEN_LIBS='libpcsclite libzbar libjpeg libpoppler libcrypto'

[ -f "$prog" ] || { echo "$prog: no such program" >&2; exit 2; }
libs=$(ldd "$prog" 2>&1) || { echo "$prog: ldd failed: $libs" >&2; exit 2; }
syms=$(nm -a "$prog" 2>/dev/null) || { echo "$prog: nm failed" >&2; exit 2; }
[ -n "$syms" ] || { echo "$prog: no symbols (stripped?): cannot check" >&2; exit 2; }

bad=0
for lib in $FORBIDDEN_LIBS; do
	hit=$(printf '%s\n' "$libs" | awk -v l="$lib" '$1 ~ "^" l "[.-]" { print $1 }')
	if [ -n "$hit" ]; then
		echo "$prog links $hit"
		bad=1
	fi
done

# Symbols of simulated devices, by their names.
hit=$(printf '%s\n' "$syms" | awk '$NF ~ /(^|_)sim(_|$)/ { print $NF }' | sort -u)
if [ -n "$hit" ]; then
	echo "$prog holds simulated-device symbols: $(echo $hit | cut -c1-300)"
	bad=1
fi
# Objects of firmware/sim/, by the file symbols the compiler leaves.
for src in "$top"/firmware/sim/*.c; do
	f=${src##*/}
	if printf '%s\n' "$syms" | awk -v f="$f" '$2 == "a" && $3 == f { found = 1 } END { exit !found }'; then
		echo "$prog holds an object of firmware/sim/$f"
		bad=1
	fi
done

[ $bad = 0 ] && echo "$prog: no libpcsclite, libzbar, libjpeg, libpoppler, libcrypto, nor simulated device"
exit $bad
