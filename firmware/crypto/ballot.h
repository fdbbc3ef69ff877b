/*
 * Ballot encryption (ECIES on P-256; docs/FORMATS.md "Ballot encryption
 * (v1)"):
 *   R = rG, z = x(r PK)
 *   key(32) || nonce(12) = HKDF-SHA256(ikm = z, salt = election_id,
 *                          info = "sceau/ballot/v1" || scrutin_id(2, BE) || R)
 *   ct = AES-256-GCM(key, nonce, aad = "sceau/ballot/v1" || election_id ||
 *                    scrutin_id(2, BE), plaintext) || tag(16)
 * The box opens with S = sR; an expert opens with the proven S alone.
 */
#ifndef SCEAU_CRYPTO_BALLOT_H
#define SCEAU_CRYPTO_BALLOT_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/group.h"

#define BALLOT_TAG_LEN 16
#define BALLOT_DOMAIN "sceau/ballot/v1"
#define BALLOT_PT_MAX 256 /* largest plaintext of any scrutin */

struct rng;

/* Encrypts (voter side; tools and tests). ct receives ptlen + 16 bytes;
 * ptlen > BALLOT_PT_MAX is ERR_RANGE. */
int ballot_seal(struct rng *r, const uint8_t pk[GROUP_POINT_LEN],
		const uint8_t election_id[32], uint16_t scrutin_id,
		const uint8_t *pt, size_t ptlen,
		uint8_t R[GROUP_POINT_LEN], uint8_t *ct);

/*
 * Opens with the shared point S (= sR). pt receives ctlen - 16 bytes.
 * Returns ERR_VERIFY if the tag does not verify (pt is then wiped),
 * ERR_FORMAT if ctlen < 16, ctlen > BALLOT_PT_MAX + 16, or R/S are not
 * valid points.
 */
int ballot_open_point(const uint8_t S[GROUP_POINT_LEN],
		      const uint8_t election_id[32], uint16_t scrutin_id,
		      const uint8_t R[GROUP_POINT_LEN], const uint8_t *ct,
		      size_t ctlen, uint8_t *pt);

/* Opens with the secret key: computes S = sR (returned in S_out if not NULL,
 * also when the tag then fails, so that a nul ballot can be proven too). */
int ballot_open(const uint8_t secret[32], const uint8_t election_id[32],
		uint16_t scrutin_id, const uint8_t R[GROUP_POINT_LEN],
		const uint8_t *ct, size_t ctlen, uint8_t *pt,
		uint8_t S_out[GROUP_POINT_LEN]);

#endif
