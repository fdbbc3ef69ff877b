#!/bin/bash
# A simulated card in a PC/SC reader (issue 7): pcscd loads vsmartcard's vpcd
# driver, sceau-vpcd puts the card of a slot directory into its first reader,
# and programs that know nothing of Sceau read it: GnuPG (gpg --card-status,
# scdaemon with its pcsc driver) and OpenSC (openpgp-tool). What they show
# is compared with what the card file holds (sceau-simcard show, card.json).
# Then a member's card written by a key ceremony (issue 19) goes into the
# reader: GnuPG and OpenSC must show the cardholder's name, the signature
# key's OpenPGP fingerprint (equal to one computed here from the record's
# card_signing_key) and its generation date.
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
for t in sceau sceau-vpcd sceau-simcard sceau-platform; do
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

export TZ=UTC # gpg and openpgp-tool show the key dates in it
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
# The OpenPGP v4 fingerprint (RFC 4880 §12.2) of an ECDSA P-256 key, written
# here from the RFCs (RFC 6637: the curve OID after its length byte, the
# point 04||X||Y as an MPI counted from its top set bit: 515 bits) and
# checked below against the one GnuPG's own GENKEY stores on the card.
pgp_fpr() { # PUBLIC_HEX EPOCH
	/usr/bin/python3 - "$1" "$2" <<'PY'
import hashlib, struct, sys
q, t = bytes.fromhex(sys.argv[1]), int(sys.argv[2])
oid = bytes.fromhex("08" "2a8648ce3d030107")  # 1.2.840.10045.3.1.7
bits = 8 * len(q) - (8 - q[0].bit_length())
body = bytes([4]) + struct.pack(">I", t) + bytes([19]) + oid + struct.pack(">H", bits) + q
print(hashlib.sha1(bytes([0x99]) + struct.pack(">H", len(body)) + body).hexdigest())
PY
}

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
# GnuPG computed that fingerprint itself (scdaemon, at GENKEY) over the time
# it stored in CE: the test's own computation must give the same.
created=$((16#$(card_hex 'c["dos"]["00cd"][:8]')))
[ "$(pgp_fpr "$pub" "$created")" = "$fpr" ] ||
	fail "the test's OpenPGP fingerprint $(pgp_fpr "$pub" "$created") is not GnuPG's $fpr"
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

# --- A member's card after the key ceremony (issue 19) ------------------------
# Three cards written by a ceremony (sim transport, straight in their slot
# directories); then member 2's card, Aurélie Dupuis's, takes the test card's
# place in the reader.
PINS=(284017 550913 730268)
"$B/sceau-platform" keygen --private "$W/platform-private.json" \
	--public "$W/platform-key.json" >/dev/null
for i in 1 2 3; do "$B/sceau-simcard" new "$W/slots/$i" --serial "0000030$i" >/dev/null; done
printf 'a\nb\nc\n%s\n%s\n%s\n%s\n%s\n%s\n%s\n%s\n%s\n' "${PINS[0]}" "${PINS[0]}" \
	"${PINS[1]}" "${PINS[1]}" "${PINS[2]}" "${PINS[2]}" "${PINS[0]}" "${PINS[1]}" \
	"${PINS[2]}" > "$W/answers.txt"
t0=$(date +%s)
timeout 120 "$B/sceau" ceremony --transport sim --definition tests/data/demo-election.json \
	--bureau tests/data/demo-bureau.json --platform-key "$W/platform-key.json" \
	--out "$W/ceremony" --slot "$W/slots/1" --slot "$W/slots/2" --slot "$W/slots/3" \
	--script "$W/answers.txt" > "$W/ceremony.log" 2>&1 || { cat "$W/ceremony.log"; fail "ceremony"; }
t1=$(date +%s)
"$B/sceau-simcard" pull "$S" > /dev/null
pcsc_wait_state 0
rm "$S/card.out.json"
mv "$W/slots/2/card.json" "$S/card.json"
pcsc_wait 1
record() { # a member of the record, by a Python expression on it
	/usr/bin/python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' \
		"$W/ceremony/record.json" "$1"
}
eid=$(record 'r["election_id"]')
mpub=$(record 'r["cards"][1]["card_signing_key"]')

gpg_status
[ "$(gpg_field 'Serial number')" = 00000302 ] || fail "gpg: not member 2's card: $(gpg_field 'Serial number')"
# DO 5B "Dupuis<<Aurelie": ASCII, which GnuPG and the spec's Latin-1 read alike
[ "$(gpg_field 'Name of cardholder')" = "Aurelie Dupuis" ] ||
	{ cat "$W/gpg.out"; fail "gpg cardholder '$(gpg_field 'Name of cardholder')'"; }
[ "$(card_hex 'bytes.fromhex(c["dos"]["005b"]).decode("ascii")')" = "Dupuis<<Aurelie" ] ||
	fail "DO 5B on the card: $(card_hex 'c["dos"]["005b"]')"
[ "$(gpg_field 'Private DO 1')" = "sceau/1 $eid 2" ] || fail "gpg: Private DO 1 '$(gpg_field 'Private DO 1')'"
case "$(gpg_field 'Key attributes')" in nistp256\ *) ;; *) fail "gpg key attributes after the ceremony" ;; esac
[ "$(gpg_field 'URL of public key')" = "[not set]" ] || fail "gpg: a URL was written"
[ "$(gpg_field 'Login data')" = "[not set]" ] || fail "gpg: login data was written"
mfpr=$(gpg_field 'Signature key')
when=$(sed -n 's/^ *created \.*: *//p' "$W/gpg.out")
[ -n "$mfpr" ] && [ "$mfpr" != "[none]" ] && [ -n "$when" ] ||
	{ cat "$W/gpg.out"; fail "gpg shows no signature key fingerprint or date after the ceremony"; }
epoch=$(/usr/bin/python3 -c 'import calendar,sys,time; print(calendar.timegm(time.strptime(sys.argv[1], "%Y-%m-%d %H:%M:%S")))' "$when")
[ "$epoch" -ge "$t0" ] && [ "$epoch" -le "$t1" ] ||
	fail "gpg: key created $when, not during the ceremony ($t0..$t1)"
[ "$(pgp_fpr "$mpub" "$epoch")" = "$(echo "$mfpr" | tr -d ' ' | tr A-F a-f)" ] ||
	fail "gpg fingerprint '$mfpr' is not that of the record's card_signing_key created $when"
grep -F "$mfpr" "$W/ceremony/ceremony-report.txt" | grep -qF "$when" ||
	fail "the ceremony report does not show the fingerprint and date as GnuPG does: $mfpr $when"
gpg --batch --with-colons --card-status > "$W/gpg-colons.out" 2>&1 || fail "gpg --with-colons --card-status"
grep -qx 'name:Aurelie:Dupuis:' "$W/gpg-colons.out" || { cat "$W/gpg-colons.out"; fail "gpg --with-colons: name"; }
gpgconf --kill all

# OpenSC agrees: the same fingerprint and date for the signature key, the name.
openpgp-tool -r 0 --key-info > "$W/keyinfo.out" 2>&1 || { cat "$W/keyinfo.out"; fail "openpgp-tool --key-info"; }
osc_fpr=$(sed -n 's/^Sig Fingerprint: *//p' "$W/keyinfo.out" | tr -d ': ' | tr A-F a-f)
[ "$osc_fpr" = "$(echo "$mfpr" | tr -d ' ' | tr A-F a-f)" ] ||
	{ cat "$W/keyinfo.out"; fail "openpgp-tool fingerprint '$osc_fpr', gpg '$mfpr'"; }
[ "$(sed -n 's/^Sig Create Date: *//p' "$W/keyinfo.out")" = "$when" ] ||
	{ cat "$W/keyinfo.out"; fail "openpgp-tool creation date, gpg '$when'"; }
openpgp-tool -r 0 --user-info > "$W/userinfo.out" 2>&1 || { cat "$W/userinfo.out"; fail "openpgp-tool --user-info"; }
grep -q '^Name: *Dupuis Aurelie$' "$W/userinfo.out" || { cat "$W/userinfo.out"; fail "openpgp-tool: name"; }
echo "ok: gpg and OpenSC read the simulated card through pcscd and vpcd, a ceremony's card included"
