/*
 * Reading a member's share back from a card, as the count (and the card
 * check) do: the card must be one of the record's cards (AID and signing
 * key), the member's PIN opens private DO 0103, and the share must be of
 * this election, carry the card's index and pass the Feldman commitment
 * check. The share lands in the caller's locked buffer.
 */
#ifndef SCEAU_SESSION_SHARE_READ_H
#define SCEAU_SESSION_SHARE_READ_H

#include <stdint.h>

#include "card/card.h"
#include "format/record.h"

struct ui;

/* On success *index is the card's share index (1..m) and share holds s_i. */
int share_read(struct card *card, const struct record *rec, struct ui *u,
	       unsigned *index, uint8_t share[32]);

/* sceau card-check: waits for the card in slot, reads and checks its share,
 * wipes it, and tells the bureau the outcome. */
int share_check_card(const struct card_ops *ops, const char *slot,
		     const char *record_path, struct ui *u);

#endif
