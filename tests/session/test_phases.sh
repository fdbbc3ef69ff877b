#!/bin/bash
# The phase machine (session/phase.c), command by command: every command that
# opens a session is run against a session in every phase, and must go on
# exactly in the phases the table below allows and refuse the others, with
# a message naming the reason and the session left as it was. The table is
# written here independently of the code's (docs/ARCHITECTURE.md "Session
# phases"). The sessions in shuffled, counted and sealed are real; the
# others are copies whose stored phase is set by hand, as a crash or a
# partial run would leave them (urn-imported: an import cut off during the
# shuffle, which the next import makes again).
. tests/session/lib.sh
W=$(mktemp -d /tmp/sceau-test-XXXXXX)
trap 'rm -rf "$W"' EXIT
ceremony tests/data/demo-election.json
cast "$W/p" 12
printf '%s\n%s\n' "${PINS[0]}" "${PINS[1]}" > "$W/pins12"
printf '%s\n%s\n%s\n' "${PINS[0]}" "${PINS[1]}" "${PINS[2]}" > "$W/pins123"
printf 'oui\n%s\n%s\n' "${PINS[0]}" "${PINS[1]}" > "$W/yes12"

import_urn "$W/real-imported" "$W/p" > /dev/null
cp -a "$W/real-imported" "$W/real-counted"
count "$W/real-counted" "$W/pins12" "$W/slots/1" "$W/slots/2" > /dev/null 2>&1 || fail "count"
"$B/sceau" pv --session "$W/real-counted" --slot "$W/slots/1" --slot "$W/slots/2" \
	--script "$W/pins12" > /dev/null 2>&1 || fail "pv"
cp -a "$W/real-counted" "$W/real-sealed"
"$B/sceau" seal --session "$W/real-sealed" --slot "$W/slots/1" --slot "$W/slots/2" \
	--script "$W/yes12" > /dev/null 2>&1 || fail "seal"

phase_of() { sql "$1/session.db" "SELECT value FROM meta WHERE key='phase'"; }

# A session directory in phase $1, fresh for each run ($2: where).
make_session() {
	local phase=$1 d=$2
	rm -rf "$d"
	case $phase in
	none) mkdir -p "$d" ;;
	record-loaded|urn-imported|shuffled|decrypting)
		cp -a "$W/real-imported" "$d"
		sql "$d/session.db" "UPDATE meta SET value='$phase' WHERE key='phase'" ;;
	decrypted)
		cp -a "$W/real-counted" "$d"
		sql "$d/session.db" "UPDATE meta SET value='$phase' WHERE key='phase'"
		rm -f "$d/results.json" "$d/ballots-decrypted.bin" ;;
	counted) cp -a "$W/real-counted" "$d" ;;
	sealing) # the bureau said yes, the seal was cut off before the database's
		cp -a "$W/real-counted" "$d"
		sql "$d/session.db" "UPDATE meta SET value='$phase' WHERE key='phase'" ;;
	sealed) cp -a "$W/real-sealed" "$d" ;;
	sealed-cut) # sealed, the archive cut off before its ISO image
		cp -a "$W/real-sealed" "$d"
		rm -f "$d/archive.iso" ;;
	esac
}

# run COMMAND SESSION: the command as a bureau would type it (it may fail
# later for another reason: only the phase gate is judged here).
run() {
	local cmd=$1 s=$2
	case $cmd in
	import) import_urn "$s" "$W/p" ;;
	count) count "$s" "$W/pins12" "$W/slots/1" "$W/slots/2" ;;
	pv) "$B/sceau" pv --session "$s" --slot "$W/slots/1" --slot "$W/slots/2" \
		--script "$W/pins12" ;;
	seal) "$B/sceau" seal --session "$s" --slot "$W/slots/1" --slot "$W/slots/2" \
		--script "$W/yes12" ;;
	recount) "$B/sceau" recount --session "$s" --slot "$W/slots/1" --slot "$W/slots/2" \
		--script "$W/pins12" --wait-seconds 2 ;;
	esac
}

# phase: import count pv seal recount (go = must go on; else the message
# the bureau must read). sealed-cut: sealed, its archive not complete.
TABLE="
none          go      NONE    NONE    NONE    NONE
record-loaded go      STAGE   STAGE   STAGE   STAGE
urn-imported  go      SHUFFLE STAGE   STAGE   STAGE
shuffled      TWICE   go      STAGE   STAGE   STAGE
decrypting    TWICE   go      STAGE   STAGE   STAGE
decrypted     TWICE   go      STAGE   STAGE   STAGE
counted       TWICE   DONE    go      go      go
sealing       TWICE   SEALING SEALING go      go
sealed-cut    TWICE   SEALED  PVSEAL  go      go
sealed        TWICE   SEALED  PVSEAL  SEALTWICE go
"
declare -A MSG=(
	[NONE]="Aucune session de dépouillement"
	[STAGE]="n'est pas prête pour le dépouillement"
	[TWICE]="a déjà été importée"
	[SHUFFLE]="n'ont pas encore été mélangés"
	[DONE]="est déjà terminé"
	[SEALING]="Le scellement de cette session a commencé"
	[SEALED]="Cette session est scellée"
	[PVSEAL]="La session est scellée"
	[SEALTWICE]="un second scellement est refusé"
)
cmds=(import count pv seal recount)
n=0
while read -r phase want; do
	[ -n "$phase" ] || continue
	read -ra wants <<< "$want"
	for i in "${!cmds[@]}"; do
		cmd=${cmds[$i]} w=${wants[$i]} d="$W/s-$phase-${cmds[$i]}"
		make_session "$phase" "$d"
		before=$( [ -f "$d/session.db" ] && phase_of "$d" || echo none)
		out=$(run "$cmd" "$d" 2>&1) && rc=0 || rc=$?
		if [ "$w" = go ]; then
			if grep -q "is at phase\|Aucune session\|pas prête\|déjà été importée\|déjà terminé\|est scellée : plus\|scellement de cette session a commencé\|second scellement" <<< "$out"; then
				echo "$out" >&2; fail "$cmd refused in phase $phase"
			fi
		else
			[ $rc -ne 0 ] || fail "$cmd went on in phase $phase"
			grep -q "${MSG[$w]}" <<< "$out" || { echo "$out" >&2; fail "$cmd in phase $phase: no '${MSG[$w]}'"; }
			after=$( [ -f "$d/session.db" ] && phase_of "$d" || echo none)
			[ "$after" = "$before" ] || fail "$cmd in phase $phase moved the session to $after"
		fi
		n=$((n + 1))
		rm -rf "$d"
	done
done <<< "$TABLE"

# The ceremony has a database of its own: a ceremony already begun there
# is never resumed or overwritten.
mkdir -p "$W/cer2"
cp "$W/ceremony/ceremony.db" "$W/cer2/"
if "$B/sceau" ceremony --definition tests/data/demo-election.json \
	--bureau tests/data/demo-bureau.json --platform-key "$W/platform-key.json" \
	--out "$W/cer2" --slot "$W/slots/1" --slot "$W/slots/2" --slot "$W/slots/3" \
	--script /dev/null > "$W/cer2.out" 2>&1; then fail "second ceremony in the same place"; fi
grep -q "cérémonie des clés a déjà été commencée" "$W/cer2.out" || { cat "$W/cer2.out"; fail "ceremony: no message"; }
echo "phases: $n command runs as the table says, and the ceremony"
