#!/bin/bash
# Runs the unit tests (cmocka binaries under O/tests) and the scripted tests
# (tests/*/*.sh, given the build directory in SCEAU_BUILD) of one build.
# Prints one line per test program and ends with "N passed, N failed".
# usage: scripts/run-tests.sh O ['MODULE-GLOB ...']  (e.g. 'session verify')
set -u
O=$1
set -f; GLOBS=(${2:-*}); set +f
top=$(cd "$(dirname "$0")/.." && pwd)
export SCEAU_BUILD="$top/$O"
export SCEAU_TOP="$top"
export CMOCKA_MESSAGE_OUTPUT=stdout
logdir="$top/$O/test-logs"
rm -rf "$logdir"; mkdir -p "$logdir"
passed=0; failed=0; failures=""

run_unit() { # binary
	local b=$1 name log ok bad rc t0
	name=${b#"$top/$O/tests/"}
	log="$logdir/${name//\//_}.log"
	t0=$SECONDS
	"$b" >"$log" 2>&1; rc=$?
	t0=$((SECONDS - t0))
	ok=$(grep -c '^\[       OK \]' "$log")
	bad=$(grep -cE '^\[  (FAILED|ERROR)   \] [a-z_0-9]+$|^\[  ERROR   \]' "$log")
	if [ "$rc" -ne 0 ] && [ "$bad" -eq 0 ]; then bad=1; fi
	passed=$((passed + ok)); failed=$((failed + bad))
	if [ "$bad" -ne 0 ]; then
		failures="$failures $name"
		printf '  FAIL  %-40s %d ok, %d failed (log: %s)\n' "$name" "$ok" "$bad" "$log"
		tail -n 30 "$log" | sed 's/^/        | /'
	else
		printf '  ok    %-40s %d tests (%d s)\n' "$name" "$ok" "$t0"
	fi
}

run_script() { # script
	local s=$1 name log rc t0
	name=${s#"$top/tests/"}
	log="$logdir/${name//\//_}.log"
	t0=$SECONDS
	(cd "$top" && bash "$s") >"$log" 2>&1; rc=$?
	t0=$((SECONDS - t0))
	if [ "$rc" -eq 0 ]; then
		passed=$((passed + 1))
		printf '  ok    %-40s (%d s)\n' "$name" "$t0"
	else
		failed=$((failed + 1)); failures="$failures $name"
		printf '  FAIL  %s (exit %d, log: %s)\n' "$name" "$rc" "$log"
		tail -n 30 "$log" | sed 's/^/        | /'
	fi
}

echo "== tests of $O"
for b in $(find "$top/$O/tests" -path "$top/$O/tests/fuzz" -prune -o \
	-type f -name 'test_*' -perm -u+x -print 2>/dev/null | sort); do
	for g in "${GLOBS[@]}"; do
		case "$b" in "$top/$O/tests/"$g/*) run_unit "$b"; break ;; esac
	done
done
for s in $(for g in "${GLOBS[@]}"; do ls "$top"/tests/$g/test_*.sh 2>/dev/null; done | sort -u); do
	# The box image's tests need the image: scripts/run-image-tests.sh.
	case $s in "$top"/tests/image/*) continue ;; esac
	run_script "$s"
done
echo "$passed passed, $failed failed" | tee "$top/$O/test-summary"
[ "$failed" -eq 0 ]
