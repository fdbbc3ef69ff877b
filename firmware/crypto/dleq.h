/*
 * Chaum-Pedersen proofs of decryption: log_G PK = log_A S, published as
 * (c, z), 64 bytes.
 *
 * v2 (docs/CRYPTO-V2-NOTES.md, section 6; dleq2_*), for a ciphertext (A, B)
 * of a scrutin's shuffled list, S = sA:
 *   k  = HMAC-SHA256(key = s, "sceau/dleq-nonce/v2" || election_id ||
 *        u16be(scrutin_id) || A || B || u8(counter)) read big-endian, the
 *        first counter 0, 1, ... giving 0 < k < n (a re-run is byte-identical)
 *   K1 = kG, K2 = kA
 *   c  = Hn("sceau/dleq/v2"; election_id, u16be(scrutin_id), PK, A, B, S, K1, K2)
 *   z  = k + cs mod n
 * Check: K1' = zG - cPK, K2' = zA - cS, neither infinity, c recomputed.
 *
 * v1 (dleq_prove/dleq_verify; removed once session/ and verify/ use v2):
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

/* ---- v2 ------------------------------------------------------------------ */

#define DLEQ2_TAG "sceau/dleq/v2"
#define DLEQ2_NONCE_TAG "sceau/dleq-nonce/v2"

/* What a v2 decryption proof is about; every pointer to 65 or 32 bytes. */
struct dleq2_statement {
	const uint8_t *pk;          /* the election key PK = sG */
	const uint8_t *election_id; /* 32 bytes */
	uint16_t scrutin_id;
	const uint8_t *A, *B;       /* the ciphertext (A', B') of the shuffled list */
	const uint8_t *S;           /* S = sA */
};

/* proof = c || z. ERR_RANGE if s is not in [1, n-1], ERR_FORMAT if a point
 * is invalid. Does not check that S = sA or PK = sG (the proof then fails). */
int dleq2_prove(const uint8_t secret[GROUP_SCALAR_LEN], const struct dleq2_statement *st,
		uint8_t proof[DLEQ_PROOF_LEN]);

/* 0 if the proof holds, ERR_VERIFY if it fails, ERR_FORMAT if malformed (a
 * point invalid, c or z not below n). */
int dleq2_verify(const struct dleq2_statement *st, const uint8_t proof[DLEQ_PROOF_LEN]);

/* ---- v1 ------------------------------------------------------------------ */

int dleq_prove(const uint8_t secret[32], const uint8_t pk[GROUP_POINT_LEN],
	       const uint8_t R[GROUP_POINT_LEN], const uint8_t S[GROUP_POINT_LEN],
	       const uint8_t bind[32], uint8_t proof[DLEQ_PROOF_LEN]);

/* 0 if the proof holds, ERR_VERIFY if not, ERR_FORMAT for invalid points. */
int dleq_verify(const uint8_t pk[GROUP_POINT_LEN], const uint8_t R[GROUP_POINT_LEN],
		const uint8_t S[GROUP_POINT_LEN], const uint8_t proof[DLEQ_PROOF_LEN]);

#endif
