/*
 * Signatures of the bureau's cards (docs/FORMATS.md "Card signatures"):
 * each member present signs a 32-byte digest with the PV-signing key made
 * on their card at the key ceremony (VERIFY PW1 81, PSO:CDS). Every
 * signature is checked against the card's key in the record before it is
 * kept, so a wrong card or a faulty one is named at once.
 */
#ifndef SCEAU_SESSION_SIGN_H
#define SCEAU_SESSION_SIGN_H

#include <stddef.h>
#include <stdint.h>

#include "card/card.h"
#include "format/record.h"
#include "format/signatures.h"

struct ui;

/* Asks each card in slots to sign set->digest (PIN each); cards that fail
 * are named and skipped. Fewer than the record's threshold t signed: no
 * signature is kept (set->n is 0), the bureau is told how many more cards
 * must sign, and the result is the last card's refusal, or ERR_CARD_ABSENT
 * if none was refused; a failure has always been said to the bureau. */
int signing_collect(const struct card_ops *ops, const char *const *slots,
		    unsigned n_slots, const struct record *rec, struct ui *u,
		    struct signing_set *set);

#endif
