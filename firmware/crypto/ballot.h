/*
 * Ballots.
 *
 * v2 (docs/CRYPTO-V2-NOTES.md, section 2; the ballot2_* names below): P-256
 * ElGamal of the plaintext encoded as a point M (crypto/ptenc.h), with a
 * Schnorr proof of knowledge of r bound to the election and the scrutin:
 *   A = rG, B = M + rPK, T = kG   (r, k uniform in [1, n-1])
 *   c = Hn("sceau/ballot-pok/v2"; election_id, u16be(scrutin_id), A, B, T)
 *   z = k + cr mod n
 *   record (196 bytes) = u16be(scrutin_id) || A || B || c || z
 *   tracker = H("sceau/tracker/v2"; record)
 * H is hash_tagged (crypto/hash.h), Hn its digest read big-endian mod n.
 * The check recomputes T' = zG - cA and c. Decryption: S = sA, M = B - S.
 *
 * v1 (docs/FORMATS.md "Ballot encryption (v1)"; ballot_seal/ballot_open*):
 * ECIES, kept only until session/, verify/ and tools/ are ported to v2.
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
#include "crypto/ptenc.h"

/* ---- v2 ------------------------------------------------------------------ */

#define BALLOT2_RECORD_LEN 196
#define BALLOT2_TRACKER_LEN 32
/* Offsets in the record. */
#define BALLOT2_OFF_A 2
#define BALLOT2_OFF_B (BALLOT2_OFF_A + GROUP_POINT_LEN)
#define BALLOT2_OFF_C (BALLOT2_OFF_B + GROUP_POINT_LEN)
#define BALLOT2_OFF_Z (BALLOT2_OFF_C + GROUP_SCALAR_LEN)
#define BALLOT2_POK_TAG "sceau/ballot-pok/v2"
#define BALLOT2_TRACKER_TAG "sceau/tracker/v2"

struct rng;

/*
 * Encrypts pt (pt_len 1..PTENC_PT_MAX bytes, the scrutin's plaintext) for
 * the election key pk into a 196-byte record, r and k drawn from rng (voter
 * side: tools, tests). ERR_FORMAT if pk is not a valid point, ERR_RANGE for
 * a bad pt_len. Not constant time in the plaintext (crypto/ptenc.h).
 */
int ballot2_encrypt(struct rng *rng, const uint8_t pk[GROUP_POINT_LEN],
		    const uint8_t election_id[32], uint16_t scrutin_id,
		    const uint8_t *pt, size_t pt_len, uint8_t record[BALLOT2_RECORD_LEN]);

/*
 * The same with given r and k (each in [1, n-1], else ERR_RANGE): known
 * answers, and the cast-or-audit check, which rebuilds A and B (record
 * bytes BALLOT2_OFF_A .. BALLOT2_OFF_C - 1) from the revealed r and
 * plaintext, whatever k. A result at infinity (B, probability 2^-256) is
 * ERR_VERIFY.
 */
int ballot2_encrypt_fixed(const uint8_t r[GROUP_SCALAR_LEN], const uint8_t k[GROUP_SCALAR_LEN],
			  const uint8_t pk[GROUP_POINT_LEN], const uint8_t election_id[32],
			  uint16_t scrutin_id, const uint8_t *pt, size_t pt_len,
			  uint8_t record[BALLOT2_RECORD_LEN]);

/*
 * The check of a received record (box at import, verifier): 0 if the proof
 * of knowledge holds, ERR_VERIFY if it fails (the ballot is set aside, nul
 * "proof-failed"), ERR_FORMAT if the record is malformed (len is not 196, A
 * or B not a valid point, c or z not below n: the whole urn is refused).
 * Whether the scrutin exists is the caller's check (ballot2_scrutin).
 */
int ballot2_check(const uint8_t election_id[32], const uint8_t *record, size_t len);

/* The scrutin a record is for (its first two bytes, big-endian). */
uint16_t ballot2_scrutin(const uint8_t record[BALLOT2_RECORD_LEN]);

/* tracker = H("sceau/tracker/v2"; record), the voter's receipt. */
int ballot2_tracker(const uint8_t record[BALLOT2_RECORD_LEN],
		    uint8_t tracker[BALLOT2_TRACKER_LEN]);

/*
 * Decryption of a ciphertext (A, B) of the shuffled list with the election
 * key: S = sA (written to S, to be proven by dleq2_prove even when M is
 * unreadable), M = B - S, pt = ptenc_decode(M, pt_len). Returns 0 with the
 * plaintext, ERR_VERIFY if M carries none (M at infinity, leading byte or
 * padding not zero: nul "unreadable"; pt zeroed), ERR_FORMAT for an invalid
 * A or B, ERR_RANGE for a key out of range or a bad pt_len.
 */
int ballot2_open(const uint8_t secret[GROUP_SCALAR_LEN], const uint8_t A[GROUP_POINT_LEN],
		 const uint8_t B[GROUP_POINT_LEN], size_t pt_len,
		 uint8_t S[GROUP_POINT_LEN], uint8_t *pt);

/* The same from a proven S alone (the verifier, an expert): M = B - S. */
int ballot2_open_point(const uint8_t S[GROUP_POINT_LEN], const uint8_t B[GROUP_POINT_LEN],
		       size_t pt_len, uint8_t *pt);

/* ---- v1 (removed once session/, verify/ and tools/ use v2) --------------- */

#define BALLOT_TAG_LEN 16
#define BALLOT_DOMAIN "sceau/ballot/v1"
#define BALLOT_PT_MAX 256 /* largest plaintext of any scrutin */

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
