#!/bin/bash
# The whole key ceremony in the full-screen console, with three simulated
# cards: the election read again before going on, the members' randomness
# (not echoed), each new PIN (shown as stars
# only), a wrong PIN at the check (tries left shown), the outcome screen;
# then the language switch, the help, a terminal resize, and quitting.
. tests/console/lib.sh
setup_dir
start_console
wait_for "Cérémonie faite : non"

menu 1
wait_for "Auto-tests cryptographiques réussis"
wait_for "Étape terminée"
wait_for "Entrée : revenir au menu"
keys Enter
wait_for "Menu principal"

menu 2
wait_for "Étape 3 sur 6 : contribution des membres au hasard"
# Before typing, the bureau reads the election and the platform key again.
wait_for "Yves Marchand, tapez une suite de caractères au hasard"
keys Left
wait_for "Étape 2 sur 6 : l'élection et le bureau"
wait_for "Clé de scellement de la plateforme de vote, empreinte"
keys Right
wait_for "Étape 3 sur 6 : contribution des membres au hasard"
for who in "Yves Marchand" "Aurélie Dupuis" "Thomas Nguyen"; do
	wait_for "$who, tapez une suite de caractères au hasard"
	typ "hasard-secret-$RANDOM"
	wait_for "> *"
	not_on_screen "hasard-secret"
	keys Enter
done
for i in 0 1 2; do
	who=("Yves Marchand" "Aurélie Dupuis" "Thomas Nguyen")
	wait_for "${who[$i]}, choisissez votre code secret"
	typ "${PINS[$i]}"
	wait_for "> ******"
	not_on_screen "${PINS[$i]}"
	keys Enter
	wait_for "Tapez ce code une seconde fois"
	answer "${PINS[$i]}"
done
wait_for "Étape 6 sur 6 : vérification des cartes" 30
wait_for "Yves Marchand, tapez votre code secret"
answer 999999
wait_for "Code incorrect. Il reste 2 essai(s) avant que la carte se bloque."
answer "${PINS[0]}"
wait_for "Aurélie Dupuis, tapez votre code secret"
answer "${PINS[1]}"
wait_for "Thomas Nguyen, tapez votre code secret"
answer "${PINS[2]}"
wait_for "Étape terminée" 40
wait_for "L'étape s'est achevée normalement"
wait_for "Cérémonie terminée. Tous les secrets ont été effacés"
keys Enter
wait_for "Cérémonie faite : oui"
[ -s "$D/ceremony/record.json" ] || fail "no public record"

# English from the menu, and back; the help; a resize redraws.
menu 0
wait_for "Main menu"
wait_for "Ceremony held: yes"
menu 0
wait_for "Menu principal"
menu 9
wait_for "Échap ne perd jamais rien"
keys Escape
wait_for "Menu principal"
"${T[@]}" resize-window -t c -x 80 -y 24
# Redrawn for 24 rows: the header on the first, the keys on the last (the
# terminal alone would have cut one of them).
end=$((SECONDS + 10))
until "${T[@]}" capture-pane -p -t c | sed -n 24p | grep -qF "Entrée : ouvrir" &&
	"${T[@]}" capture-pane -p -t c | sed -n 1p | grep -qF "SCEAU — Menu principal"; do
	[ "$SECONDS" -lt "$end" ] || fail "not redrawn after the resize"
	sleep 0.1
done
wait_for "Vérifications de démarrage"
"${T[@]}" resize-window -t c -x 100 -y 32
quit_console
echo "ceremony held in the console; wrong PIN, language, help, resize checked"
