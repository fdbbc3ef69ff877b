#!/bin/bash
# sceau-verify catches any single changed byte of any archive file (issue 6):
# for every file of a sealed archive made by the real pipeline (one PV of
# each format), a byte at the start, the end, the middle and at three other
# places is flipped; the
# verifier must exit 1, the final manifest must name the file (every file
# but the manifest and its signatures), and the check that owns the file
# must fail too (e.g. the recount for the decrypted ballots, the card
# signatures for results.json, the shuffle proof for a shuffle file; every
# byte of the v2 files, one at a time, is tests/verify/test_verify_v2.c's).
. tests/session/lib.sh
. tests/verify/archive.sh
W=$(mktemp -d /tmp/sceau-test-XXXXXX)
trap 'rm -rf "$W"' EXIT
counted_session "$W/s" 30
seal "$W/s" "$W/a"
A=$W/a

# The checks of which at least one must fail when the file changes.
owners() {
	case "$1" in
	record.json) echo "record urn.seal emargement.seal" ;;
	election.json) echo "election" ;;
	urn.iso) echo "urn.seal urn.ballots count" ;;
	emargement.iso) echo "emargement.seal emargement.entries count" ;;
	ballots-decrypted.bin) echo "decrypted.file decrypted.proofs count" ;;
	shuffle-*.bin) echo "shuffle" ;;
	results.json) echo "signatures.results" ;;
	signatures-results.json) echo "signatures.results" ;;
	manifest.json | signatures-manifest.json) echo "signatures.manifest" ;;
	session.db) echo "manifest journal database" ;;
	*) echo "manifest" ;; # firmware.txt, pv-*: only the manifest holds them
	esac
}

flip() { # FILE OFFSET MASK: xor one byte in place
	local b
	b=$(od -An -tu1 -j "$2" -N1 "$1")
	# shellcheck disable=SC2059
	printf "\\$(printf %03o $((b ^ $3)))" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

# From the English text report (cheaper than a JSON reader per run): the
# failed checks, and the failure notes of one check.
failed_checks() { sed -n 's/^\[FAIL\] *\([a-z.]*\) —.*/\1/p' "$1" | tr '\n' ' '; }
check_notes() { awk -v id="$2" '/^\[/ { on = ($2 == id || $3 == id) } on && /✗/' "$1"; }

rc=$(verify "$W/ok" "$A")
[ "$rc" = 0 ] || { cat "$W/ok.txt"; fail "pristine archive: exit $rc"; }
# Every file but the PVs, and the first PV in each format: the PVs are only
# covered by the manifest, the same way.
files=$(ls "$A" | grep -v '^pv-'; ls "$A" | grep '^pv-.*\.pdf$' | head -1;
	ls "$A" | grep '^pv-.*\.ps$' | head -1)
runs=0
for f in $files; do
	path=$A/$f
	size=$(stat -c %s "$path")
	seed=$(cksum <<< "$f" | cut -d' ' -f1)
	for k in 0 1 2 3 4 5; do
		case $k in
		0) off=0 ;;
		1) off=$((size - 1)) ;;
		2) off=$((size / 2)) ;;
		*) off=$(((seed % 1000003) * (k + 7) * 7919 % size)) ;;
		esac
		mask=$((1 << ((seed + k) % 8)))
		flip "$path" "$off" "$mask"
		# The PV PDFs are rendered only when one of them changed: 126 runs
		# would spend most of their time drawing 17 unchanged pages.
		nopdf=--no-pdf
		case "$f" in pv-*.pdf) nopdf= ;; esac
		rc=0
		# shellcheck disable=SC2086
		"$V" --lang en $nopdf "$A" > "$W/r.txt" 2>&1 || rc=$?
		flip "$path" "$off" "$mask"
		runs=$((runs + 1))
		[ "$rc" = 1 ] || { cat "$W/r.txt"; fail "$f byte $off ^ $mask: exit $rc"; }
		failed=" $(failed_checks "$W/r.txt")"
		hit=0
		for c in $(owners "$f"); do case "$failed" in *" $c "*) hit=1 ;; esac; done
		[ "$hit" = 1 ] || { cat "$W/r.txt"; fail "$f byte $off ^ $mask: failed [$failed], expected one of $(owners "$f")"; }
		case "$f" in manifest.json | signatures-manifest.json) continue ;; esac
		check_notes "$W/r.txt" manifest | grep -qF "✗ $f: " ||
			{ cat "$W/r.txt"; fail "$f byte $off ^ $mask: the manifest check does not name it"; }
	done
done
rc=$(verify "$W/ok2" "$A")
[ "$rc" = 0 ] || fail "the archive was not restored"
echo "$runs single-byte changes, every one caught and attributed"
