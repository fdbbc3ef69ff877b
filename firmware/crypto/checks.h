/*
 * The v2 checks a verifier makes, behind one table per implementation:
 * mbedTLS (crypto/ballot.c, dleq.c, shuffle_verify.c: the box's own code)
 * and, when built with CRYPTO_OPENSSL, OpenSSL's libcrypto (crypto/ossl.h:
 * a second implementation, written apart, about ten times faster per
 * check on x86_64). Each entry has the signature and the answers of the
 * mbedTLS function it is named after, so a caller picks a table once and
 * calls through it; tests/crypto runs each test against every table this
 * build has. A table rather than a switch inside ballot2_check and the
 * others: the box calls those directly and can never be sent elsewhere,
 * tests and the fuzz target hold both tables at once, and nothing depends
 * on a setting hidden in global state.
 */
#ifndef SCEAU_CRYPTO_CHECKS_H
#define SCEAU_CRYPTO_CHECKS_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/dleq.h"
#include "crypto/group.h"
#include "crypto/shuffle.h"

enum crypto_backend { CRYPTO_MBEDTLS, CRYPTO_OPENSSL, CRYPTO_BACKENDS };

struct crypto_checks {
	const char *name; /* "mbedtls", "openssl": what --crypto takes */
	/* ballot2_check: the proof of knowledge of a 196-byte record */
	int (*ballot_check)(const uint8_t election_id[32], const uint8_t *record, size_t len);
	/* dleq2_verify: the proof of a decryption */
	int (*dleq_verify)(const struct dleq2_statement *st, const uint8_t proof[DLEQ_PROOF_LEN]);
	/* ballot2_open_point: M = B - S decoded to the plaintext */
	int (*open_point)(const uint8_t S[GROUP_POINT_LEN], const uint8_t B[GROUP_POINT_LEN],
			  size_t pt_len, uint8_t *pt);
	/* shuffle_verify: the proof of a shuffle, in full */
	int (*shuffle_verify)(const struct shuffle_statement *st, const struct shuffle_io *io,
			      unsigned jobs);
	/* shuffle_generator: h (0) and h_i, RFC 9380 hash_to_curve */
	int (*generator)(const uint8_t election_id[32], uint16_t scrutin_id, uint32_t index,
			 uint8_t out[GROUP_POINT_LEN]);
};

/* The table of backend b, or NULL if this build does not have it. */
const struct crypto_checks *crypto_checks(enum crypto_backend b);
/* By name ("mbedtls", "openssl"); NULL if unknown or not built. */
const struct crypto_checks *crypto_checks_by_name(const char *name);
/* What a verifier uses unless told otherwise (Kconfig CRYPTO_CHECKS_DEFAULT_*). */
const struct crypto_checks *crypto_checks_default(void);

#endif
