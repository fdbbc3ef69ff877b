#!/bin/bash
# The v2 reference encryptor (tools/web/sceau-ballot.js) under Node.js: known
# answers against the independent Python recomputation, properties of its
# ballots and of checkRecord(), and its ballots checked again in Python
# (tests/web/ballot-v2.test.mjs); and its command-line driver tools/web/ballot-cli.mjs
# (tests/web/cli.test.mjs); cast-or-audit, audited ballots checked in
# JavaScript and in Python (tests/web/audit.test.mjs).
set -euo pipefail
. tests/web/lib.sh
node "${NODE_FLAGS[@]}" --test tests/web/ballot-v2.test.mjs tests/web/cli.test.mjs \
	tests/web/audit.test.mjs
