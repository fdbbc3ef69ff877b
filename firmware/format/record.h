/*
 * The public election record ("sceau-record/1", docs/FORMATS.md): what the
 * key ceremony publishes and what every later step trusts. It holds only
 * public values: the election key PK, the Feldman commitments, the share
 * public keys, each card's identity and PV-signing key, the platform's
 * sealing key, hashes of the members' entropy contributions, and the
 * ceremony's journal head. record_parse is strict and re-checks the
 * commitments (crypto/shamir.h) before anything can use the record.
 */
#ifndef SCEAU_FORMAT_RECORD_H
#define SCEAU_FORMAT_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "format/bureau.h"
#include "crypto/group.h"
#include "crypto/shamir.h"

#define RECORD_FILE_MAX (256u << 10)
#define RECORD_FORMAT "sceau-record/1"

struct record_card {
	unsigned index;                 /* share index, 1..m */
	struct member member;
	uint8_t aid[16];
	uint8_t sign_pub[GROUP_POINT_LEN]; /* the card's PV-signing key */
	uint8_t entropy_hash[32];       /* SHA-256 of what the member typed */
};

struct record {
	uint8_t election_id[32];
	char election_title[ELECTION_TEXT_MAX + 1];
	struct shamir_public pub;       /* t, m, PK, C_j, Y_i */
	struct record_card cards[SHAMIR_MAX];
	uint8_t platform_pub[GROUP_POINT_LEN];
	char created[32];               /* UTC */
	uint8_t journal_head[32];       /* ceremony journal head when written */
	uint8_t firmware_hash[32];
	char crypto_library[64];
	int hwrng_used;
	int simulation;                 /* built with CONFIG_SIMULATION_ALLOWED */
};

/* Serialises to canonical JSON (fixed key order, 2-space indent, final \n). */
int record_write(const struct record *r, char **json, size_t *len);
int record_parse(const uint8_t *buf, size_t len, struct record *out);
/* record_parse of the file at path; an error's detail starts with the path. */
int record_load(const char *path, struct record *out);

#endif
