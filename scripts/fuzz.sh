#!/bin/bash
# Runs every libFuzzer target of a fuzz build for SECONDS each, on a copy of
# its seed corpus (tests/fuzz/corpus/<name>), and writes a test summary.
# usage: scripts/fuzz.sh BUILD_DIR SECONDS
set -u
B=$(cd "$1" && pwd); S=$2
top=$(cd "$(dirname "$0")/.." && pwd)
passed=0; failed=0
mkdir -p "$B/fuzz-runs"
for f in "$B"/tests/fuzz/fuzz_*; do
	[ -x "$f" ] || continue
	name=$(basename "$f"); name=${name#fuzz_}
	work="$B/fuzz-runs/$name"
	rm -rf "$work"; mkdir -p "$work/corpus"
	[ -d "$top/tests/fuzz/corpus/$name" ] && cp -r "$top/tests/fuzz/corpus/$name/." "$work/corpus/"
	if (cd "$work" && "$f" -max_total_time="$S" -max_len=65536 -rss_limit_mb=1024 -print_final_stats=1 \
		corpus >"$work/log" 2>&1); then
		passed=$((passed + 1))
		printf '  ok    fuzz %-20s %s\n' "$name" "$(grep -o 'stat::number_of_executed_units: [0-9]*' "$work/log" | tail -1 | sed 's/.*: //') runs in ${S}s"
	else
		failed=$((failed + 1))
		printf '  FAIL  fuzz %s (log: %s)\n' "$name" "$work/log"
		tail -n 40 "$work/log" | sed 's/^/        | /'
	fi
done
echo "$passed passed, $failed failed" | tee "$B/test-summary"
[ "$failed" -eq 0 ]
