#!/bin/bash
# A whole counting session in the full-screen console: import, a count
# declined at its confirmation, Escape in the middle of the count (the step
# goes on, nothing lost), a wrong PIN (tries left shown), a card pulled
# during decryption then put back and the console reopened (the count
# resumes where it stopped), the results screen per scrutin, the PVs signed
# by the three cards, and the seal, which stray keys do not confirm and
# "oui" does.
. tests/console/lib.sh
setup_ceremony
vote 400
start_console --jobs 1
wait_for "Cérémonie faite : oui — urne importée : non"

# Import, with keys typed while the engine is busy: none of them answers
# the next prompt (the review stays up; the menu does not come back).
# All in one write: the Enters and the x wait in the terminal while the
# import runs (before the fix, they left the review and imported again).
# shellcheck disable=SC2046
keys 3 Enter $(printf 'Enter %.0s' $(seq 30)) x Enter Enter
wait_for "Import terminé" 30
wait_for "Étape terminée"
sleep 0.5
wait_for "Étape terminée"
not_on_screen "Menu principal"
keys Enter
wait_for "urne importée : oui"

# The count's confirmation: Enter, Space and a stray letter do not confirm;
# Escape gives up and nothing is done.
menu 4
wait_for "clore le décompte"
keys Enter
wait_for "Réponse non reconnue"
keys Space Enter
typ "x"; keys Enter
wait_for "Réponse non reconnue"
not_on_screen "Dépouillement : les cartes du bureau"
keys Escape
wait_for "Rien n'a été fait"
keys Enter
wait_for "résultats enregistrés : non"

# The count, with Escape at the first PIN: the step goes on.
menu 4
wait_for "clore le décompte"
answer oui
wait_for "Yves Marchand, tapez votre code secret"
keys Escape
wait_for "Abandonner cette étape ?"
wait_for "les bulletins importés et ceux déjà déchiffrés sont conservés"
keys Enter
wait_for "Yves Marchand, tapez votre code secret"
not_on_screen "Abandonner cette étape"
# An empty PIN is asked again, and costs the card no try.
keys Enter
wait_for "Code vide ou de longueur impossible"
wait_for "Yves Marchand, tapez votre code secret"
not_on_screen "L'étape n'a pas abouti"
answer 12345
wait_for "Yves Marchand, tapez votre code secret"
answer 000000
wait_for "Code incorrect. Il reste 2 essai(s)"
answer "${PINS[0]}"
wait_for "Aurélie Dupuis, tapez votre code secret"
answer "${PINS[1]}"

# A card pulled during decryption (as soon as it starts, so within the first
# batch of 1024 ballots): the count stops and says what to do.
wait_for "bulletins (1 processeurs)" 30
"$B/sceau-simcard" pull "$D/slots/2" > /dev/null
wait_for "L'étape n'a pas abouti" 30
wait_for "Déchiffrement interrompu"
wait_for "/ 1600 bulletins déchiffrés et prouvés — "
wait_for " par seconde — environ "
wait_for "Ce qu'il faut faire : réinsérez les cartes"
keys Enter
wait_for "Menu principal"
done1=$(sqlite3 "$D/session/session.db" 'SELECT count(*) FROM decrypted')
total=$(sqlite3 "$D/session/session.db" 'SELECT coalesce(sum(n),0) FROM ballot_chunks')
[ "$done1" -lt "$total" ] || fail "the pull came after the end ($done1 of $total)"

# The console closed and opened again (all cores now): nothing was lost;
# with the card back, the count resumes and shows the results of each scrutin.
quit_console
"${T[@]}" kill-session -t c
"$B/sceau-simcard" insert "$D/slots/2" > /dev/null
start_console
wait_for "urne importée : oui — résultats enregistrés : non"
count_to_results
wait_for "Inscrits 5000"
wait_for "Page "
keys Right
wait_for "Résultats du scrutin 2"
keys Enter
wait_for "résultats enregistrés : oui"
[ "$(sqlite3 "$D/session/session.db" 'SELECT count(*) FROM decrypted')" = "$total" ] ||
	fail "not every ballot decrypted once"

# The PVs, signed by the three members.
menu 5
for i in 0 1 2; do
	who=("Yves Marchand" "Aurélie Dupuis" "Thomas Nguyen")
	wait_for "${who[$i]}, tapez votre code secret pour signer" 30
	answer "${PINS[$i]}"
done
wait_for "Étape terminée" 60
ls "$D"/session/pv/*.pdf > /dev/null || fail "no PV"
# The review drops the keys typed before it (con_flush): Enter once it shows.
wait_for "Entrée : revenir au menu"
keys Enter

# The seal: stray keys never confirm; "oui" does.
menu 6
wait_for "Le scellement est définitif"
keys Enter
wait_for "Réponse non reconnue"
keys Space Enter
typ "o"; keys Enter
typ "yes"; keys Enter
wait_for "Le scellement est définitif"
[ ! -e "$D/session/archive.iso" ] || fail "sealed without an explicit oui"
not_on_screen "Session scellée"
answer oui
wait_for "Signature du manifeste final par les cartes présentes" 60
wait_for "Yves Marchand, tapez votre code secret pour signer"
answer "${PINS[0]}"
wait_for "Aurélie Dupuis, tapez votre code secret pour signer"
answer "${PINS[1]}"
wait_for "Thomas Nguyen, tapez votre code secret pour signer"
answer "${PINS[2]}"
wait_for "Étape terminée" 60
keys Left
wait_for "Session scellée : toute modification est désormais refusée"
keys Enter
wait_for "session scellée : oui"
[ -s "$D/session/archive.iso" ] || fail "no archive image"
quit_console
echo "count held in the console: $done1 of $total before the pull, resumed, PVs, sealed"
