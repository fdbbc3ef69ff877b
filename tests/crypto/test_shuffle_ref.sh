#!/bin/bash
# The shuffle's known answer, checked by a second implementation: the
# Python reference (tests/crypto/sceau_v2_ref.py, Python integers only,
# written from the specification) passes the RFC 9380 vectors, accepts the
# proof that the C prover wrote (tests/data/shuffle-v2, pinned byte for byte
# by test_shuffle.c), opens its outputs with the test key to the inputs'
# plaintexts in another order, and refuses the proof with any byte changed
# in a sample of places (one in each part).
set -eu
cd "${SCEAU_TOP:-$(dirname "$0")/../..}"
ref=tests/crypto/sceau_v2_ref.py
d=tests/data/shuffle-v2
py=/usr/bin/python3
$py $ref selftest tests/data/h2c
$py $ref check $d/kat-n10.bin $d/kat-n10-inputs.bin $d/kat-pk.hex
sk=1d8a6e2c5b3f9a07c4e1d2b3a59687f0e1c2d3b4a5968778695a4b3c2d1e0f1a
echo $sk > "${TMPDIR:-/tmp}/sceau-shuffle-sk.$$"
$py $ref open $d/kat-n10.bin "${TMPDIR:-/tmp}/sceau-shuffle-sk.$$" > "${TMPDIR:-/tmp}/sceau-shuffle-out.$$"
rm -f "${TMPDIR:-/tmp}/sceau-shuffle-sk.$$"
# the inputs' plaintexts, from the fixture: m_j = SHA-256("input m" || u32be(j)) mod n
$py - "${TMPDIR:-/tmp}/sceau-shuffle-out.$$" <<'PY'
import hashlib, sys
sys.path.insert(0, "tests/crypto")
import sceau_v2_ref as r
want = sorted("%064x" % r.mul(int.from_bytes(hashlib.sha256(b"input m" + j.to_bytes(4, "big")).digest(), "big") % r.N, r.G)[0] for j in range(10))
got = open(sys.argv[1]).read().split()
assert sorted(got) == want, "the outputs do not open to the inputs' plaintexts"
assert got != [w for w in want], "not shuffled"
print("outputs open to a permutation of the inputs' plaintexts")
PY
rm -f "${TMPDIR:-/tmp}/sceau-shuffle-out.$$"
# one byte changed in each part: header 52, then OUT, C, C^, T, t^, S, s^, s'
n=10
for off in 60 $((52 + 130*n + 70)) $((52 + 195*n + 100)) $((52 + 260*n + 20)) \
	$((52 + 260*n + 325 + 10)) $((52 + 325*n + 325 + 5)) $((52 + 325*n + 453 + 3)) \
	$((52 + 357*n + 453 + 31)); do
	cp $d/kat-n10.bin "${TMPDIR:-/tmp}/sceau-shuffle-bad.$$"
	printf '\x5a' | dd of="${TMPDIR:-/tmp}/sceau-shuffle-bad.$$" bs=1 seek=$off conv=notrunc 2>/dev/null
	if $py $ref check "${TMPDIR:-/tmp}/sceau-shuffle-bad.$$" $d/kat-n10-inputs.bin $d/kat-pk.hex 2>/dev/null; then
		echo "byte $off changed, yet the reference accepts the proof" >&2
		exit 1
	fi
done
rm -f "${TMPDIR:-/tmp}/sceau-shuffle-bad.$$"
echo "independent check of the shuffle's known answer: ok"
