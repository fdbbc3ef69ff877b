#!/bin/bash
# The v2 reference encryptor in Debian's chromium, headless, on a page served
# from 127.0.0.1; its ballots are checked in Node.js and in Python
# (tests/web/browser-test.mjs). About 10 s.
set -euo pipefail
. tests/web/lib.sh
node "${NODE_FLAGS[@]}" --test tests/web/browser-test.mjs
