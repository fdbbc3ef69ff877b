#!/bin/bash
# Abandoning steps in the console: Escape while the box waits for a card
# (the dialog's default goes on), Escape during decryption with "Abandonner
# l'étape" chosen (the count stops as on a card pull, the work done is
# kept and the console goes on), and a count that then resumes to the end.
. tests/console/lib.sh
setup_ceremony
vote 300
"$B/sceau" import --session "$D/session" --record "$D/ceremony/record.json" \
	--definition "$D/ceremony/election.json" --urn "$D/media/urn.iso" \
	--emargement "$D/media/emargement.iso" > "$W/import.log"
"$B/sceau-simcard" pull "$D/slots/1" > /dev/null
start_console --jobs 1
wait_for "urne importée : oui — résultats enregistrés : non"

# No card in the first reader: the box waits; Escape, then the default.
menu 4
wait_for "clore le décompte"
answer oui
wait_for "Insérez une carte de l'élection dans le lecteur"
wait_for "Le boîtier attend"
keys Escape
wait_for "Abandonner cette étape ?"
keys Enter
wait_for "Insérez une carte de l'élection dans le lecteur"
"$B/sceau-simcard" insert "$D/slots/1" > /dev/null
wait_for "Yves Marchand, tapez votre code secret"
answer "${PINS[0]}"
wait_for "Aurélie Dupuis, tapez votre code secret"
answer "${PINS[1]}"

# Escape during decryption: read after the first batch; abandon it.
wait_for "bulletins (1 processeurs)" 30
keys Escape
wait_for "Abandonner cette étape ?" 30
wait_for "le dépouillement reprendra là où il s'est arrêté"
keys Right Enter
wait_for "L'étape n'a pas abouti" 30
wait_for "Déchiffrement interrompu"
wait_for "Ce qu'il faut faire : reprenez l'étape depuis le menu"
keys Enter
wait_for "urne importée : oui — résultats enregistrés : non"
done1=$(sqlite3 "$D/session/session.db" 'SELECT count(*) FROM decrypted')
total=$(sqlite3 "$D/session/session.db" 'SELECT coalesce(sum(n),0) FROM ballot_chunks')
[ "$done1" -gt 0 ] && [ "$done1" -lt "$total" ] || fail "abandoned after $done1 of $total"

# The console went on: the count resumes and ends.
count_to_results
keys Enter
wait_for "résultats enregistrés : oui"
quit_console
echo "waiting and decryption abandoned from the console ($done1 of $total kept), then resumed"
