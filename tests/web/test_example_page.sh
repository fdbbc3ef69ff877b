#!/bin/bash
# The example voter page (tools/web/example/) in Debian's chromium, headless,
# driven through the DevTools protocol: the cast path by keyboard, the audit
# path by mouse (the audit JSON downloaded checked in Node.js and in Python,
# a changed copy refused), accessibility and no outside resource
# (tests/web/example-page.test.mjs). Screenshots: $SCEAU_BUILD/test-logs/web-example.
# About 15 s.
set -euo pipefail
. tests/web/lib.sh
node "${NODE_FLAGS[@]}" --test tests/web/example-page.test.mjs
