#!/bin/bash
# The worked vectors of the v2 files (tests/data/v2-formats), read by two
# implementations that share no code with the box: tests/format/v2_formats.py,
# written from docs/FORMATS.md (urn records and their proofs, the set-aside
# rule, the shuffle files' layout and what their outputs open to, every
# decryption and its proof), and tests/crypto/sceau_v2_ref.py, which checks
# each shuffle proof in full. Then a byte changed in each file is caught.
set -eu
cd "${SCEAU_TOP:-$(dirname "$0")/../..}"
py=/usr/bin/python3
W=$(mktemp -d /tmp/sceau-test-XXXXXX)
trap 'rm -rf "$W"' EXIT
cp tests/data/v2-formats/* "$W/"
$py tests/format/v2_formats.py "$W"
pk=$($py -c 'import json,sys; print(json.load(open(sys.argv[1]))["public_key"])' "$W/expected.json")
echo "$pk" > "$W/pk.hex"
for s in 1 2; do
	$py tests/crypto/sceau_v2_ref.py check "$W/shuffle-$s.bin" "$W/shuffle-$s.bin.inputs" "$W/pk.hex" ||
		{ echo "FAIL: the reference refuses the proof of shuffle-$s.bin"; exit 1; }
done
echo "the shuffle proofs hold (tests/crypto/sceau_v2_ref.py)"
# one byte changed: the reader refuses (the expected hashes aside)
for f in ballots.bin:100 ballots.bin:1000 shuffle-1.bin:60 shuffle-2.bin:1000 \
	ballots-decrypted.bin:30 ballots-decrypted.bin:700; do
	rm -rf "$W/bad"; mkdir "$W/bad"; cp tests/data/v2-formats/* "$W/bad/"
	name=${f%%:*} off=${f##*:}
	printf '\x5a' | dd of="$W/bad/$name" bs=1 seek="$off" conv=notrunc 2>/dev/null
	if $py tests/format/v2_formats.py "$W/bad" > "$W/bad.out" 2>&1; then
		echo "FAIL: $name with byte $off changed is accepted"; exit 1
	fi
done
echo "a changed byte is caught in each file"
