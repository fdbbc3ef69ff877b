#!/bin/bash
# make demo-console: the demo election of `make demo`, held by hand in the
# full-screen console. Prepares the working directory (docs/CONSOLE.md),
# prints the simulated cards' PINs, then opens the console there; after the
# ceremony, run the vote with the command printed below, then come back.
# With DEMO_STAGE=count, the ceremony (with the PINs printed below) and the
# vote are run beforehand by script, and the console opens on the counting
# session.
# usage: [DEMO_STAGE=count] scripts/demo-console.sh BUILD_DIR [DIR]
set -euo pipefail
B=$(cd "$1" && pwd)
top=$(cd "$(dirname "$0")/.." && pwd)
D=${2:-"$top/build/demo-console"}
examples="$top/examples"

rm -rf "$D"
mkdir -p "$D/input" "$D/slots" "$D/media"
"$B/sceau-prepare" --election "$examples/election.csv" \
	--candidates "$examples/candidates.csv" --bureau "$examples/bureau.csv" \
	--title "Élections du CSE 2026" \
	--out-election "$D/input/election.json" --out-bureau "$D/input/bureau.json" >/dev/null
"$B/sceau-platform" keygen --private "$D/platform-private.json" \
	--public "$D/input/platform-key.json" >/dev/null
for i in 1 2 3; do
	"$B/sceau-simcard" new "$D/slots/$i" --serial "0000000$i" >/dev/null
done
cat > "$D/vote.sh" <<VOTE
#!/bin/sh
# The simulated vote, after the key ceremony: writes media/urn.iso and
# media/emargement.iso, which the console's import reads.
set -e
"$B/sceau-platform" cast --record "$D/ceremony/record.json" \\
	--definition "$D/ceremony/election.json" --private "$D/platform-private.json" \\
	--out "$D/platform" --turnout 780 --rature 60 --blank 25 --nul 4
cp "$D/platform/urn.iso" "$D/platform/emargement.iso" "$D/media/"
VOTE
chmod +x "$D/vote.sh"

if [ "${DEMO_STAGE:-}" = count ]; then
	printf 'a\nb\nc\n284017\n284017\n550913\n550913\n730268\n730268\n284017\n550913\n730268\n' \
		> "$D/answers.txt"
	"$B/sceau" ceremony --definition "$D/input/election.json" --bureau "$D/input/bureau.json" \
		--platform-key "$D/input/platform-key.json" --out "$D/ceremony" \
		--slot "$D/slots/1" --slot "$D/slots/2" --slot "$D/slots/3" \
		--script "$D/answers.txt" > "$D/ceremony.log"
	rm -f "$D/answers.txt"
	"$D/vote.sh" > "$D/vote.log"
	echo "== Key ceremony and vote done by script (logs in $D)."
fi

cat <<INFO
== Sceau console demo, in $D
   Three simulated cards, in readers slots/1, slots/2 and slots/3.
   PINs: card 1: 284017, card 2: 550913, card 3: 730268 (at the ceremony, each
   member chooses one: 6 to 12 digits, not too easy; use these).
   To pull or insert a card:  $B/sceau-simcard pull|insert $D/slots/N
   After the ceremony, quit the console, run the vote:  $D/vote.sh
   then reopen the console:  $B/sceau console --dir $D
INFO
if [ -t 0 ]; then
	printf '   Press Enter to open the console. '
	read -r _
fi
exec "$B/sceau" console --dir "$D"
