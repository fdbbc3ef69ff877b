/*
 * ECIES of the ballots (ballot.h; docs/FORMATS.md "Ballot encryption
 * (v1)"). The byte layout matches what the voting platform builds with
 * WebCrypto (ECDH deriveBits 256, HKDF, AES-GCM), so any change here breaks
 * every voter.
 */
#include <string.h>

#include "lib/err.h"
#include "crypto/aead.h"
#include "crypto/ballot.h"
#include "crypto/group.h"
#include "crypto/hash.h"
#include "crypto/secmem.h"

#define BALLOT_DOMAIN_LEN (sizeof(BALLOT_DOMAIN) - 1) /* 15, no NUL */
#define BALLOT_OKM_LEN (AEAD_KEY_LEN + AEAD_NONCE_LEN)

/* key(32) || nonce(12) = HKDF(ikm = z, salt = election_id,
 *                             info = domain || scrutin_id(BE) || R) */
static int ballot_kdf(const uint8_t z[32], const uint8_t election_id[32],
		      uint16_t scrutin_id, const uint8_t R[GROUP_POINT_LEN],
		      uint8_t okm[BALLOT_OKM_LEN])
{
	uint8_t info[BALLOT_DOMAIN_LEN + 2 + GROUP_POINT_LEN];

	memcpy(info, BALLOT_DOMAIN, BALLOT_DOMAIN_LEN);
	info[BALLOT_DOMAIN_LEN] = (uint8_t)(scrutin_id >> 8);
	info[BALLOT_DOMAIN_LEN + 1] = (uint8_t)scrutin_id;
	memcpy(info + BALLOT_DOMAIN_LEN + 2, R, GROUP_POINT_LEN);
	return hkdf_sha256(election_id, 32, z, 32, info, sizeof(info), okm,
			   BALLOT_OKM_LEN);
}

/* aad = domain || election_id || scrutin_id(BE) */
static void ballot_aad(uint8_t aad[BALLOT_DOMAIN_LEN + 32 + 2],
		       const uint8_t election_id[32], uint16_t scrutin_id)
{
	memcpy(aad, BALLOT_DOMAIN, BALLOT_DOMAIN_LEN);
	memcpy(aad + BALLOT_DOMAIN_LEN, election_id, 32);
	aad[BALLOT_DOMAIN_LEN + 32] = (uint8_t)(scrutin_id >> 8);
	aad[BALLOT_DOMAIN_LEN + 33] = (uint8_t)scrutin_id;
}

static int ballot_check_ctlen(size_t ctlen)
{
	if (ctlen < BALLOT_TAG_LEN || ctlen - BALLOT_TAG_LEN > BALLOT_PT_MAX) {
		err_detail("ballot ciphertext of %zu bytes", ctlen);
		return ERR_FORMAT;
	}
	return 0;
}

int ballot_seal(struct rng *r, const uint8_t pk[GROUP_POINT_LEN],
		const uint8_t election_id[32], uint16_t scrutin_id,
		const uint8_t *pt, size_t ptlen,
		uint8_t R[GROUP_POINT_LEN], uint8_t *ct)
{
	uint8_t eph[32], P[GROUP_POINT_LEN], okm[BALLOT_OKM_LEN];
	uint8_t aad[BALLOT_DOMAIN_LEN + 32 + 2];
	int ret;

	if (ptlen > BALLOT_PT_MAX) {
		err_detail("ballot plaintext of %zu bytes", ptlen);
		return ERR_RANGE;
	}
	if ((ret = scalar_random(r, eph)) != 0 ||
	    (ret = group_mul(P, eph, pk)) != 0 ||
	    (ret = group_mul_base(R, eph)) != 0 ||
	    (ret = ballot_kdf(P + 1, election_id, scrutin_id, R, okm)) != 0)
		goto out;
	ballot_aad(aad, election_id, scrutin_id);
	ret = aead_seal(okm, okm + AEAD_KEY_LEN, aad, sizeof(aad), pt, ptlen, ct);
out:
	WIPE_BUFFER(eph);
	WIPE_BUFFER(P);
	WIPE_BUFFER(okm);
	return ret;
}

/* Opens with z = x(S), R and S already validated. */
static int ballot_open_x(const uint8_t z[32], const uint8_t election_id[32],
			 uint16_t scrutin_id, const uint8_t R[GROUP_POINT_LEN],
			 const uint8_t *ct, size_t ctlen, uint8_t *pt)
{
	uint8_t okm[BALLOT_OKM_LEN], aad[BALLOT_DOMAIN_LEN + 32 + 2];
	int ret;

	ret = ballot_kdf(z, election_id, scrutin_id, R, okm);
	if (ret == 0) {
		ballot_aad(aad, election_id, scrutin_id);
		ret = aead_open(okm, okm + AEAD_KEY_LEN, aad, sizeof(aad), ct, ctlen, pt);
	}
	WIPE_BUFFER(okm);
	return ret;
}

int ballot_open_point(const uint8_t S[GROUP_POINT_LEN],
		      const uint8_t election_id[32], uint16_t scrutin_id,
		      const uint8_t R[GROUP_POINT_LEN], const uint8_t *ct,
		      size_t ctlen, uint8_t *pt)
{
	int ret;

	if ((ret = ballot_check_ctlen(ctlen)) != 0 ||
	    (ret = group_point_check(R)) != 0 || (ret = group_point_check(S)) != 0)
		return ret;
	return ballot_open_x(S + 1, election_id, scrutin_id, R, ct, ctlen, pt);
}

int ballot_open(const uint8_t secret[32], const uint8_t election_id[32],
		uint16_t scrutin_id, const uint8_t R[GROUP_POINT_LEN],
		const uint8_t *ct, size_t ctlen, uint8_t *pt,
		uint8_t S_out[GROUP_POINT_LEN])
{
	uint8_t S[GROUP_POINT_LEN];
	int ret;

	if ((ret = ballot_check_ctlen(ctlen)) != 0)
		return ret;
	/* group_mul validates R (ERR_FORMAT) and the secret (ERR_RANGE). */
	if ((ret = group_mul(S, secret, R)) != 0)
		goto out;
	if (S_out != NULL)
		memcpy(S_out, S, GROUP_POINT_LEN); /* the caller proves S even if the tag fails */
	ret = ballot_open_x(S + 1, election_id, scrutin_id, R, ct, ctlen, pt);
out:
	WIPE_BUFFER(S);
	return ret;
}
