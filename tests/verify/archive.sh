# Sourced by the verifier's scripted tests (after tests/session/lib.sh):
# a real counted session made by the real pipeline, then a sealed archive.
# When `sceau seal` exists it makes the archive; until then the archive is
# put together here as docs/FORMATS.md "Archive" describes it, with the
# box's own signing code and the simulated cards (test_verify_helper).
H=$SCEAU_BUILD/tests/verify/test_verify_helper
V=$SCEAU_BUILD/sceau-verify
REPORT="/usr/bin/python3 $SCEAU_TOP/tests/verify/report.py"

sha() { sha256sum "$1" | cut -c1-64; }

# has_note REPORT CHECK REGEX: one of the check's English notes matches.
has_note() {
	local notes
	notes=$($REPORT notes "$1" "$2")
	grep -q -- "$3" <<< "$notes"
}

# has_text REPORT CHECK TEXT: the same for a fixed text.
has_text() {
	local notes
	notes=$($REPORT notes "$1" "$2")
	grep -qF -- "$3" <<< "$notes"
}

# counted_session DIR N: ceremony, N ballots per scrutin, import, count
# (small inscrits so that the quorum is reached and seats are allocated).
counted_session() {
	local dir=$1 n=$2
	sed -e 's/"inscrits": [0-9]*/"inscrits": 40/' tests/data/demo-election.json > "$W/election.json"
	ceremony "$W/election.json"
	cast "$W/p" "$n" --nul 100 --rature 300 --blank 100 --fault emargement-count
	import_urn "$dir" "$W/p" > "$W/import.log"
	printf '%s\n%s\n' "${PINS[0]}" "${PINS[2]}" > "$W/pins13"
	count "$dir" "$W/pins13" "$W/slots/1" "$W/slots/3" -- --jobs 2 > "$W/count.log" 2>&1 ||
		{ cat "$W/count.log"; fail "count failed"; }
}

# sign_file SUBJECT FILE OUT: cards 1 and 3 sign, as the box would.
sign_file() {
	"$H" sign "$W/ceremony/record.json" "$1" "$2" "$3" "$W/slots/1" "${PINS[0]}" \
		"$W/slots/3" "${PINS[2]}" > "$W/sign.log" 2>&1 || { cat "$W/sign.log"; fail "signing $2"; }
}

# manifest ARCHIVE: the final manifest of every other file, signed.
manifest() {
	local a=$1 head fw
	head=$(sqlite3 "$a/session.db" "SELECT lower(hex(hash)) FROM journal ORDER BY seq DESC LIMIT 1")
	fw=$(sed -n 's/^firmware_sha256 //p' "$a/firmware.txt")
	rm -f "$a/manifest.json" "$a/signatures-manifest.json"
	/usr/bin/python3 - "$a" "$head" "$fw" <<'PY'
import hashlib, json, os, sys
a, head, fw = sys.argv[1:4]
files = []
for name in sorted(os.listdir(a)):
    data = open(os.path.join(a, name), "rb").read()
    files.append({"name": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()})
eid = hashlib.sha256(open(os.path.join(a, "election.json"), "rb").read()).hexdigest()
m = {"format": "sceau-archive/1", "election_id": eid, "sealed_at": "2026-12-08T18:42:10Z",
     "journal_head": head, "firmware_sha256": fw, "files": files}
with open(os.path.join(a, "manifest.json"), "w", encoding="utf-8") as f:
    f.write(json.dumps(m, indent=2, ensure_ascii=False) + "\n")
PY
	sign_file manifest "$a/manifest.json" "$a/signatures-manifest.json"
}

has_cmd() { "$B/sceau" help 2>&1 | grep -q "^  $1 "; }

# The results signed and the PVs printed: `sceau pv` when it exists, else
# the box's signing code with the cards and a placeholder PV file.
print_pv() {
	local s=$1
	if has_cmd pv; then
		"$B/sceau" pv --session "$s" --slot "$W/slots/1" --slot "$W/slots/3" \
			--script "$W/pins13" > "$W/pv.log" 2>&1 || { cat "$W/pv.log"; fail "sceau pv"; }
		return
	fi
	sign_file results "$s/results.json" "$s/signatures-results.json"
	mkdir -p "$s/pv"
	printf '%%PDF-1.4\n%% placeholder: sceau pv is not there yet\n%%%%EOF\n' \
		> "$s/pv/pv-1-titulaires.pdf"
}

# seal SESSION ARCHIVE: `sceau seal` when it exists, else the same by hand.
seal() {
	local s=$1 a=$2
	print_pv "$s"
	if has_cmd seal; then
		printf 'oui\n%s\n%s\n' "${PINS[0]}" "${PINS[2]}" > "$W/seal-answers"
		"$B/sceau" seal --session "$s" --slot "$W/slots/1" --slot "$W/slots/3" \
			--script "$W/seal-answers" > "$W/seal.log" 2>&1 || { cat "$W/seal.log"; fail "sceau seal"; }
		cp -r "$s/archive" "$a"
		chmod -R u+w "$a"
		# sceau seal opens archive/session.db read-only to read the journal
		# head, and SQLite leaves the WAL's -wal and -shm beside it; they are
		# not archive files (sceau-verify reports them as extra files).
		rm -f "$a/session.db-wal" "$a/session.db-shm"
		return
	fi
	mkdir -p "$a"
	for f in record.json election.json urn.iso emargement.iso ballots-decrypted.bin \
		results.json signatures-results.json session.db pv/pv-1-titulaires.pdf; do
		cp "$s/$f" "$a/"
	done
	# each scrutin's shuffled list and its proof (v2), beside the decrypted file
	for f in "$s"/shuffle-*.bin; do
		[ -e "$f" ] && cp "$f" "$a/"
	done
	chmod -R u+w "$a"
	sqlite3 "$a/session.db" "UPDATE meta SET value='sealed' WHERE key='phase';
		INSERT OR REPLACE INTO meta(key, value) VALUES('sealed', '1');"
	printf 'firmware_sha256 %s\ncrypto_library Mbed TLS\nsimulation_build 1\n' \
		"$(sha "$B/sceau")" > "$a/firmware.txt"
	manifest "$a"
}

# verify OUT_PREFIX ARGS...: runs sceau-verify, keeps text and JSON report;
# prints the exit status.
verify() {
	local out=$1 rc=0
	shift
	"$V" --json "$out.json" "$@" > "$out.txt" 2>&1 || rc=$?
	echo "$rc"
}

# X of the v2 hashes code: H("sceau/shuffle-files/v2"; u16be(id), SHA-256 of
# shuffle-<id>.bin, for each scrutin with a shuffle file, in id order).
qr_x() {
	/usr/bin/python3 - "$1" <<'PY'
import glob, hashlib, os, re, struct, sys
def part(b):
    return struct.pack(">I", len(b)) + b
files = {int(re.match(r"shuffle-([0-9]+)\.bin$", os.path.basename(f)).group(1)): f
         for f in glob.glob(sys.argv[1] + "/shuffle-*.bin")}
m = hashlib.sha256(part(b"sceau/shuffle-files/v2"))
for k in sorted(files):
    m.update(part(struct.pack(">H", k)) + part(hashlib.sha256(open(files[k], "rb").read()).digest()))
print(m.hexdigest())
PY
}

# The QR payload of the hashes, as the PV prints it (v2).
qr_hashes() {
	local a=$1 scrutin=$2 eid head fw
	eid=$(sha "$a/election.json")
	head=$(sqlite3 "$a/session.db" "SELECT lower(hex(hash)) FROM journal ORDER BY seq DESC LIMIT 1")
	fw=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["firmware_sha256"])' "$a/manifest.json")
	echo "SCEAU2:H:$scrutin:E:$eid:R:$(sha "$a/results.json"):U:$(sha "$a/urn.iso"):M:$(sha "$a/emargement.iso"):X:$(qr_x "$a"):D:$(sha "$a/ballots-decrypted.bin"):J:$head:F:$fw" |
		tr a-f A-F
}

# The QR payload of the results' signatures.
qr_sigs() {
	/usr/bin/python3 - "$1" "$2" <<'PY'
import json, sys
a, scrutin = sys.argv[1:3]
s = json.load(open(a + "/signatures-results.json"))
parts = ["SCEAU2", "S", scrutin, "R", s["file_sha256"]]
for e in s["signatures"]:
    parts += [str(e["card"]), e["signature"]]
print(":".join(parts).upper())
PY
}

# What a box that lies consistently does to its session database after
# changing a file (python's sqlite3, so that blobs stay blobs).

# db_put_file DB NAME FILE: the stored copy of NAME replaced by FILE (the
# box's schema refuses UPDATE on files, not DELETE).
db_put_file() {
	/usr/bin/python3 - "$@" <<'PY'
import sqlite3, sys
db, name, path = sys.argv[1:4]
c = sqlite3.connect(db)
c.execute("DELETE FROM files WHERE name = ?", (name,))
c.execute("INSERT INTO files(name, data) VALUES(?, ?)", (name, open(path, "rb").read()))
c.commit()
PY
}

# rechain DB: every journal hash recomputed (docs/FORMATS.md: hash_n =
# hash_tagged("sceau/journal/v1", u64be(seq), prev, time, event, detail)),
# as a box that rewrote an entry would; the append-only trigger is dropped
# for the rewrite and made again.
rechain() {
	/usr/bin/python3 - "$1" <<'PY'
import hashlib, sqlite3, struct, sys
def tagged(tag, *parts):
    h = hashlib.sha256()
    for p in (tag.encode(),) + parts:
        h.update(struct.pack(">I", len(p)) + p)
    return h.digest()
c = sqlite3.connect(sys.argv[1])
c.execute("DROP TRIGGER IF EXISTS journal_no_update")
prev = bytes(32)
for seq, time, event, detail in c.execute(
        "SELECT seq, time, event, detail FROM journal ORDER BY seq").fetchall():
    h = tagged("sceau/journal/v1", struct.pack(">Q", seq), prev, time.encode(),
               event.encode(), detail.encode())
    c.execute("UPDATE journal SET prev = ?, hash = ? WHERE seq = ?", (prev, h, seq))
    prev = h
c.execute("CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal"
          " BEGIN SELECT RAISE(ABORT, 'journal is append-only'); END")
c.commit()
PY
}

# sigs_edit FILE drop CARD | high CARD: a card's signature removed, or
# replaced by its other valid form (r, n - s); the file stays canonical.
sigs_edit() {
	/usr/bin/python3 - "$@" <<'PY'
import json, sys
path, what, card = sys.argv[1], sys.argv[2], int(sys.argv[3])
n = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551
s = json.load(open(path, encoding="utf-8"))
if what == "drop":
    s["signatures"] = [e for e in s["signatures"] if e["card"] != card]
else:
    for e in s["signatures"]:
        if e["card"] == card:
            sig = e["signature"]
            e["signature"] = sig[:64] + "%064x" % (n - int(sig[64:], 16))
with open(path, "w", encoding="utf-8") as f:
    f.write(json.dumps(s, indent=2, ensure_ascii=False) + "\n")
PY
}

# high_s FILE: the cards whose signature in FILE has s > n/2 (none if every
# signature is in its low-s form).
high_s() {
	/usr/bin/python3 - "$1" <<'PY'
import json, sys
n = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551
s = json.load(open(sys.argv[1], encoding="utf-8"))
print(" ".join(str(e["card"]) for e in s["signatures"] if int(e["signature"][64:], 16) > n // 2))
PY
}

# relie SESSION: a counted session whose results.json or
# ballots-decrypted.bin a lying box changed, its database made to say the
# same before the PV is printed and the session sealed (`seal`): the stored
# results and their hash (meta, journal), every decrypted row as the file
# has it, the journal's chain recomputed. Then nothing the box signs or
# prints disagrees with the lie: only the mathematics can catch it.
relie() {
	/usr/bin/python3 - "$1" <<'PY'
import hashlib, sqlite3, struct, sys
s = sys.argv[1]
c = sqlite3.connect(s + "/session.db")
res = open(s + "/results.json", "rb").read()
new = hashlib.sha256(res).hexdigest()
(old,) = c.execute("SELECT value FROM meta WHERE key = 'results_sha256'").fetchone()
c.execute("UPDATE meta SET value = ? WHERE key = 'results_sha256'", (new,))
c.execute("DELETE FROM files WHERE name = 'results.json'")
c.execute("INSERT INTO files(name, data) VALUES('results.json', ?)", (res,))
c.execute("DROP TRIGGER IF EXISTS journal_no_update")
c.execute("UPDATE journal SET detail = replace(detail, ?, ?)", (old, new))
b = open(s + "/ballots-decrypted.bin", "rb").read()
# v2 entries: u16 scrutin | u32 idx | S (65) | c (32) | z (32) | u8 status | plaintext
ptlen = dict(c.execute("SELECT scrutin, length(plaintext) FROM decrypted GROUP BY scrutin"))
off = 16
while off < len(b):
    scrutin, idx = struct.unpack(">HI", b[off:off + 6])
    n = ptlen[scrutin]
    c.execute("UPDATE decrypted SET s_point = ?, proof = ?, status = ?, plaintext = ?"
              " WHERE scrutin = ? AND idx = ?",
              (b[off + 6:off + 71], b[off + 71:off + 135], b[off + 135],
               b[off + 136:off + 136 + n], scrutin, idx))
    off += 136 + n
c.commit()
PY
	rechain "$1/session.db"
}
