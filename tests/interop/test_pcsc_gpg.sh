#!/bin/bash
# A simulated card in a PC/SC reader (issue 7): pcscd loads vsmartcard's vpcd
# driver, sceau-vpcd puts the card of a slot directory into its first reader,
# and programs that know nothing of Sceau read it: GnuPG (gpg --card-status,
# scdaemon with its pcsc driver) and OpenSC (openpgp-tool). What they show
# is compared with what the card file holds (sceau-simcard show, card.json).
#
# pcscd, vpcd and sceau-vpcd run in namespaces of their own: a network
# namespace where only loopback exists (vpcd listens on every interface of
# its namespace), a mount namespace where pcscd's socket directory is ours,
# a PID namespace so that everything they start dies with them. Clients reach
# pcscd through PCSCLITE_CSOCK_NAME. Needs root (unshare); if pcscd cannot
# run here, the test fails and says why. SCEAU_PCSC_DEBUG=1: pcscd logs
# APDUs, sceau-vpcd traces, and a failing run's directory is kept in
# /tmp/sceau-pcsc-debug.
set -euo pipefail
B=${SCEAU_BUILD:?SCEAU_BUILD not set}
fail() { echo "FAIL: $*" >&2; [ -n "${SCEAU_PCSC_DEBUG:-}" ] && [ -n "${W:-}" ] && cp -r "$W" /tmp/sceau-pcsc-debug; exit 1; }
for t in sceau-vpcd sceau-simcard; do
	[ -x "$B/$t" ] || fail "$B/$t not built (make O=<dir> all)"
done
for p in pcscd unshare ip gpg gpg-connect-agent gpgconf openpgp-tool opensc-tool; do
	command -v "$p" >/dev/null || fail "$p not installed (scripts/deps.sh)"
done
VPCD_SO=/usr/lib/pcsc/drivers/serial/libifdvpcd.so
[ -f "$VPCD_SO" ] || fail "vsmartcard-vpcd not installed ($VPCD_SO)"
PCSC_SO=$(ls /usr/lib/*/libpcsclite.so.1 2>/dev/null | head -n 1)
[ -n "$PCSC_SO" ] || fail "libpcsclite.so.1 not found"

# Every wait is bounded: a client stuck on pcscd fails the test.
for p in opensc-tool openpgp-tool gpg gpg-connect-agent; do
	eval "$p() { timeout 30 $(command -v $p) \"\$@\"; }"
done

W=$(mktemp -d /tmp/sceau-pcsc-XXXXXX)
NS_PID=
cleanup() {
	GNUPGHOME="$W/gnupg" gpgconf --kill all 2>/dev/null || true
	if [ -n "$NS_PID" ]; then
		# Killing the PID namespace's init kills everything in it, and
		# unshare returns once they are all gone.
		local init
		init=$(pgrep -P "$NS_PID" || true)
		kill -KILL ${init:-"$NS_PID"} 2>/dev/null || true
		wait "$NS_PID" 2>/dev/null || true
	fi
	rm -rf "$W"
}
trap cleanup EXIT

# pcsc_start SLOT...: one reader per slot, "Virtual PCD 00 00", then
# "Virtual PCD B 00 00", "Virtual PCD C 00 00"... Debian 12's vpcd (0.8)
# keeps its state per slot number in globals shared by every reader.conf
# entry (and has two slots), so each entry gets its own copy of the driver
# (a copy is loaded apart: pcscd and dlopen share a library by path and
# inode) and only its first slot (port P; the second is P+1) is used.
pcsc_start() {
	local i=0 k name lib
	mkdir -p "$W/conf" "$W/run" "$W/drivers"
	for k in $(seq 0 $(($# - 1))); do
		name="Virtual PCD" lib=$VPCD_SO
		if [ "$k" -gt 0 ]; then
			name="Virtual PCD $(printf "\\x$(printf %x $((65 + k)))")"
			lib="$W/drivers/libifdvpcd-$k.so"
			cp "$VPCD_SO" "$lib"
		fi
		printf 'FRIENDLYNAME "%s"\nDEVICENAME /dev/null:0x%X\nLIBPATH %s\nCHANNELID 0x%X\n' \
			"$name" $((35963 + 2 * k)) "$lib" $((35963 + 2 * k)) > "$W/conf/vpcd$k"
	done
	{
		echo 'set -e'
		echo 'ip link set lo up'
		echo "mount --bind '$W/run' /run/pcscd"
		echo "pcscd --foreground ${SCEAU_PCSC_DEBUG:+--debug --apdu} --config '$W/conf' > '$W/pcscd.log' 2>&1 &"
		for s in "$@"; do
			echo "'$B/sceau-vpcd' --slot '$s' --port $((35963 + 2 * i)) ${SCEAU_PCSC_DEBUG:+--trace} > '$W/vpcd$i.log' 2>&1 &"
			i=$((i + 1))
		done
		echo 'wait'
	} > "$W/ns.sh"
	mkdir -p /run/pcscd 2>/dev/null || true
	unshare --mount --net --pid --kill-child bash "$W/ns.sh" > "$W/ns.log" 2>&1 &
	NS_PID=$!
	export PCSCLITE_CSOCK_NAME="$W/run/pcscd.comm"
}

# pcsc_wait N: until N readers hold a card (10 s), else explain and fail.
pcsc_wait() { pcsc_wait_state "$1" ge; }

# pcsc_wait_state N [ge]: until exactly (or at least) N readers hold a card.
pcsc_wait_state() {
	local n end=$((SECONDS + 10))
	while [ "$SECONDS" -lt "$end" ]; do
		kill -0 "$NS_PID" 2>/dev/null ||
			fail "pcscd could not run here: $(cat "$W/ns.log" "$W/pcscd.log" 2>/dev/null | tail -n 5)"
		n=$(opensc-tool -l 2>/dev/null | grep -c '  Yes  ' || true)
		if [ "${2:-}" = ge ]; then [ "$n" -ge "$1" ] && return 0
		else [ "$n" -eq "$1" ] && return 0; fi
		sleep 0.1
	done
	opensc-tool -l >&2 || true
	fail "pcscd did not show $1 card(s) in 10 s: $(tail -n 5 "$W/pcscd.log" 2>/dev/null)"
}

# test_pcsc_session.sh sources this file for the setup above.
if [ -n "${SCEAU_PCSC_SETUP_ONLY:-}" ]; then return 0; fi

S="$W/slot"
"$B/sceau-simcard" new "$S" --serial 0000A7C5 >/dev/null
pcsc_start "$S"
pcsc_wait 1

# --- GnuPG: scdaemon with its PC/SC driver, a private home ---------------------
export GNUPGHOME="$W/gnupg"
mkdir -m 700 "$GNUPGHOME"
printf 'disable-ccid\npcsc-driver %s\nreader-port Virtual PCD 00 00\n' "$PCSC_SO" \
	> "$GNUPGHOME/scdaemon.conf"
# A pinentry that answers the admin PIN when asked for it, else PW1.
cat > "$W/pinentry" <<'PIN'
#!/bin/sh
echo "OK sceau test pinentry"
d=
while IFS= read -r l; do
	case "$l" in
	SETDESC*|SETPROMPT*) d="$d $l"; echo OK ;;
	GETPIN) case "$d" in *dmin*) echo "D 12345678" ;; *) echo "D 123456" ;; esac
		d=; echo OK ;;
	BYE) echo OK; exit 0 ;;
	*) echo OK ;;
	esac
done
PIN
chmod +x "$W/pinentry"
printf 'pinentry-program %s\n' "$W/pinentry" > "$GNUPGHOME/gpg-agent.conf"
show() { "$B/sceau-simcard" show "$S"; }
field() { show | sed -n "s/^$1 *//p"; }          # a line of sceau-simcard show
AID=$(field AID | tr a-f A-F)
SERIAL=$(field serial)
tries() { field "tries left" | sed 's/PW1 \([0-9]\), RC \([0-9]\), PW3 \([0-9]\).*/\1 \2 \3/'; }
card_hex() { # the card file's member, by a Python expression on it
	/usr/bin/python3 -c 'import json,sys; c=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' \
		"$S/card.json" "$1"
}
gpg_status() {
	gpg --batch --card-status > "$W/gpg.out" 2>&1 || { cat "$W/gpg.out"; fail "gpg --card-status"; }
	# scdaemon keeps the reader to itself: let the others have it
	gpgconf --kill all
}
gpg_field() { sed -n "s/^$1 *\.*: *//p" "$W/gpg.out"; }

# The factory-fresh card as GnuPG sees it.
gpg_status
[ "$(gpg_field 'Application ID')" = "$AID" ] || fail "gpg AID '$(gpg_field 'Application ID')', card $AID"
[ "$(gpg_field 'Serial number')" = "$SERIAL" ] || fail "gpg serial '$(gpg_field 'Serial number')'"
[ "$(gpg_field 'PIN retry counter')" = "$(tries)" ] ||
	fail "gpg PIN retry counters '$(gpg_field 'PIN retry counter')', card '$(tries)'"
[ "$(gpg_field 'Signature key')" = "[none]" ] || fail "gpg sees a signature key on a fresh card"
[ "$(field 'signing key')" = none ] || fail "fresh card has a key"

# GnuPG gives the card a P-256 signature key (admin PIN through the pinentry).
gpg-connect-agent 'SCD SETATTR KEY-ATTR --force 1 19 nistp256' /bye > "$W/setattr.out" 2>&1
grep -q '^OK' "$W/setattr.out" || { cat "$W/setattr.out"; fail "gpg could not set the key attributes"; }
gpg-connect-agent 'SCD GENKEY --force 1' /bye > "$W/genkey.out" 2>&1
grep -q '^OK' "$W/genkey.out" || { cat "$W/genkey.out"; fail "gpg could not generate the key"; }
gpg-connect-agent --hex 'SCD READKEY OPENPGP.1' /bye > "$W/readkey.out" 2>&1
gpg_status
[ "$(field 'signing key')" = "ECDSA P-256" ] || fail "no key on the card after GENKEY"
case "$(gpg_field 'Key attributes')" in nistp256\ *) ;; *) fail "gpg key attributes: $(gpg_field 'Key attributes')" ;; esac
fpr=$(gpg_field 'Signature key' | tr -d ' ' | tr A-F a-f)
[ "$fpr" = "$(card_hex 'c["dos"]["00c5"][:40]')" ] || fail "gpg signature key '$fpr' is not the card's C7"
pub=$(card_hex 'c["signature_key"]["public"]')
# READKEY's S-expression, hex-dumped and Assuan-quoted (%0A, %0D, %25):
# the card's public point must be in it
/usr/bin/python3 - "$W/readkey.out" "$pub" <<'PY' || { cat "$W/readkey.out"; fail "gpg READKEY is not the card's public key"; }
import re, sys
raw = b"".join(bytes.fromhex(l[9:57]) for l in open(sys.argv[1]) if l.startswith("D["))
raw = re.sub(rb"%([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), raw)
sys.exit(0 if bytes.fromhex(sys.argv[2]) in raw else 1)
PY
[ "$(gpg_field 'PIN retry counter')" = "$(tries)" ] || fail "gpg counters after GENKEY"

# OpenSC: AID, serial and PW status.
gpgconf --kill all
openpgp-tool -r 0 --card-info > "$W/osc.out" 2>&1 || { cat "$W/osc.out"; fail "openpgp-tool --card-info"; }
osc_aid=$(sed -n 's/^AID: *//p' "$W/osc.out" | tr -d ':' | tr a-f A-F)
[ "$osc_aid" = "$AID" ] || { cat "$W/osc.out"; fail "openpgp-tool AID '$osc_aid', card $AID"; }
[ "$(sed -n 's/^Serial number: *//p' "$W/osc.out")" = "$SERIAL" ] || fail "openpgp-tool serial"
grep -q '^Version: *3.4$' "$W/osc.out" || fail "openpgp-tool version"
SELECT='00 A4 04 00 06 D2 76 00 01 24 01'
pw_status() { # the retry counters in DO C4 read by opensc-tool: "PW1 RC PW3"
	opensc-tool -r 0 -s "$SELECT" -s '00 CA 00 C4 00' 2>&1 | sed -n '/^Sending: 00 CA/,$p' |
		sed -n 's/^\(\([0-9A-F][0-9A-F] \)\{7\}\).*/\1/p' |
		awk '{ printf "%d %d %d\n", "0x" $5, "0x" $6, "0x" $7 }'
}
[ "$(pw_status)" = "$(tries)" ] || fail "opensc-tool C4 counters '$(pw_status)', card '$(tries)'"
# one wrong PW1 through OpenSC: both readers of C4 and the card agree
if openpgp-tool -r 0 --verify CHV2 --pin 000000 --do 0103 > /dev/null 2>&1; then
	fail "a wrong PIN opened DO 0103"
fi
[ "$(tries)" = "2 0 3" ] || fail "card counters after a wrong PIN: $(tries)"
[ "$(pw_status)" = "2 0 3" ] || fail "opensc-tool after a wrong PIN: $(pw_status)"
gpg_status
[ "$(gpg_field 'PIN retry counter')" = "2 0 3" ] || fail "gpg after a wrong PIN"
gpgconf --kill all

# Private DO 3: refused without VERIFY, written after VERIFY 82, read back.
if openpgp-tool -r 0 --do 0103 > "$W/do.out" 2>&1; then fail "DO 0103 read without a PIN"; fi
grep -q 'Security status not satisfied' "$W/do.out" || { cat "$W/do.out"; fail "DO 0103: message"; }
opensc-tool -r 0 -s "$SELECT" -s '00 20 00 82 06 31 32 33 34 35 36' \
	-s '00 DA 01 03 08 53 43 45 41 55 2F 44 33' > "$W/put.out" 2>&1
[ "$(grep -c 'SW1=0x90, SW2=0x00' "$W/put.out")" = 3 ] || { cat "$W/put.out"; fail "PUT DATA 0103"; }
[ "$(card_hex 'c["dos"]["0103"]')" = 53434541552f4433 ] ||
	fail "DO 0103 on the card: $(card_hex 'c["dos"]["0103"]')"
[ "$(field 'share (DO 0103)')" = present ] || fail "sceau-simcard does not see DO 0103"
got=$(openpgp-tool -r 0 --raw --verify CHV2 --pin 123456 --do 0103) || fail "openpgp-tool --do 0103"
[ "$got" = "SCEAU/D3" ] || fail "openpgp-tool read DO 0103 as '$got'"
[ "$(tries)" = "3 0 3" ] || fail "a right PIN did not reset the counter: $(tries)"

# The card pulled from its slot leaves the reader empty, and comes back.
"$B/sceau-simcard" pull "$S" > /dev/null
pcsc_wait_state 0
"$B/sceau-simcard" insert "$S" > /dev/null
pcsc_wait 1
openpgp-tool -r 0 --card-info | grep -q "^Serial number: *$SERIAL$" || fail "card back: serial"
echo "ok: gpg and OpenSC read the simulated card through pcscd and vpcd"
