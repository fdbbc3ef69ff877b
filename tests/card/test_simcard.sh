#!/bin/bash
# sceau-simcard (tools/simcard.c): new, show, pull, insert on a scratch slot;
# show never prints a PIN hash or a key. Run by scripts/run-tests.sh with
# SCEAU_BUILD set to the build directory.
set -eu
B="$SCEAU_BUILD/sceau-simcard"
# `make run-tests` builds the tools; `make tests` alone does not.
if [ ! -x "$B" ]; then
	echo "FAIL: $B not built (make O=<dir> all, or make run-tests)"
	exit 1
fi
T=$(mktemp -d /tmp/sceau-test-XXXXXX)
trap 'rm -rf "$T"' EXIT
S="$T/lecteur-1"

"$B" new "$S" --serial 0000ABCD | grep -q "new card 0000ABCD"
[ -f "$S/card.json" ]
if "$B" new "$S" 2>/dev/null; then echo "new overwrote a card"; exit 1; fi
out=$("$B" show "$S")
echo "$out" | grep -q "card            inserted"
echo "$out" | grep -q "serial          0000ABCD"
echo "$out" | grep -q "tries left      PW1 3, RC 0, PW3 3"
echo "$out" | grep -q "share (DO 0103) none"
# nothing secret: no salt, PIN hash or key from the card file
for h in $(grep -v '"aid"' "$S/card.json" | grep -o '"[0-9a-f]\{32,\}"' | tr -d '"'); do
	if echo "$out" | grep -q "$h"; then echo "show printed $h"; exit 1; fi
done
"$B" pull "$S" >/dev/null
[ ! -e "$S/card.json" ] && [ -f "$S/card.out.json" ]
"$B" show "$S" | grep -q "pulled"
if "$B" pull "$S" 2>/dev/null; then echo "pulled an absent card"; exit 1; fi
"$B" insert "$S" >/dev/null
[ -f "$S/card.json" ] && [ ! -e "$S/card.out.json" ]
# a card pulled by fault injection goes back the same way
mv "$S/card.json" "$S/card.pulled.json"
"$B" insert "$S" >/dev/null
[ -f "$S/card.json" ]
if "$B" new "$T/x" --serial 12 2>/dev/null; then echo "bad serial accepted"; exit 1; fi
if "$B" show "$T/missing" 2>/dev/null; then echo "missing slot shown"; exit 1; fi
"$B" new "$T/random" | grep -q "new card [0-9A-F]\{8\}"
echo ok
