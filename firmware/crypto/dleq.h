/*
 * Chaum-Pedersen proof that log_G PK = log_R S (the ballot R was decrypted
 * with the election key), published as (c, z), 64 bytes:
 *   k  = deterministic nonce: HMAC-SHA256(key = s,
 *        "sceau/dleq-nonce/v1" || bind(32) || counter(1)) taken as a
 *        big-endian integer, retried with counter+1 until 0 < k < n
 *        (RFC 6979 style rejection, so a recount is byte-identical)
 *   A1 = kG, A2 = kR
 *   c  = hash_tagged("sceau/dleq/v1", PK, R, S, A1, A2) mod n
 *   z  = k + c s mod n
 * Verification: A1 = zG - cPK, A2 = zR - cS, and c must match.
 * bind is the ballot tracker (format/urn.h: tagged SHA-256 of the record).
 */
#ifndef SCEAU_CRYPTO_DLEQ_H
#define SCEAU_CRYPTO_DLEQ_H

#include <stdint.h>

#include "crypto/group.h"

#define DLEQ_PROOF_LEN 64

int dleq_prove(const uint8_t secret[32], const uint8_t pk[GROUP_POINT_LEN],
	       const uint8_t R[GROUP_POINT_LEN], const uint8_t S[GROUP_POINT_LEN],
	       const uint8_t bind[32], uint8_t proof[DLEQ_PROOF_LEN]);

/* 0 if the proof holds, ERR_VERIFY if not, ERR_FORMAT for invalid points. */
int dleq_verify(const uint8_t pk[GROUP_POINT_LEN], const uint8_t R[GROUP_POINT_LEN],
		const uint8_t S[GROUP_POINT_LEN], const uint8_t proof[DLEQ_PROOF_LEN]);

#endif
