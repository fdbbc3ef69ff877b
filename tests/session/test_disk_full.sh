#!/bin/bash
# A full disk while the count writes ballots-decrypted.bin (issue 14, items
# 1 and 6): the count stops with one message saying, in French (English
# with --lang en), that the disk is full; nothing partial is left under a
# final name and the session stays where it was; once there is space again,
# the same count finishes with the reference's files, byte for byte.
# The disk is a small tmpfs mounted here when mount works (as root), else
# the file size limit (RLIMIT_FSIZE, SIGXFSZ ignored: write() says EFBIG);
# the test says which ran.
. tests/session/lib.sh
W=$(mktemp -d /tmp/sceau-test-XXXXXX)
mounted=
trap 'if [ -n "$mounted" ]; then umount "$W/fs"; fi; rm -rf "$W"' EXIT
ceremony tests/data/demo-election.json
cast "$W/p" 100
printf '%s\n%s\n' "${PINS[0]}" "${PINS[1]}" > "$W/pins"
import_urn "$W/ref" "$W/p" > /dev/null
cp -a "$W/ref" "$W/imported"
count "$W/ref" "$W/pins" "$W/slots/1" "$W/slots/2" > /dev/null 2>&1 || fail "reference count"
size=$(stat -c %s "$W/ref/ballots-decrypted.bin")
[ "$size" -gt 49152 ] || fail "ballots-decrypted.bin of $size bytes: too small for the test"

mkdir "$W/fs"
if mount -t tmpfs -o size=4m tmpfs "$W/fs" 2> /dev/null; then
	mounted=1
	how="a tmpfs of 4 MiB, filled up"
else
	how="RLIMIT_FSIZE of 40 KiB"
fi
phase_of() { sql "$1/session.db" "SELECT value FROM meta WHERE key='phase'"; }

# full_count SESSION LANG: the count with every ballot decrypted already,
# on a disk with less room than the decrypted file needs (but room for
# the 32 KiB of the database's shared-memory index).
full_count() {
	local s=$1 lang=$2
	if [ -n "$mounted" ]; then
		local avail
		avail=$(df --output=avail -B1 "$W/fs" | tail -1)
		# room for the database's shared-memory index (32 KiB), and 8 KiB
		fallocate -l $((avail - 40960)) "$W/fs/filler" 2>/dev/null ||
			head -c $((avail - 40960)) /dev/zero > "$W/fs/filler" 2>/dev/null || true
		count "$s" "$W/pins" "$W/slots/1" "$W/slots/2" -- --lang "$lang"
	else
		(ulimit -f 40; trap '' XFSZ; count "$s" "$W/pins" "$W/slots/1" "$W/slots/2" -- --lang "$lang")
	fi
}

for lang in fr en; do
	s="$W/fs/s-$lang"
	cp -a "$W/imported" "$s"
	# every ballot decrypted, nothing counted yet: killed at the end of the
	# decryption (lib/fault.h)
	rc=0
	SCEAU_FAULT_AT=phase:decrypted:after count "$s" "$W/pins" "$W/slots/1" "$W/slots/2" \
		> /dev/null 2>&1 || rc=$?
	[ "$rc" = 137 ] || fail "$lang: the count was not stopped after the decryption ($rc)"
	[ "$(phase_of "$s")" = decrypted ] || fail "$lang: phase $(phase_of "$s")"
	# the database's write-ahead log folded in, as a count that ended would
	# leave it: the disk then fills while the decrypted file is written
	sql "$s/session.db" "PRAGMA wal_checkpoint(TRUNCATE)" > /dev/null
	rc=0
	full_count "$s" "$lang" > "$W/full-$lang.out" 2>&1 || rc=$?
	[ "$rc" != 0 ] || { cat "$W/full-$lang.out"; fail "$lang: the count went on, disk full"; }
	if [ "$lang" = fr ]; then
		tag=ERREUR want="le disque est plein : libérez de la place"
	else
		tag=ERROR want="the disk is full: free some space"
	fi
	grep -q "\[$tag\] $want" "$W/full-$lang.out" ||
		{ cat "$W/full-$lang.out"; fail "$lang: no '$want'"; }
	[ "$(grep -c "\[$tag\]" "$W/full-$lang.out")" = 1 ] ||
		{ cat "$W/full-$lang.out"; fail "$lang: more than one message"; }
	grep -q "erreur de lecture ou d'écriture\|read or write error" "$W/full-$lang.out" &&
		fail "$lang: told as a read or write error"
	[ ! -e "$s/ballots-decrypted.bin" ] && [ ! -e "$s/results.json" ] ||
		fail "$lang: a partial file under its final name"
	[ -z "$(find "$s" -name '*.tmp*')" ] || fail "$lang: temporary file left: $(find "$s" -name '*.tmp*')"
	[ "$(phase_of "$s")" = decrypted ] || fail "$lang: phase moved to $(phase_of "$s")"
	# space again: the same count finishes, with the reference's files
	rm -f "$W/fs/filler"
	count "$s" "$W/pins" "$W/slots/1" "$W/slots/2" > "$W/again-$lang.out" 2>&1 ||
		{ cat "$W/again-$lang.out"; fail "$lang: count with space again"; }
	cmp "$s/results.json" "$W/ref/results.json" || fail "$lang: results.json differs"
	cmp "$s/ballots-decrypted.bin" "$W/ref/ballots-decrypted.bin" ||
		fail "$lang: ballots-decrypted.bin differs"
	rm -rf "$s"
done
# The import on a full disk (tmpfs only): the same message, not a medium to
# check; once there is space, the same import works.
if [ -n "$mounted" ]; then
	avail=$(df --output=avail -B1 "$W/fs" | tail -1)
	head -c $((avail - 65536)) /dev/zero > "$W/fs/filler" 2>/dev/null || true
	if import_urn "$W/fs/i" "$W/p" > "$W/import-full.out" 2>&1; then fail "import on a full disk"; fi
	grep -q "\[ERREUR\] le disque est plein" "$W/import-full.out" ||
		{ cat "$W/import-full.out"; fail "import: no 'le disque est plein'"; }
	[ "$(grep -c '\[ERREUR\]' "$W/import-full.out")" = 1 ] || { cat "$W/import-full.out"; fail "import: not one message"; }
	grep -q "Vérifiez le support" "$W/import-full.out" && fail "import: the medium blamed for a full disk"
	rm -f "$W/fs/filler"
	import_urn "$W/fs/i" "$W/p" > "$W/import-again.out" 2>&1 ||
		{ cat "$W/import-again.out"; fail "import with space again"; }
	[ -z "$(find "$W/fs/i" -name '*.tmp*' -o -name '*.part' -o -name '*.new*')" ] ||
		fail "import: temporary files left"
	how="$how; the import too"
fi
echo "disk full ($how): told in French and English, resumed with identical files"
