/*
 * The card signatures file, "sceau-signatures/1" (docs/FORMATS.md "Card
 * signatures"): for one subject (the results or the final manifest), the
 * SHA-256 of the file signed, the digest the cards signed and, per card,
 * its ECDSA P-256 signature. Written and read here only.
 */
#ifndef SCEAU_FORMAT_SIGNATURES_H
#define SCEAU_FORMAT_SIGNATURES_H

#include <stddef.h>
#include <stdint.h>

#include "format/record.h"

#define SIGNING_FORMAT "sceau-signatures/1"
#define SIGNING_FILE_MAX (64u << 10)


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

int signing_write(const struct signing_set *set, char **json, size_t *len);
int signing_parse(const uint8_t *buf, size_t len, struct signing_set *set);
/* Every signature verifies with its card's key and is in its low-s form
 * (crypto/sig.h); cards distinct, ascending. */
int signing_check(const struct signing_set *set, const struct record *rec);

#endif
