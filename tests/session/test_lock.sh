#!/bin/bash
# One writing command at a time on a session (issue 14, item 4): while a
# `sceau count` holds the session (stopped at a crash point of lib/fault.h
# with SCEAU_FAULT_STOP, so that the test is not a race), a second count,
# an import, a pv, a seal and a recount of the same session are each
# refused with one message saying, in French (English with --lang en),
# that the session is in use, and change nothing; the first count then
# finishes with the right files. The same for two imports at once, the
# first one stopped in the middle of creating the session.
. tests/session/lib.sh
W=$(mktemp -d /tmp/sceau-test-XXXXXX)
held=
trap 'if [ -n "$held" ]; then pkill -CONT -P "$held"; pkill -P "$held"; fi; rm -rf "$W"' EXIT
ceremony tests/data/demo-election.json
cast "$W/p" 6
printf '%s\n%s\n' "${PINS[0]}" "${PINS[1]}" > "$W/pins"
printf 'oui\n%s\n%s\n' "${PINS[0]}" "${PINS[1]}" > "$W/yes"
import_urn "$W/ref" "$W/p" > /dev/null
cp -a "$W/ref" "$W/s"
count "$W/ref" "$W/pins" "$W/slots/1" "$W/slots/2" > /dev/null 2>&1 || fail "reference count"

# wait_stopped PID: the command started as PID (a shell function run in
# the background: sceau is its child) has stopped itself at its crash
# point; prints sceau's pid, for the SIGCONT.
wait_stopped() {
	local pid
	for _ in $(seq 3000); do
		for pid in "$1" $(pgrep -P "$1" || true); do
			case $(ps -o stat= -p "$pid" || true) in T*) echo "$pid"; return 0 ;; esac
		done
		kill -0 "$1" 2>/dev/null || return 1
		sleep 0.01
	done
	return 1
}
state() { # what a refused command must leave as it was
	sql "$1/session.db" "SELECT count(*) FROM journal" 2>/dev/null || echo none
	sql "$1/session.db" "SELECT value FROM meta WHERE key='phase'" 2>/dev/null || true
	ls "$1"
}
# refused WHAT OUTPUT [en]: one message, that the session is in use
refused() {
	local what=$1 out=$2 tag=ERREUR want="est déjà utilisée par une autre commande"
	if [ "${3:-}" = en ]; then tag=ERROR want="is already in use by another command"; fi
	grep -q "\[$tag\] .*$want" "$out" || { cat "$out"; fail "$what: no '$want'"; }
	[ "$(grep -c "\[$tag\]" "$out")" = 1 ] || { cat "$out"; fail "$what: more than one message"; }
	grep -q "UNIQUE\|constraint\|autre version\|another version" "$out" && fail "$what: wrong cause"
	return 0
}

# --- two counts at once ------------------------------------------------------
SCEAU_FAULT_AT=db:journal:count.card-accepted SCEAU_FAULT_STOP=1 \
	count "$W/s" "$W/pins" "$W/slots/1" "$W/slots/2" > "$W/first.out" 2>&1 &
held=$!
stopped=$(wait_stopped "$held") || { cat "$W/first.out"; fail "the first count did not stop"; }
before=$(state "$W/s")
if count "$W/s" "$W/pins" "$W/slots/1" "$W/slots/2" > "$W/second.out" 2>&1; then
	fail "two counts at once"
fi
refused "second count" "$W/second.out"
if count "$W/s" "$W/pins" "$W/slots/1" "$W/slots/2" -- --lang en > "$W/second-en.out" 2>&1; then
	fail "two counts at once (en)"
fi
refused "second count (en)" "$W/second-en.out" en
if import_urn "$W/s" "$W/p" > "$W/import.out" 2>&1; then fail "import during a count"; fi
refused "import during a count" "$W/import.out"
if "$B/sceau" pv --session "$W/s" --slot "$W/slots/1" --script "$W/pins" > "$W/pv.out" 2>&1; then
	fail "pv during a count"
fi
refused "pv during a count" "$W/pv.out"
if "$B/sceau" seal --session "$W/s" --slot "$W/slots/1" --script "$W/yes" > "$W/seal.out" 2>&1; then
	fail "seal during a count"
fi
refused "seal during a count" "$W/seal.out"
if "$B/sceau" recount --session "$W/s" --slot "$W/slots/1" --slot "$W/slots/2" \
	--script "$W/pins" > "$W/recount.out" 2>&1; then fail "recount during a count"; fi
refused "recount during a count" "$W/recount.out"
[ "$(state "$W/s")" = "$before" ] || fail "a refused command changed the session"
kill -CONT "$stopped"
wait "$held" || { cat "$W/first.out"; fail "the first count, let go on"; }
held=
cmp "$W/s/results.json" "$W/ref/results.json" || fail "results.json after two counts"
cmp "$W/s/ballots-decrypted.bin" "$W/ref/ballots-decrypted.bin" || fail "decrypted after two counts"
[ "$(sql "$W/s/session.db" "SELECT count(*) FROM journal WHERE event='count.done'")" = 1 ] ||
	fail "not one count.done"

# --- two imports at once (the first one creating the session) ----------------
SCEAU_FAULT_AT=db:journal:session.start SCEAU_FAULT_STOP=1 \
	import_urn "$W/i" "$W/p" > "$W/i1.out" 2>&1 &
held=$!
stopped=$(wait_stopped "$held") || { cat "$W/i1.out"; fail "the first import did not stop"; }
before=$(ls "$W/i")
if import_urn "$W/i" "$W/p" > "$W/i2.out" 2>&1; then fail "two imports at once"; fi
refused "second import" "$W/i2.out"
[ "$(ls "$W/i")" = "$before" ] || fail "the refused import changed the directory"
kill -CONT "$stopped"
wait "$held" || { cat "$W/i1.out"; fail "the first import, let go on"; }
held=
[ "$(sql "$W/i/session.db" "SELECT value FROM meta WHERE key='phase'")" = shuffled ] ||
	fail "import: phase"
[ "$(sql "$W/i/session.db" 'SELECT sum(n) FROM ballot_chunks')" = \
	"$(sql "$W/ref/session.db" 'SELECT sum(n) FROM ballot_chunks')" ] || fail "import: ballots"
cmp "$W/i/urn.iso" "$W/p/urn.iso" || fail "import: urn.iso"
echo "lock: a second count, import, pv, seal, recount refused while a count runs; two imports likewise"
