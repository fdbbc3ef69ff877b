#!/bin/bash
# The whole ceremony suite (test_ceremony.c), including the card pulled at
# every APDU, rerun over every simulated transport compiled in: the CCID
# driver over the simulated reader at short APDU level and at TPDU level
# (T=1 with a small IFSC, so that APDUs chain; there card 2 is also pulled
# at every T=1 block, in the middle of chains), and the simulated NFC
# transport when it is there. Run from the top with SCEAU_BUILD set. In the
# sanitizer run (SCEAU_SANITIZE=1) the two plain CCID configurations are
# left out: the T=1 one with chaining, waiting-time and time extensions runs
# the same code and more, and the unit tests cover the APDU-level reader.
set -eu
B="$SCEAU_BUILD/tests/session/test_ceremony"
CFG="$SCEAU_BUILD/.config"
if [ ! -x "$B" ]; then
	echo "FAIL: $B not built"
	exit 1
fi
has() { grep -qx "CONFIG_$1=y" "$CFG"; }

run() { # transport prefix (SCEAU_TEST_T1_SWEEP, SCEAU_TEST_FILTER passed on)
	echo "== $1 \"$2\""
	SCEAU_TEST_TRANSPORT="$1" SCEAU_TEST_SLOT_PREFIX="$2" "$B"
}

ran=0
if has CARD_CCID_SIM; then
	if [ "${SCEAU_SANITIZE:-}" != 1 ]; then
		run ccid-sim "apdu:"
		run ccid-sim "t1,ifsc=32:"
	fi
	SCEAU_TEST_T1_SWEEP=1 run ccid-sim "t1,ifsc=16,maxifsd=24,wtx=5,timeext=7:"
	ran=1
fi
if has CARD_NFC_SIM; then
	run nfc-sim ""
	ran=1
fi
if [ "$ran" = 0 ]; then
	echo "no simulated transport other than sim in this build: nothing to rerun"
fi
