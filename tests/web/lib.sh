# Sourced by tests/web/test_*.sh (run from the top of the tree): Node.js and
# tools/web's npm packages, as scripts/deps.sh and scripts/web-deps.sh (make
# deps) install them. Node.js >= 20 has crypto.getRandomValues as a global;
# Debian 12's Node.js 18 needs --experimental-global-webcrypto for it.
# Sets NODE_FLAGS. These tests run no C: the sanitizer run skips them.
if [ "${SCEAU_SANITIZE:-}" = 1 ]; then
	echo "SKIP: no C code runs here (the plain run has these tests)"
	exit 0
fi
if ! command -v node >/dev/null 2>&1; then
	echo "FAIL: Node.js is missing: run scripts/deps.sh as root (make deps)" >&2
	exit 1
fi
node_major=$(node -p 'process.versions.node.split(".")[0]')
NODE_FLAGS=()
if [ "$node_major" -lt 18 ]; then
	echo "FAIL: Node.js $(node --version) is too old (18 or later)" >&2
	exit 1
elif [ "$node_major" -lt 20 ]; then
	NODE_FLAGS=(--experimental-global-webcrypto)
fi
lock_sum=$(sha256sum tools/web/package-lock.json | cut -d' ' -f1)
if [ "$(cat tools/web/node_modules/.sceau-lock.sha256 2>/dev/null)" != "$lock_sum" ]; then
	echo "FAIL: tools/web/node_modules is not installed from tools/web/package-lock.json:" \
		"run scripts/web-deps.sh (make deps does)" >&2
	exit 1
fi
