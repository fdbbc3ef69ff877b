#!/bin/bash
# The v2 known answers (tests/data/v2-vectors.json) are right independently
# of the C: tests/crypto/v2_vectors.py recomputes every value of the file
# from docs/CRYPTO-V2-NOTES.md with its own P-256 arithmetic and checks the
# start-up self-test's v2 constants against it; and the C generator
# (test_v2_vectors gen) gives the committed file byte for byte, so that the
# file cannot drift from the code without this test failing. Run from the top.
set -eu
T=$(mktemp -d /tmp/sceau-test-XXXXXX)
trap 'rm -rf "$T"' EXIT
VEC=tests/data/v2-vectors.json

/usr/bin/python3 tests/crypto/v2_vectors.py "$VEC" firmware/crypto/selftest.c

"$SCEAU_BUILD/tests/crypto/test_v2_vectors" gen >"$T/regen.json"
if ! cmp -s "$T/regen.json" "$VEC"; then
	diff "$VEC" "$T/regen.json" | head -20
	echo "FAIL: test_v2_vectors gen no longer gives $VEC"
	exit 1
fi

# The independent checker does catch a wrong value (it is not vacuous):
# the first ballot's tracker with its last hex digit changed.
/usr/bin/python3 - "$VEC" "$T/bad.json" <<'PY'
import json, sys
v = json.load(open(sys.argv[1]))
t = v['ballots'][0]['tracker']
v['ballots'][0]['tracker'] = t[:-1] + ('0' if t[-1] != '0' else '1')
json.dump(v, open(sys.argv[2], 'w'))
PY
if /usr/bin/python3 tests/crypto/v2_vectors.py "$T/bad.json" >"$T/bad.out"; then
	echo "FAIL: v2_vectors.py accepted a changed tracker"; exit 1
fi
grep -q "MISMATCH ballots\[0\].*tracker" "$T/bad.out" || { cat "$T/bad.out"; exit 1; }
echo "ok"
