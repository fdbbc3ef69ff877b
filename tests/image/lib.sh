# Shared by the image tests (scripts/run-image-tests.sh): SCEAU_IMAGE is the
# ISO, SCEAU_BUILD a host-sim build (sceau-simcard, sceau-platform,
# sceau-verify, sceau-vscard), run from the top of the repository.
set -euo pipefail
IMG=$(realpath "$SCEAU_IMAGE")
B=$(realpath "$SCEAU_BUILD")
W=$(mktemp -d /tmp/sceau-image-XXXXXX)

fail() { echo "FAIL: $*" >&2; exit 1; }

# iso_get PATH_IN_ISO DEST: one file out of the ISO (xorriso reads it).
iso_get() {
	xorriso -osirrox on -indev "$IMG" -extract "$1" "$2" >/dev/null 2>&1 ||
		fail "no $1 in $IMG"
	chmod u+w "$2"
}
