#!/bin/bash
# sceau-prepare (tools/prepare.c): the HR example CSV files give exactly the
# committed demo files (tests/data/), and malformed CSV files are refused
# with a message naming the file and the line.
# Run by scripts/run-tests.sh with SCEAU_BUILD (build directory) and the
# repository as the current directory.
set -u
top=${SCEAU_TOP:-$(pwd)}
prep=${SCEAU_BUILD:?SCEAU_BUILD must name the build directory}/sceau-prepare
ex=$top/examples
title="Élections du comité social et économique 2026"

[ -d "$ex" ] || { echo "FAIL: $ex does not exist"; exit 1; }
[ -x "$prep" ] || { echo "FAIL: $prep not built"; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# prepare ELECTION CANDIDATES BUREAU: runs the tool into $tmp/out-*.json,
# its messages into $tmp/log.
prepare() {
	"$prep" --election "$1" --candidates "$2" --bureau "$3" --title "$title" \
		--out-election "$tmp/out-election.json" \
		--out-bureau "$tmp/out-bureau.json" >"$tmp/log" 2>&1
}

# refused NAME PATTERN ELECTION CANDIDATES BUREAU: must fail, saying PATTERN.
refused() {
	local name=$1 pattern=$2
	shift 2
	rm -f "$tmp/out-election.json" "$tmp/out-bureau.json"
	if prepare "$@"; then
		fail "$name: accepted"
	elif ! grep -q -- "$pattern" "$tmp/log"; then
		fail "$name: message does not say '$pattern':"; cat "$tmp/log"
	elif [ -e "$tmp/out-election.json" ] || [ -e "$tmp/out-bureau.json" ]; then
		fail "$name: an output file was written"
	else
		echo "ok: $name: $(cat "$tmp/log")"
	fi
}

E=$ex/election.csv C=$ex/candidates.csv B=$ex/bureau.csv

# 1. The examples give the committed demo files, byte for byte.
if prepare "$E" "$C" "$B"; then
	cmp "$tmp/out-election.json" tests/data/demo-election.json ||
		fail "demo-election.json differs from a fresh conversion"
	cmp "$tmp/out-bureau.json" tests/data/demo-bureau.json ||
		fail "demo-bureau.json differs from a fresh conversion"
	grep -q "election_id $(sha256sum tests/data/demo-election.json | cut -c1-64)" \
		"$tmp/log" || fail "printed election_id is not the file's SHA-256"
	echo "ok: examples converted identically"
else
	fail "examples refused:"; cat "$tmp/log"
fi

# 2. Wrong column count at line 5 (one field dropped).
sed '5s/;[^;]*$//' "$C" >"$tmp/c-short.csv"
refused "missing field on line 5" "c-short.csv line 5: 8 fields, expected 9" \
	"$E" "$tmp/c-short.csv" "$B"

# 3. A quoted field may hold ';' and a doubled quote.
sed '2s/;Marchand;/;"Conseil; ""Le Val""";/' "$B" >"$tmp/b-quoted.csv"
if prepare "$E" "$C" "$tmp/b-quoted.csv" &&
	grep -q '"last_name": "Conseil; \\"Le Val\\""' "$tmp/out-bureau.json"; then
	echo "ok: quoted field with ';' and '\"\"'"
else
	fail "quoted field not read correctly:"; cat "$tmp/log"
fi

# 4. Other malformed inputs, each refused with its line.
sed '3s/Dupuis/"Dupuis/' "$B" >"$tmp/b-open-quote.csv"
refused "unterminated quote" "b-open-quote.csv line 3: field 2: quote not closed" \
	"$E" "$C" "$tmp/b-open-quote.csv"
sed '3s/Dupuis/Du"puis/' "$B" >"$tmp/b-stray-quote.csv"
refused "quote inside an unquoted field" "line 3: field 2: a quote" \
	"$E" "$C" "$tmp/b-stray-quote.csv"
sed '1s/birth_date/naissance/' "$C" >"$tmp/c-header.csv"
refused "unknown header" "line 1: unknown column \"naissance\"" \
	"$E" "$tmp/c-header.csv" "$B"
sed '4s/1990-06-21/1990-02-30/' "$C" >"$tmp/c-date.csv"
refused "30 February" "line 4: birth_date: not a valid date" \
	"$E" "$tmp/c-date.csv" "$B"
sed '4s/;3;/;4;/' "$C" >"$tmp/c-position.csv"
refused "position gap" "line 4: position 4, expected 3" \
	"$E" "$tmp/c-position.csv" "$B"
sed 's#CGT 60% / Solidaires 40%#CGT 60% / Solidaires 30%#' "$C" >"$tmp/c-split.csv"
refused "split not 100%" "line 12: union" "$E" "$tmp/c-split.csv" "$B"
sed '2s/0.38;0.62/0.38;0.61/' "$E" >"$tmp/e-shares.csv"
refused "sex shares not summing to 1" "line 2: share_women + share_men" \
	"$tmp/e-shares.csv" "$C" "$B"
sed '3s/suppléants/titulaires/' "$E" >"$tmp/e-dup.csv"
refused "scrutin twice" "line 3: same college and body as line 2" \
	"$tmp/e-dup.csv" "$C" "$B"
sed '/cadres\|Cadres/{/suppléants/d}' "$C" >"$tmp/c-nolist.csv"
refused "scrutin without lists" "election.csv line 5: no candidates" \
	"$E" "$tmp/c-nolist.csv" "$B"
sed '4s/Nguyen/Nguyen /' "$B" >"$tmp/b-space.csv"
refused "trailing space" "line 4, column last_name: leading or trailing space" \
	"$E" "$C" "$tmp/b-space.csv"
sed '4s/Nguyen;Thomas/Marchand;Yves/' "$B" >"$tmp/b-twice.csv"
refused "same member twice" "members\[2\]: same person as members\[0\]" \
	"$E" "$C" "$tmp/b-twice.csv"

# 5. Windows line endings and a byte-order mark change nothing.
{ printf '\xef\xbb\xbf'; sed 's/$/\r/' "$C"; } >"$tmp/c-crlf.csv"
if prepare "$E" "$tmp/c-crlf.csv" "$B" &&
	cmp -s "$tmp/out-election.json" tests/data/demo-election.json; then
	echo "ok: CRLF and BOM"
else
	fail "CRLF/BOM input not converted identically"; cat "$tmp/log"
fi

# 6. Usage errors exit with 2.
"$prep" --election "$E" >/dev/null 2>&1
[ $? -eq 2 ] || fail "missing options: exit status is not 2"

[ "$failures" -eq 0 ] || { echo "$failures failure(s)"; exit 1; }
echo "all sceau-prepare checks passed"
