#!/bin/bash
# make demo: a whole simulated election on this machine, as a bureau would
# hold it, with simulated cards and the demo data of examples/.
# usage: scripts/demo.sh BUILD_DIR
set -euo pipefail
B=$(cd "$1" && pwd)
top=$(cd "$(dirname "$0")/.." && pwd)
D="$top/build/demo-election"
examples="$top/examples"

rm -rf "$D"
mkdir -p "$D/input" "$D/slots"

echo "== Sceau demo: a CSE election of the fictional Transports Arvelle SAS =="
echo
echo "-- 1. The organiser prepares the election definition from the HR files"
"$B/sceau-prepare" --election "$examples/election.csv" \
	--candidates "$examples/candidates.csv" --bureau "$examples/bureau.csv" \
	--title "Élections du CSE 2026" \
	--out-election "$D/input/election.json" --out-bureau "$D/input/bureau.json"

echo
echo "-- 2. The voting platform makes its sealing key and hands over the public half"
"$B/sceau-platform" keygen --private "$D/input/platform-private.json" \
	--public "$D/input/platform-key.json"

echo
echo "-- 3. Three factory-fresh (simulated) OpenPGP cards, one per bureau member"
for i in 1 2 3; do
	"$B/sceau-simcard" new "$D/slots/lecteur-$i" --serial "0000000$i" >/dev/null
	echo "   card in $D/slots/lecteur-$i"
done

echo
echo "-- 4. The key ceremony (the members' answers come from a script here)"
# Order of the questions: one randomness contribution per member, then each
# member's new PIN twice, then each member's PIN again to check the card.
cat > "$D/input/answers.txt" <<ANSWERS
les sanglots longs des violons
de l'automne 4471 blessent mon coeur
d'une langueur monotone 9082
284017
284017
550913
550913
730268
730268
284017
550913
730268
ANSWERS
"$B/sceau" ceremony --definition "$D/input/election.json" \
	--bureau "$D/input/bureau.json" --platform-key "$D/input/platform-key.json" \
	--out "$D/ceremony" --slot "$D/slots/lecteur-1" --slot "$D/slots/lecteur-2" \
	--slot "$D/slots/lecteur-3" --script "$D/input/answers.txt"

echo
echo "-- 5. The vote (simulated platform): 78 % turnout, v2 ballots (ElGamal on P-256"
echo "      with a proof of knowledge) encrypted to the record's key, urn and"
echo "      émargement sealed and burnt as ISO images; each voter keeps a tracker"
"$B/sceau-platform" cast --record "$D/ceremony/record.json" \
	--definition "$D/ceremony/election.json" --private "$D/input/platform-private.json" \
	--out "$D/platform" --turnout 780 --rature 60 --blank 25 --nul 4

echo
echo "-- 6. Counting session: import of the sealed media (seals and every ballot's"
echo "      proof checked), then each scrutin shuffled verifiably: no card needed"
"$B/sceau" import --session "$D/session" --record "$D/ceremony/record.json" \
	--definition "$D/ceremony/election.json" --urn "$D/platform/urn.iso" \
	--emargement "$D/platform/emargement.iso"

echo
echo "-- 7. Counting: the président and the assesseure insert their cards; the"
echo "      shuffled lists are decrypted, each decryption with its proof"
printf '284017\n550913\n' > "$D/input/count-pins.txt"
"$B/sceau" count --session "$D/session" --slot "$D/slots/lecteur-1" \
	--slot "$D/slots/lecteur-2" --script "$D/input/count-pins.txt"

echo
echo "-- 8. The procès-verbaux: the three members sign the results with their cards"
printf '284017\n550913\n730268\n' > "$D/input/pv-pins.txt"
"$B/sceau" pv --session "$D/session" --slot "$D/slots/lecteur-1" \
	--slot "$D/slots/lecteur-2" --slot "$D/slots/lecteur-3" --script "$D/input/pv-pins.txt"

echo
echo "-- 9. Sealing: confirmed by the bureau, the final manifest signed by two cards"
printf 'oui\n284017\n550913\n' > "$D/input/seal-answers.txt"
"$B/sceau" seal --session "$D/session" --slot "$D/slots/lecteur-1" \
	--slot "$D/slots/lecteur-2" --script "$D/input/seal-answers.txt"

echo
echo "-- 10. An expert verifies the sealed archive, with no secret (sceau-verify)"
"$B/sceau-verify" "$D/session/archive.iso" --json "$D/verify-report.json"

echo
echo "-- 11. ... and a scan of the printed PV of scrutin 1 (its QR codes, read from the image)"
pages=$(pdfinfo "$D/session/archive/pv-1.pdf" | sed -n 's/^Pages: *//p')
pdftoppm -r 150 -png -f "$pages" -l "$pages" "$D/session/archive/pv-1.pdf" "$D/pv-1-scan"
scan=$(ls "$D"/pv-1-scan*.png | head -n 1)
"$B/sceau-verify" "$D/session/archive" --scan "$scan" --quiet

echo
echo "== Demo done. What the election left:"
echo "   public record   : $D/ceremony/record.json"
echo "   ceremony report : $D/ceremony/ceremony-report.txt"
echo "   sealed media    : $D/platform/urn.iso, $D/platform/emargement.iso"
echo "   results         : $D/session/results.json"
echo "   shuffles        : $(ls "$D"/session/shuffle-*.bin | tr '\n' ' ')(each shuffled list with its proof)"
echo "   decrypted       : $D/session/ballots-decrypted.bin (in shuffled order, each with"
echo "                     its decryption proof; no tracker)"
echo "   session journal : $D/session/session.db (SQLite)"
echo "   PVs (PDF)       : $(ls "$D"/session/pv/*.pdf | tr '\n' ' ')"
echo "   sealed archive  : $D/session/archive/ and $D/session/archive.iso"
echo "   expert report   : $D/verify-report.json; PV scan checked: $scan"
