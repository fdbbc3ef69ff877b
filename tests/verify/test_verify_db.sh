#!/bin/bash
# session.db against the published files (issue 14, item 11): a box that
# changes one table of its database and reseals (the final manifest
# rebuilt and re-signed, so that only the database check can see it) is
# caught, and the report names the table. One archive copy per table.
. tests/session/lib.sh
. tests/verify/archive.sh
W=$(mktemp -d /tmp/sceau-test-XXXXXX)
trap 'rm -rf "$W"' EXIT
counted_session "$W/s" 20
seal "$W/s" "$W/a"

rc=$(verify "$W/ok" "$W/a")
[ "$rc" = 0 ] || { cat "$W/ok.txt"; fail "pristine archive: exit $rc"; }
[ "$($REPORT status "$W/ok.json" database)" = pass ] || { cat "$W/ok.txt"; fail "database not pass"; }
has_note "$W/ok.json" database "^table decrypted: 80 ballot(s), each equal to ballots-decrypted.bin" ||
	{ cat "$W/ok.txt"; fail "decrypted table: not said"; }

# tampered NAME TABLE [ALSO]: the copy NAME, whose database was changed,
# resealed; only the database check fails (or also the checks ALSO), and a
# note names TABLE.
tampered() {
	local a=$W/$1 table=$2 also=${3:-} failed
	manifest "$a"
	rc=$(verify "$a" "$a")
	[ "$rc" = 1 ] || { cat "$a.txt"; fail "$1: table $table changed, exit $rc"; }
	failed=$($REPORT failed "$a.json")
	[ "$failed" = "$(echo database $also)" ] || { cat "$a.txt"; fail "$1: failed $failed"; }
	has_note "$a.json" database "table $table" || { cat "$a.txt"; fail "$1: table $table not named"; }
}
copy() { cp -r "$W/a" "$W/$1"; chmod -R u+w "$W/$1"; }
py() { /usr/bin/python3 - "$@"; }

# the stored decrypted table: one plaintext swapped with another ballot's
copy dec
py "$W/dec/session.db" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
rows = c.execute("SELECT idx, plaintext FROM decrypted WHERE status = 0 AND scrutin = 1"
                 " ORDER BY idx").fetchall()
a = rows[0]
b = next(r for r in rows if r[1] != a[1])
c.execute("UPDATE decrypted SET plaintext = ? WHERE scrutin = 1 AND idx = ?", (b[1], a[0]))
c.commit()
PY
tampered dec decrypted

# an urn ballot chunk: one byte of the first ballot's B (entries of
# tracker (32) | record: u16 scrutin | A (65) | B (65) | c | z)
copy chunk
py "$W/chunk/session.db" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
d = bytearray(c.execute("SELECT data FROM ballot_chunks WHERE first = 1").fetchone()[0])
d[32 + 2 + 65 + 3] ^= 1
c.execute("UPDATE ballot_chunks SET data = ? WHERE first = 1", (bytes(d),))
c.commit()
PY
tampered chunk ballot_chunks

# an irregularity
copy irr
sqlite3 "$W/irr/session.db" "UPDATE irregularities SET detail = 'urn=20 emargement=20'"
tampered irr irregularities

# the stored copy of results.json
copy res
sed 's/"votants": \([0-9]*\)/"votants": 1\1/' "$W/a/results.json" > "$W/res.json"
cmp -s "$W/a/results.json" "$W/res.json" && fail "results copy not changed"
db_put_file "$W/res/session.db" results.json "$W/res.json"
tampered res files

# a file stored that the archive does not publish
copy extra
printf 'hidden\n' > "$W/extra.txt"
db_put_file "$W/extra/session.db" notes.txt "$W/extra.txt"
tampered extra files

# a hash in meta
copy meta
sqlite3 "$W/meta/session.db" "UPDATE meta SET value = '$(sha "$W/a/record.json")' WHERE key = 'urn_sha256'"
tampered meta meta

# the counts
copy counts
sqlite3 "$W/counts/session.db" "UPDATE scrutin_counts SET emargements = emargements + 1 WHERE scrutin = 2"
tampered counts scrutin_counts

# a table the box never makes
copy table
sqlite3 "$W/table/session.db" "CREATE TABLE notes(x TEXT); INSERT INTO notes VALUES('hidden')"
tampered table notes

# the last decrypted ballot removed from the table
copy short
sqlite3 "$W/short/session.db" "DELETE FROM decrypted WHERE scrutin = (SELECT max(scrutin) FROM decrypted)
	AND idx = (SELECT max(idx) FROM decrypted WHERE scrutin = (SELECT max(scrutin) FROM decrypted))"
tampered short decrypted

# a ballot said set aside that the verifier keeps (v2)
copy aside
sqlite3 "$W/aside/session.db" "INSERT INTO set_aside(seq, scrutin, reason)
	SELECT 1, CAST(substr(hex(substr(data, 33, 2)), 1, 4) AS INTEGER), 'proof-failed'
	FROM ballot_chunks WHERE first = 1"
tampered aside set_aside

# a shuffle file's hash, then its N (v2)
copy shufsha
sqlite3 "$W/shufsha/session.db" "UPDATE shuffles SET sha256 = '$(sha "$W/a/record.json")' WHERE scrutin = 1"
tampered shufsha shuffles
copy shufn
sqlite3 "$W/shufn/session.db" "UPDATE shuffles SET n = n + 1 WHERE scrutin = 2"
tampered shufn shuffles

# the journal: the urn's hash in the import entry replaced, the chain
# recomputed and the new head sealed (the PVs printed the old head, so
# their codes no longer match either)
copy journal
sqlite3 "$W/journal/session.db" "DROP TRIGGER journal_no_update;
	UPDATE journal SET detail = replace(detail, 'urn_sha256=$(sha "$W/a/urn.iso")',
		'urn_sha256=$(sha "$W/a/record.json")') WHERE event = 'import.done'"
sqlite3 "$W/journal/session.db" "SELECT detail FROM journal WHERE event = 'import.done'" |
	grep -q "urn_sha256=$(sha "$W/a/record.json")" || fail "journal entry not changed"
rechain "$W/journal/session.db"
tampered journal journal pv.qr
echo "every table of session.db compared with the published files"
