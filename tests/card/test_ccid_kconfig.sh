#!/bin/bash
# Kconfig: PC/SC and the direct CCID driver can never be on one box (both
# would claim the readers' USB interfaces). A .config asking for both comes
# out of kconfiglib's olddefconfig with CARD_PCSC off and CARD_CCID on, and
# a board defconfig gets the ccid transport by default. Run from the top.
set -eu
PY=/usr/bin/python3
KLIB=/usr/lib/python3/dist-packages
T=$(mktemp -d /tmp/sceau-test-XXXXXX)
trap 'rm -rf "$T"' EXIT

cat >"$T/.config" <<'CFG'
CONFIG_SIMULATION_ALLOWED=y
CONFIG_CARD=y
CONFIG_CARD_SIM=y
CONFIG_CARD_PCSC=y
CONFIG_CARD_CCID=y
CONFIG_CARD_CCID_SIM=y
CFG
KCONFIG_CONFIG="$T/.config" $PY "$KLIB/olddefconfig.py" Kconfig >/dev/null
grep -qx 'CONFIG_CARD_CCID=y' "$T/.config" || { echo "FAIL: CARD_CCID lost"; exit 1; }
if grep -q '^CONFIG_CARD_PCSC=y' "$T/.config"; then
	echo "FAIL: CARD_PCSC and CARD_CCID survived together"
	exit 1
fi
grep -qx 'CONFIG_CARD_CCID_ENGINE=y' "$T/.config"

# without CARD_SIM there is no simulated reader
printf 'CONFIG_CARD=y\nCONFIG_CARD_CCID_SIM=y\n' >"$T/.config"
KCONFIG_CONFIG="$T/.config" $PY "$KLIB/olddefconfig.py" Kconfig >/dev/null
if grep -q '^CONFIG_CARD_CCID_SIM=y' "$T/.config"; then
	echo "FAIL: CARD_CCID_SIM without CARD_SIM"
	exit 1
fi

# the real boards: the ccid transport, no simulation, no pcsc
for b in pc-x86_64 aarch64-generic; do
	KCONFIG_CONFIG="$T/.config" $PY "$KLIB/defconfig.py" --kconfig Kconfig \
		"board/$b/defconfig" >/dev/null
	grep -qx 'CONFIG_CARD_DEFAULT_TRANSPORT="ccid"' "$T/.config" ||
		{ echo "FAIL: $b does not default to ccid"; exit 1; }
	if grep -q '^CONFIG_CARD_CCID_SIM=y\|^CONFIG_CARD_PCSC=y' "$T/.config"; then
		echo "FAIL: $b has a simulated reader or pcsc"
		exit 1
	fi
done
echo "ok"
