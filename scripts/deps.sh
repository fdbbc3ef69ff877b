#!/bin/sh
# Installs the Debian packages that building, testing and the demo need.
# Runs apt-get only when something is missing, so it is cheap when set up.
set -eu

PKGS="build-essential pkg-config python3 python3-kconfiglib dpkg-dev
libjansson-dev libsqlite3-dev sqlite3 libarchive-dev libcairo2-dev fonts-dejavu-core
libqrencode-dev libusb-1.0-0-dev libnfc-dev libcmocka-dev libzbar-dev libjpeg-dev libfreetype-dev
libpoppler-glib-dev libssl-dev
clang libclang-rt-14-dev valgrind xorriso poppler-utils zbar-tools ghostscript
tmux nodejs npm chromium time libarchive-tools libncurses-dev gettext locales python3-cryptography
pcscd libpcsclite-dev vsmartcard-vpcd scdaemon opensc gnupg iproute2 procps util-linux"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed'; then
		missing="$missing $p"
	fi
done
# nodejs and npm may come from elsewhere than Debian (a Node.js build that
# bundles its npm): a working node and npm are enough. Otherwise Debian's
# packages are installed; tools/web's npm ci works with them too (Debian 12:
# Node.js 18 and npm 9; scripts/web-deps.sh). chromium runs the reference
# encryptor in a real browser in the tests (tests/web/test_browser.sh).
case "$missing" in *' nodejs'*) command -v node >/dev/null 2>&1 &&
	missing=$(echo "$missing" | sed 's/ nodejs//') ;; esac
case "$missing" in *' npm'*) command -v npm >/dev/null 2>&1 &&
	missing=$(echo "$missing" | sed 's/ npm//') ;; esac

if [ -n "$missing" ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "missing Debian packages:$missing" >&2
		echo "run 'make deps' as root, or: apt-get install$missing" >&2
		exit 1
	fi
	echo "installing:$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q
	# shellcheck disable=SC2086
	apt-get install -y -q --no-install-recommends $missing
fi
