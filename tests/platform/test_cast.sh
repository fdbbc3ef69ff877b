#!/bin/bash
# sceau-platform cast (tools/platform.c) as the box will receive its output:
# a real key ceremony with simulated cards makes the record, the simulator
# casts 200 ballots per scrutin, the ISO images are listed and extracted with
# xorriso, their contents checked by inspect_media.py (formats, hashes,
# counts, order, points) and node (the ECDSA seals); then each --fault once,
# which must change exactly what it says and nothing else.
# Run by scripts/run-tests.sh from the repository root, SCEAU_BUILD set.
set -eu
B="$SCEAU_BUILD"
for t in sceau sceau-simcard sceau-platform; do
	if [ ! -x "$B/$t" ]; then
		echo "SKIPPED: $B/$t not built (make O=<dir> all, or make run-tests)"
		exit 0
	fi
done
for c in xorriso python3 node; do
	command -v "$c" >/dev/null || { echo "FAIL: $c missing (scripts/deps.sh)"; exit 1; }
done
T=$(mktemp -d /tmp/sceau-test-XXXXXX)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# -- inputs: the demo election, scrutins 3 and 4 raised from 187 to 250 inscrits
sed 's/"inscrits": 187,/"inscrits": 250,/' tests/data/demo-election.json >"$T/election.json"
[ "$(grep -c '"inscrits": 250,' "$T/election.json")" = 2 ] || fail "definition not adapted"
"$B/sceau-platform" keygen --private "$T/priv.json" --public "$T/pub.json" >/dev/null
for i in 1 2 3; do
	"$B/sceau-simcard" new "$T/slot$i" --serial "0000000$i" >/dev/null
done
# One randomness contribution per member, each new PIN twice, each PIN again.
printf '%s\n' "les sanglots longs" "des violons 4471" "de l'automne 9082" \
	284017 284017 550913 550913 730268 730268 284017 550913 730268 >"$T/answers.txt"
"$B/sceau" ceremony --definition "$T/election.json" --bureau tests/data/demo-bureau.json \
	--platform-key "$T/pub.json" --out "$T/ceremony" --slot "$T/slot1" \
	--slot "$T/slot2" --slot "$T/slot3" --script "$T/answers.txt" >"$T/ceremony.log" 2>&1 ||
	{ tail -20 "$T/ceremony.log"; fail "key ceremony"; }
REC="$T/ceremony/record.json"
PUB=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["public_key"])' \
	"$T/pub.json")

cast() { # OUT [ARGS...]
	local out=$1
	shift
	"$B/sceau-platform" cast --record "$REC" --definition "$T/election.json" \
		--private "$T/priv.json" --out "$T/$out" --ballots 200 --seed 5 --nul 20 "$@"
}

# ECDSA P-256 over SHA-256, raw r || s: WebCrypto's own check, not ours.
# Appends seal=valid|invalid to DIR.facts for each DIR (one node for all).
seals() { # DIR...
	node -e '
const crypto = require("crypto"), fs = require("fs");
const [pub, ...dirs] = process.argv.slice(1);
const p = Buffer.from(pub, "hex");
const key = crypto.createPublicKey({ format: "jwk", key: { kty: "EC", crv: "P-256",
	x: p.subarray(1, 33).toString("base64url"), y: p.subarray(33).toString("base64url") } });
for (const d of dirs) {
	const s = Buffer.from(fs.readFileSync(d + "/manifest.sig", "utf8").trim(), "hex");
	const ok = crypto.verify("sha256", fs.readFileSync(d + "/manifest.json"),
		{ key, dsaEncoding: "ieee-p1363" }, s);
	fs.appendFileSync(d + ".facts", "seal=" + (ok ? "valid" : "invalid") + "\n");
}' "$PUB" "$@"
}

# Lists and extracts DIR/KIND.iso into DIR/KIND/.
open_iso() { # DIR KIND VOLUME DATAFILE
	local d=$1 k=$2
	xorriso -indev "$d/$k.iso" -find / -exec lsdl >"$d/$k.list" 2>&1 ||
		fail "$d/$k.iso: xorriso cannot read it"
	grep -q "Volume id    : '$3'" "$d/$k.list" || fail "$d/$k.iso: volume id is not $3"
	[ "$(grep -c "^-r--r--r-- .* '/" "$d/$k.list")" = 3 ] || fail "$d/$k.iso: not 3 files"
	for f in manifest.json manifest.sig "$4"; do
		grep -q " '/$f'\$" "$d/$k.list" || fail "$d/$k.iso: no /$f"
	done
	xorriso -osirrox on -indev "$d/$k.iso" -extract / "$d/$k" >/dev/null 2>&1 ||
		fail "$d/$k.iso: extraction"
}

# Extracts both images of each OUT and writes OUT/{urn,emargement}.facts.
inspect() { # OUT...
	local args=() dirs=()
	for o in "$@"; do
		open_iso "$T/$o" urn SCEAU_URNE ballots.bin
		open_iso "$T/$o" emargement SCEAU_EMARGEMENT entries.bin
		args+=("urn:$T/$o/urn" "emargement:$T/$o/emargement")
		dirs+=("$T/$o/urn" "$T/$o/emargement")
	done
	python3 tests/platform/inspect_media.py "$T/election.json" "$REC" "${args[@]}"
	seals "${dirs[@]}"
}

# The facts of OUT must equal the base cast's except for the key=value given
# (value "*": any).
differs_only() { # KIND OUT key=value...
	local kind=$1 out=$2 line key want
	shift 2
	while IFS= read -r line; do
		key=${line%%=*}
		want=$line
		for kv in "$@"; do
			[ "${kv%%=*}" = "$key" ] && want=$kv
		done
		[ "${want#*=}" = "*" ] && continue
		grep -qxF "$want" "$T/$out/$kind.facts" ||
			fail "$out/$kind: expected $want, got $(grep "^$key=" "$T/$out/$kind.facts")"
	done <"$T/base/$kind.facts"
}

# -- the clean cast --------------------------------------------------------
cast clean >"$T/clean.log"
grep -q "^cast 800 ballots in 4 scrutins with" "$T/clean.log" ||
	fail "summary line: $(cat "$T/clean.log")"
! grep -q "fault injected" "$T/clean.log" || fail "a fault without --fault"
inspect clean
U=$T/clean/urn.facts
E=$T/clean/emargement.facts
for kv in format=sceau-urn/2 file=ballots.bin sha_ok=1 size_ok=1 election_ok=1 record_ok=1 \
	closed_at=2026-12-08T17:00+01:00 manifest_counts=200,200,200,200 manifest_total=800 \
	sig_form_ok=1 header_count=800 records=800 trailing=0 counts=200,200,200,200 \
	bad_points=0 big_scalars=0 same_a=0 inversions=0 duplicates=0 seal=valid; do
	grep -qxF "$kv" "$U" || fail "urn: expected $kv, got $(grep "^${kv%%=*}=" "$U")"
done
for kv in format=sceau-emargement/1 file=entries.bin sha_ok=1 size_ok=1 election_ok=1 \
	record_ok=1 manifest_counts=200,200,200,200 manifest_total=800 header_count=800 \
	entries=800 trailing=0 counts=200,200,200,200 unsorted=0 duplicates=0 refs_ok=1 \
	times_ok=1 offsets=60 seal=valid; do
	grep -qxF "$kv" "$E" || fail "émargement: expected $kv, got $(grep "^${kv%%=*}=" "$E")"
done
# the manifest's hash is the SHA-256 of the extracted file (sha256sum's too)
grep -q "\"sha256\": \"$(sha256sum <"$T/clean/urn/ballots.bin" | cut -c1-64)\"" \
	"$T/clean/urn/manifest.json" || fail "urn manifest hash"

check_expected() { # OUT N EMARGEMENTS-OF-SCRUTIN-1
	python3 - "$T/$1/expected.json" "$2" "$3" <<'PY'
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
n, e1 = int(sys.argv[2]), int(sys.argv[3])
assert d["format"] == "sceau-platform-expected/1" and d["ballots_per_scrutin"] == n
assert [s["scrutin"] for s in d["scrutins"]] == [1, 2, 3, 4]
for s in d["scrutins"]:
    assert s["votants"] == n, s
    assert s["emargements"] == (e1 if s["scrutin"] == 1 else n), s
    assert s["blancs"] + s["nuls"] + s["sve"] == n, s
    assert sum(s["blancs_by_kind"].values()) == s["blancs"], s
    assert sum(s["nuls_by_reason"].values()) == s["nuls"], s
    assert sum(l["ballots"] for l in s["lists"]) == s["sve"], s
    for l in s["lists"]:
        assert all(0 <= r <= l["ballots"] for r in l["ratures"]), l
PY
}
check_expected clean 200 200 || fail "clean/expected.json"

# -- refusals --------------------------------------------------------------
rc=0; cast big --ballots 251 2>"$T/err" || rc=$?
[ $rc = 1 ] && grep -q "inscrits" "$T/err" || fail "251 ballots > 250 inscrits: exit $rc"
rc=0; cast clean 2>"$T/err" || rc=$?
[ $rc = 1 ] && grep -q "already exists" "$T/err" || fail "overwrote clean/: exit $rc"
for bad in "--fault nope" "--blank 1001" "--jobs 0" "--ballots -1" "--seed x"; do
	# shellcheck disable=SC2086
	rc=0; cast "u$RANDOM" $bad 2>/dev/null || rc=$?
	[ $rc = 2 ] || fail "$bad: exit $rc, not 2 (usage)"
done
rc=0; "$B/sceau-platform" cast --record "$REC" --out "$T/x" --ballots 1 2>/dev/null || rc=$?
[ $rc = 2 ] || fail "missing options: exit $rc"
"$B/sceau-platform" keygen --private "$T/other.json" --public "$T/other-pub.json" >/dev/null
rc=0
"$B/sceau-platform" cast --record "$REC" --definition "$T/election.json" \
	--private "$T/other.json" --out "$T/other" --ballots 1 2>"$T/err" || rc=$?
[ $rc = 1 ] && grep -q "not the private half" "$T/err" || fail "foreign private key: exit $rc"

# -- the faults: each changes what it says, nothing else --------------------
# (20 ballots per scrutin, against a clean cast of 20 with the same seed)
FAULTS="bad-signature wrong-key wrong-election unsorted duplicate-tracker bad-point
	scalar-range wrong-length manifest-count manifest-hash emargement-count
	emargement-signature bad-proof resent-same-r junk-copy"
cast base --ballots 20 >/dev/null
outs=(base)
for kind in $FAULTS; do
	cast "f-$kind" --ballots 20 --fault "$kind" >"$T/f-$kind.log"
	[ "$(grep -c "^fault injected: $kind: " "$T/f-$kind.log")" = 1 ] ||
		fail "$kind: no 'fault injected' line"
	outs+=("f-$kind")
done
inspect "${outs[@]}"
check_expected base 20 20 || fail "base/expected.json"

fault() { # KIND [URN-CHANGES...] -- [EMARGEMENT-CHANGES...]
	local kind=$1 u=() e=() side=u
	shift
	for a in "$@"; do
		if [ "$a" = "--" ]; then side=e; elif [ $side = u ]; then u+=("$a"); else e+=("$a"); fi
	done
	differs_only urn "f-$kind" "${u[@]+"${u[@]}"}"
	differs_only emargement "f-$kind" "${e[@]+"${e[@]}"}"
}
fault bad-signature seal=invalid
fault wrong-key seal=invalid
fault wrong-election election_ok=0
fault unsorted inversions=1
fault duplicate-tracker header_count=81 records=81 manifest_total=81 duplicates=1 same_a=1 \
	'manifest_counts=*' 'counts=*'
f=$T/f-duplicate-tracker/urn.facts
[ "$(grep ^counts= "$f" | cut -d= -f2)" = "$(grep ^manifest_counts= "$f" | cut -d= -f2)" ] ||
	fail "duplicate-tracker: manifest counts do not include the duplicate"
fault bad-point bad_points=1
fault scalar-range big_scalars=1
fault wrong-length records=79 trailing=195 'counts=*' # its last record one byte short
# the set-aside faults: one record more, the manifest counting it
for kind in bad-proof resent-same-r junk-copy; do
	same=0
	[ $kind = bad-proof ] || same=1
	fault $kind header_count=81 records=81 manifest_total=81 same_a=$same \
		'manifest_counts=*' 'counts=*'
done
fault manifest-count manifest_counts=21,19,20,20
fault manifest-hash sha_ok=0
fault emargement-count -- header_count=81 entries=81 counts=21,20,20,20 \
	manifest_counts=21,20,20,20 manifest_total=81
check_expected f-emargement-count 20 21 || fail "emargement-count: expected.json"
fault emargement-signature -- seal=invalid
# the choices depend on the seed only: every fault's expected.json is the base
# one's, but for the set-aside faults' ballot more, nul with its reason
for kind in bad-proof resent-same-r junk-copy; do
	/usr/bin/python3 - "$T/base/expected.json" "$T/f-$kind/expected.json" $kind <<'PY' ||
import json, sys
base, got, kind = json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), sys.argv[3]
reason = "duplicate" if kind == "resent-same-r" else "proof-failed"
diff = [i for i, (a, b) in enumerate(zip(base["scrutins"], got["scrutins"])) if a != b]
assert len(diff) == 1, diff
a, b = base["scrutins"][diff[0]], got["scrutins"][diff[0]]
a["votants"] += 1
a["nuls"] += 1
a["nuls_by_reason"][reason] += 1
assert a == b, (a, b)
PY
		fail "$kind: expected.json is not the base's with one $reason nul more"
done
for f in "$T"/f-*/expected.json; do
	case $f in */f-bad-proof/*|*/f-resent-same-r/*|*/f-junk-copy/*) continue ;; esac
	sed 's/"fault": "[a-z-]*"/"fault": "none"/' "$f" |
		sed 's/"emargements": 21,/"emargements": 20,/' | cmp -s - "$T/base/expected.json" ||
		fail "$f: choices differ from the clean cast"
done
# --turnout: a share of each scrutin's inscrits (rounded down), and never
# together with --ballots
"$B/sceau-platform" cast --record "$REC" --definition "$T/election.json" \
	--private "$T/priv.json" --out "$T/turnout" --turnout 500 --seed 5 > /dev/null ||
	fail "--turnout 500"
got=$(/usr/bin/python3 -c 'import json,sys; print(" ".join(str(s["votants"]) for s in json.load(open(sys.argv[1]))["scrutins"]))' "$T/turnout/expected.json")
want=$(/usr/bin/python3 -c 'import json,sys; print(" ".join(str(s["inscrits"] * 500 // 1000) for s in json.load(open(sys.argv[1]))["scrutins"]))' "$T/election.json")
[ "$got" = "$want" ] || fail "--turnout 500: votants $got, expected $want"
if "$B/sceau-platform" cast --record "$REC" --definition "$T/election.json" \
	--private "$T/priv.json" --out "$T/both" --turnout 500 --ballots 10 2>/dev/null; then
	fail "--turnout with --ballots accepted"
fi
echo "sceau-platform cast: clean cast, refusals, --turnout and 15 faults ok"
