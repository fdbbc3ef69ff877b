# Shared by the console tests: a working directory in the console's layout
# (docs/CONSOLE.md) and a private tmux server of fixed size that runs
# `sceau console` in it. Screens are read with capture-pane and polled until
# the expected text appears (never fixed sleeps alone). Sourced; expects
# SCEAU_BUILD and runs from the top of the repository.
set -euo pipefail
B=$SCEAU_BUILD
. tests/support/ceremony.sh
W=$(mktemp -d /tmp/sceau-console-XXXXXX)
D=$W/d
SOCK=$W/tmux.sock
T=(tmux -S "$SOCK" -f /dev/null)

# The console of each pane (the pane's shell's child) is ended by its
# process id before the server, so none outlives the test.
console_cleanup() {
	local pane child
	for pane in $("${T[@]}" list-panes -a -F '#{pane_pid}' 2>/dev/null); do
		for child in $(ps -o pid= --ppid "$pane" 2>/dev/null); do
			kill "$child" 2>/dev/null || true
		done
	done
	"${T[@]}" kill-server 2>/dev/null || true
	rm -rf "$W"
}
trap console_cleanup EXIT

# The screen as one line, runs of blanks squeezed (the console wraps text).
screen() { "${T[@]}" capture-pane -p -t c 2>/dev/null | tr '\n' ' ' | tr -s ' '; }

fail() {
	echo "FAIL: $*" >&2
	"${T[@]}" capture-pane -p -t c >&2 2>/dev/null || true
	exit 1
}

# wait_for TEXT [SECONDS]: polls the screen until TEXT shows.
wait_for() {
	local end=$((SECONDS + ${2:-20}))
	while [ "$SECONDS" -lt "$end" ]; do
		screen | grep -qF -- "$1" && return 0
		sleep 0.1
	done
	fail "no \"$1\" on screen after ${2:-20} s"
}

# not_on_screen TEXT
not_on_screen() { if screen | grep -qF -- "$1"; then fail "\"$1\" on screen"; fi; }

keys() { "${T[@]}" send-keys -t c "$@"; }
# typ TEXT: types TEXT literally (no key names).
typ() { "${T[@]}" send-keys -t c -l -- "$1"; }
# answer TEXT: types TEXT, then Enter.
answer() { typ "$1"; keys Enter; }

# A fresh election directory: definition, bureau, platform key, three cards.
setup_dir() {
	mkdir -p "$D/input" "$D/slots" "$D/media"
	cp "${1:-tests/data/demo-election.json}" "$D/input/election.json"
	cp tests/data/demo-bureau.json "$D/input/bureau.json"
	"$B/sceau-platform" keygen --private "$W/platform-private.json" \
		--public "$D/input/platform-key.json" > /dev/null
	for i in 1 2 3; do
		"$B/sceau-simcard" new "$D/slots/$i" --serial "0000020$i" > /dev/null
	done
}

# A directory whose key ceremony is held already, on the command line with
# scripted answers; the demo election with 5000 registered voters, room for
# any vote the tests cast.
setup_ceremony() {
	sed -e 's/"inscrits": [0-9]*/"inscrits": 5000/' tests/data/demo-election.json \
		> "$W/election.json"
	setup_dir "$W/election.json"
	ceremony_answers "$W/answers.txt"
	"$B/sceau" ceremony --definition "$D/input/election.json" \
		--bureau "$D/input/bureau.json" --platform-key "$D/input/platform-key.json" \
		--out "$D/ceremony" --slot "$D/slots/1" --slot "$D/slots/2" --slot "$D/slots/3" \
		--script "$W/answers.txt" > "$W/ceremony.log"
}

# start_console [OPTIONS...]: in a 100x32 terminal, with no LANG (French).
start_console() {
	local env=(env -i TERM=xterm-256color HOME="$W" PATH=/usr/bin:/bin)
	[ -n "${ASAN_OPTIONS:-}" ] && env+=(ASAN_OPTIONS="$ASAN_OPTIONS")
	"${T[@]}" new-session -d -x 100 -y 32 -s c \
		"${env[*]} $B/sceau console --dir $D $*; echo CONSOLE-EXIT \$?; sleep 120"
	wait_for "Menu principal"
}

# menu N: opens item N of the main menu (its digit, then Enter).
menu() { keys "$1"; keys Enter; }

# The vote, simulated: the sealed media in the directory's media/.
vote() {
	"$B/sceau-platform" cast --record "$D/ceremony/record.json" \
		--definition "$D/ceremony/election.json" --private "$W/platform-private.json" \
		--out "$W/platform" --ballots "$1" > "$W/cast.log"
	cp "$W/platform/urn.iso" "$W/platform/emargement.iso" "$D/media/"
}

# count_to_results: "Dépouillement : déchiffrer et compter" confirmed, the
# président's and the assesseure's PINs, until scrutin 1's results show.
count_to_results() {
	menu 4
	wait_for "clore le décompte"
	answer oui
	wait_for "Yves Marchand, tapez votre code secret"
	answer "${PINS[0]}"
	wait_for "Aurélie Dupuis, tapez votre code secret"
	answer "${PINS[1]}"
	wait_for "Résultats du scrutin 1" 60
}

# quit_console: "Quitter", the last item (1 selects the first, Up wraps).
quit_console() {
	keys 1 Up Enter
	wait_for "CONSOLE-EXIT 0"
}
