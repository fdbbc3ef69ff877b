#!/bin/bash
# Adds up the test summaries of several builds into the final line CI reads.
# usage: scripts/summary.sh DIR...
set -u
passed=0; failed=0
for d in "$@"; do
	f="$d/test-summary"
	[ -f "$f" ] || { echo "no test summary in $d" >&2; failed=$((failed + 1)); continue; }
	read -r p _ fl _ < "$f"
	echo "   $d: $(cat "$f")"
	passed=$((passed + p)); failed=$((failed + fl))
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
