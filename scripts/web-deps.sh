#!/bin/sh
# Installs the reference encryptor's npm packages (tools/web: @noble/curves and
# @noble/hashes at the exact versions and integrity hashes of package-lock.json)
# with `npm ci`. Does nothing, and needs no network, when tools/web/node_modules
# was installed from this very lock file (the stamp below); npm ci itself
# prefers its cache, so a re-install after a lock change downloads only what
# the cache lacks.
set -eu

web=$(cd "$(dirname "$0")/../tools/web" && pwd)
stamp="$web/node_modules/.sceau-lock.sha256"
want=$(sha256sum "$web/package-lock.json" | cut -d' ' -f1)

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] &&
   [ -f "$web/node_modules/@noble/curves/package.json" ] &&
   [ -f "$web/node_modules/@noble/hashes/package.json" ]; then
	exit 0
fi
for tool in node npm; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "web-deps: $tool is missing: run scripts/deps.sh as root (Debian's nodejs and npm)" >&2
		exit 1
	fi
done
echo "installing tools/web's npm packages (npm ci)"
cd "$web"
npm ci --prefer-offline --no-audit --no-fund --loglevel=error
echo "$want" >"$stamp"
