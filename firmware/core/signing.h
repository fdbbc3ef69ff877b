/*
 * Signatures of the bureau's cards (docs/FORMATS.md "Card signatures"):
 * each member present signs a 32-byte digest with the PV-signing key made
 * on their card at the key ceremony (VERIFY PW1 81, PSO:CDS). Every
 * signature is checked against the card's key in the record before it is
 * kept, so a wrong card or a faulty one is named at once.
 */
#ifndef SCEAU_CORE_SIGNING_H
#define SCEAU_CORE_SIGNING_H

#include <stddef.h>
#include <stdint.h>

#include "card/card.h"
#include "core/record.h"

#define SIGNING_FORMAT "sceau-signatures/1"
#define SIGNING_FILE_MAX (64u << 10)

struct ui;

struct signing_set {
	char subject[16];        /* "results" or "manifest" */
	uint8_t file_sha256[32];
	uint8_t digest[32];
	unsigned n;
	struct {
		unsigned card;       /* share index in the record */
		uint8_t sig[64];
	} sigs[SHAMIR_MAX];
};

/* The digest a card signs: hash_tagged("sceau/sign/<subject>/v1", file). */
int signing_digest(const char *subject, const uint8_t *file, size_t len,
		   uint8_t digest[32]);

/* Asks each card in slots to sign set->digest (PIN each); cards that fail
 * are named and skipped. ERR_CARD_ABSENT if no card signed. */
int signing_collect(const struct card_ops *ops, const char *const *slots,
		    unsigned n_slots, const struct record *rec, struct ui *u,
		    struct signing_set *set);

int signing_write(const struct signing_set *set, char **json, size_t *len);
int signing_parse(const uint8_t *buf, size_t len, struct signing_set *set);
/* Every signature verifies with its card's key; cards distinct, ascending. */
int signing_check(const struct signing_set *set, const struct record *rec);

#endif
