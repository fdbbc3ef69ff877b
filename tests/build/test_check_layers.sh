#!/bin/bash
# The layer check (scripts/check-layers.sh): the tree as it is passes; an
# include that runs back up, an unknown module, or a cryptographic library
# included outside crypto/ each make it fail, naming the file and the line.
set -euo pipefail
fail() { echo "FAIL: $*" >&2; exit 1; }
W=$(mktemp -d /tmp/sceau-test-XXXXXX)
trap 'rm -rf "$W"' EXIT
scripts/check-layers.sh > "$W/ok.out" || { cat "$W/ok.out"; fail "the tree breaks its own layers"; }

plant() { # FILE LINE-TEXT EXPECTED-OUTPUT-PATTERN
	rm -rf "$W/t"; mkdir -p "$W/t"; cp -a firmware "$W/t/"
	printf '%s\n' "$2" >> "$W/t/firmware/$1"
	if scripts/check-layers.sh "$W/t" > "$W/bad.out" 2>&1; then
		fail "planted '$2' in $1 passed"
	fi
	grep -q "$3" "$W/bad.out" || { cat "$W/bad.out"; fail "planted '$2': no '$3'"; }
}
n=$(wc -l < firmware/lib/err.c)
plant lib/err.c '#include "session/session.h"' "firmware/lib/err.c:$((n + 1)): lib -> session"
plant format/record.c '#include "store/store.h"' "format/record.c:.*format -> store"
plant card/card.c '#include "sim/card_sim.h"' "card/card.c:.*card -> sim"
plant count/count.c '#  include "pv/pv.h"' "count -> pv"
plant verify/verify.c '#include <mbedtls/sha256.h>' "only crypto/ calls a cryptographic library"
plant format/urn.c '#include <openssl/evp.h>' "only crypto/ calls a cryptographic library"
mkdir -p "$W/t/firmware/newmod" && echo '#include "lib/err.h"' > "$W/t/firmware/newmod/x.c"
if scripts/check-layers.sh "$W/t" > "$W/bad.out" 2>&1; then fail "an unknown module passed"; fi
grep -q "not in the layer matrix" "$W/bad.out" || fail "unknown module: no message"
echo "layer check: the tree passes, 7 planted violations refused"
