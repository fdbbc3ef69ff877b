#!/bin/bash
# Every command of a counting session survives a crash at every step
# boundary (issue 14, items 1 and 2). The crash points are lib/fault.h's:
# a reference run of import, count, pv and seal lists the points each
# command passes (SCEAU_FAULT_TRACE); then, for every point and every pass
# of it, a fresh copy of the state before the command is made, the command
# is killed there (SCEAU_FAULT_AT, _exit like a kill -9), and the same
# command and the following ones are run again. The resumed session must
# give the reference's results, PVs whose text is the reference's (hashes
# and signatures aside: the journal and the cards' signatures differ), an
# archive that sceau-verify finds conforming, and no temporary file left
# behind. When a later command than the import was killed, results.json
# and ballots-decrypted.bin are the reference's byte for byte (a count
# resumed decrypts the same shuffled lists with the same deterministic
# proofs). When the import was killed and run again, its shuffles are new
# (new randomness, as the issue wants: nothing of a cut shuffle was
# published): ballots-decrypted.bin holds the reference's ballots per
# scrutin in another order, and results.json differs only by that file's
# hash. Right after each kill, no shuffle file exists half-written under
# its name (the kill points include one in the middle of each file).
# Under ASan (SCEAU_SANITIZE=1) one point in SCEAU_CRASH_EVERY (default 6)
# is tried.
. tests/session/lib.sh
W=$(mktemp -d /tmp/sceau-test-XXXXXX)
trap 'rm -rf "$W"' EXIT
EVERY=1
[ "${SCEAU_SANITIZE:-}" = 1 ] && EVERY=${SCEAU_CRASH_EVERY:-6}
ceremony tests/data/demo-election.json
cast "$W/p" 6
printf '%s\n%s\n' "${PINS[0]}" "${PINS[1]}" > "$W/pins"
# The seal asks "oui" only when it starts; a resumed seal takes the "oui" for
# a malformed PIN, which is refused without costing a try.
printf 'oui\n%s\n%s\n' "${PINS[0]}" "${PINS[1]}" > "$W/yes"
CMDS=(import count pv seal)
# What a command run again after it finished says (a pv can always run again).
declare -A DONE=([import]="a déjà été importée" [count]="est déjà terminé"
	[pv]="(a pv never refuses a reprint)" [seal]="son archive est complète")

# run CMD SESSION: one command of the session, as a bureau would type it.
run() {
	case $1 in
	import) import_urn "$2" "$W/p" ;;
	count) count "$2" "$W/pins" "$W/slots/1" "$W/slots/2" ;;
	pv) "$B/sceau" pv --session "$2" --slot "$W/slots/1" --slot "$W/slots/2" \
		--script "$W/pins" ;;
	seal) "$B/sceau" seal --session "$2" --slot "$W/slots/1" --slot "$W/slots/2" \
		--script "$W/yes" ;;
	esac
}

# The text of every PV, hashes and signatures (hex groups, and a group
# alone on its line where a hash wraps) aside.
pv_text() {
	for f in "$1"/pv/*.pdf; do
		echo "== ${f##*/}"
		pdftotext -layout "$f" - | sed -E 's/[0-9A-F]{4}( [0-9A-F]{4})+/#/g; s/[0-9A-F]{32,}/#/g; s/^ *[0-9A-F]{4} *$/#/'
	done
}

# The reference: each command once, its crash points listed; the state
# before command i is kept in $W/before-i.
for i in "${!CMDS[@]}"; do
	if [ -d "$W/ref" ]; then cp -a "$W/ref" "$W/before-$i"; fi
	SCEAU_FAULT_TRACE="$W/trace-$i" run "${CMDS[$i]}" "$W/ref" > "$W/ref-$i.out" 2>&1 ||
		{ cat "$W/ref-$i.out"; fail "reference ${CMDS[$i]}"; }
	[ -s "$W/trace-$i" ] || fail "${CMDS[$i]} passed no crash point (is this a simulation build?)"
done
"$B/sceau-verify" "$W/ref/archive.iso" > "$W/ref-verify.out" 2>&1 || fail "reference archive"
pv_text "$W/ref" > "$W/ref-pv.txt"

# same_ballots A B: the same decrypted ballots (status, plaintext) per
# scrutin, whatever their order (docs/FORMATS.md "The decrypted ballots").
same_ballots() {
	/usr/bin/python3 - "$1" "$2" "$W/ceremony/election.json" <<'PY'
import json, sys
e = json.load(open(sys.argv[3]))
pt = {s["id"]: 3 + (max(len(l["candidates"]) for l in s["lists"]) + 7) // 8 for s in e["scrutins"]}
def ballots(path):
    d, out, off = open(path, "rb").read(), {}, 16
    for _ in range(int.from_bytes(d[12:16], "big")):
        s = int.from_bytes(d[off:off + 2], "big")
        out.setdefault(s, []).append(d[off + 135:off + 136 + pt[s]])
        off += 136 + pt[s]
    return {s: sorted(v) for s, v in out.items()}
sys.exit(0 if ballots(sys.argv[1]) == ballots(sys.argv[2]) else 1)
PY
}

# same_results A B: the same results.json but for the decrypted file's
# hash (a new shuffle lists the ballots in another order).
same_results() {
	/usr/bin/python3 - "$1" "$2" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
for r in (a, b):
    del r["decrypted_ballots"]["sha256"]
sys.exit(0 if a == b else 1)
PY
}

# No shuffle file is ever half-written under its final name.
shuffles_whole() {
	local d=$1 f n size
	for f in "$d"/shuffle-*.bin; do
		[ -e "$f" ] || continue
		n=$(od -An -tu1 -j48 -N4 "$f" | awk '{print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4}')
		size=$(stat -c %s "$f")
		[ "$size" = $((505 + 389 * n)) ] || fail "$2: $f is half-written ($size bytes, N = $n)"
	done
}

# check DIR WHAT CMD: the resumed session against the reference.
check() {
	local d=$1 what=$2 cmd=$3 left
	if [ "$cmd" = import ]; then
		same_results "$d/results.json" "$W/ref/results.json" ||
			fail "$what: results.json differs (beyond the decrypted file's hash)"
		same_ballots "$d/ballots-decrypted.bin" "$W/ref/ballots-decrypted.bin" ||
			fail "$what: ballots-decrypted.bin holds other ballots"
	else
		cmp -s "$d/results.json" "$W/ref/results.json" || fail "$what: results.json differs"
		cmp -s "$d/ballots-decrypted.bin" "$W/ref/ballots-decrypted.bin" ||
			fail "$what: ballots-decrypted.bin differs"
	fi
	pv_text "$d" | diff -q - "$W/ref-pv.txt" > /dev/null || fail "$what: the PVs' text differs"
	"$B/sceau-verify" "$d/archive.iso" > "$W/verify.out" 2>&1 ||
		{ tail -20 "$W/verify.out"; fail "$what: the archive does not verify"; }
	left=$(find "$d" -name '*.tmp*' -o -name '*.part' -o -name '*.db.new*')
	[ -z "$left" ] || fail "$what: left behind: $left"
}

n=0 tried=0
for i in "${!CMDS[@]}"; do
	cmd=${CMDS[$i]}
	while read -r count point; do
		for pass in $(seq 1 "$count"); do
			n=$((n + 1))
			[ $((n % EVERY)) -eq 0 ] || [ "$EVERY" = 1 ] || continue
			tried=$((tried + 1))
			what="$cmd killed at $point (pass $pass)"
			d="$W/run"
			rm -rf "$d"
			if [ -d "$W/before-$i" ]; then cp -a "$W/before-$i" "$d"; fi
			rc=0
			SCEAU_FAULT_AT="$point" SCEAU_FAULT_PASS=$pass run "$cmd" "$d" \
				> "$W/killed.out" 2>&1 || rc=$?
			[ "$rc" = 137 ] || { tail -20 "$W/killed.out"; fail "$what: exit $rc, not killed"; }
			shuffles_whole "$d" "$what"
			# Killed after its last step, a command is done: run again, it
			# says so (the phase machine), and the next ones go on.
			if ! run "$cmd" "$d" > "$W/again.out" 2>&1; then
				grep -q "${DONE[$cmd]}" "$W/again.out" ||
					{ tail -30 "$W/again.out"; fail "$what: $cmd run again fails"; }
			fi
			for j in $(seq $((i + 1)) $((${#CMDS[@]} - 1))); do
				run "${CMDS[$j]}" "$d" > "$W/again.out" 2>&1 ||
					{ tail -30 "$W/again.out"; fail "$what: ${CMDS[$j]} then fails"; }
			done
			check "$d" "$what" "$cmd"
		done
	done < <(sort "$W/trace-$i" | uniq -c)
done
echo "crash points: $n (point, pass) pairs listed, $tried tried; every resumed session gave the reference's files"
