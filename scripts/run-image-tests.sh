#!/bin/bash
# Runs the box image's tests (tests/image/, docs/BOX.md):
#   SCEAU_IMAGE=ISO SCEAU_BUILD=DIR scripts/run-image-tests.sh contents boot repro
# contents: the file list (test_image_contents.sh); boot: an election held in
# the image under QEMU (test_image_boot.sh); firmware: BIOS and UEFI boots
# through GRUB (test_image_firmware.sh); repro: a second image built from
# scratch and compared byte for byte (test_image_repro.sh). Each test's log
# is in $SCEAU_BUILD/test-logs/image-NAME.log; one line per test with its
# time, then "N passed, N failed".
set -u
: "${SCEAU_IMAGE:?}" "${SCEAU_BUILD:?}"
export SCEAU_IMAGE SCEAU_BUILD
logs=$SCEAU_BUILD/test-logs
mkdir -p "$logs"
pass=0 failed=0
for t in "$@"; do
	start=$SECONDS
	if bash "tests/image/test_image_$t.sh" > "$logs/image-$t.log" 2>&1; then
		pass=$((pass + 1)); r=PASS
	else
		failed=$((failed + 1)); r=FAIL
	fi
	echo "$r image/$t ($((SECONDS - start)) s, load $(cut -d' ' -f1-3 /proc/loadavg))"
	[ $r = PASS ] || tail -n 15 "$logs/image-$t.log"
done
echo "$pass passed, $failed failed"
[ "$failed" -eq 0 ]
