# Shared by the scripted tests (sourced): the PINs of the three simulated
# cards, and the answers of a key ceremony run with --script, in the order
# the ceremony asks: one randomness contribution per member, each member's
# new PIN twice, then each member's PIN again to check the card.
PINS=(284017 550913 730268)

# ceremony_answers FILE
ceremony_answers() {
	printf 'a\nb\nc\n%s\n%s\n%s\n%s\n%s\n%s\n%s\n%s\n%s\n' "${PINS[0]}" "${PINS[0]}" \
		"${PINS[1]}" "${PINS[1]}" "${PINS[2]}" "${PINS[2]}" "${PINS[0]}" "${PINS[1]}" \
		"${PINS[2]}" > "$1"
}
