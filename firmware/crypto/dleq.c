/*
 * Chaum-Pedersen proofs of decryption (dleq.h). The nonce is derived from
 * the key and the ballot, never drawn at random: a recount then publishes
 * byte-identical proofs, and a broken RNG cannot leak the election key.
 */
#include <string.h>

#include "lib/err.h"
#include "crypto/dleq.h"
#include "crypto/group.h"
#include "crypto/hash.h"
#include "crypto/secmem.h"

/* ---- v2 ------------------------------------------------------------------ */

#define DLEQ2_NONCE_TAG_LEN (sizeof(DLEQ2_NONCE_TAG) - 1)
/* tag || election_id || u16be(scrutin_id) || A || B || u8(counter) */
#define DLEQ2_NONCE_MSG_LEN (DLEQ2_NONCE_TAG_LEN + 32 + 2 + 2 * GROUP_POINT_LEN + 1)

/* k = HMAC(s, tag || election_id || sid || A || B || counter), the first
 * counter giving 0 < k < n. */
static int dleq2_nonce(const uint8_t secret[32], const struct dleq2_statement *st,
		       uint8_t k[32])
{
	uint8_t msg[DLEQ2_NONCE_MSG_LEN], *m = msg;
	unsigned ctr;
	int ret = ERR_CRYPTO;

	memcpy(m, DLEQ2_NONCE_TAG, DLEQ2_NONCE_TAG_LEN);
	m += DLEQ2_NONCE_TAG_LEN;
	memcpy(m, st->election_id, 32);
	m += 32;
	*m++ = (uint8_t)(st->scrutin_id >> 8);
	*m++ = (uint8_t)st->scrutin_id;
	memcpy(m, st->A, GROUP_POINT_LEN);
	memcpy(m + GROUP_POINT_LEN, st->B, GROUP_POINT_LEN);
	for (ctr = 0; ctr < 256; ctr++) {
		msg[sizeof(msg) - 1] = (uint8_t)ctr;
		ret = hmac_sha256(secret, 32, msg, sizeof(msg), k);
		if (ret != 0 || scalar_is_valid(k))
			break;
		ret = ERR_CRYPTO; /* about 2^-32 per try: 256 misses mean a bug */
	}
	if (ret != 0)
		secmem_wipe(k, 32);
	return ret;
}

/* c = Hn("sceau/dleq/v2"; election_id, u16be(sid), PK, A, B, S, K1, K2) */
static int dleq2_challenge(const struct dleq2_statement *st, const uint8_t K1[GROUP_POINT_LEN],
			   const uint8_t K2[GROUP_POINT_LEN], uint8_t c[32])
{
	const uint8_t sid[2] = { (uint8_t)(st->scrutin_id >> 8), (uint8_t)st->scrutin_id };
	const struct hash_part parts[] = {
		{ st->election_id, 32 }, { sid, 2 }, { st->pk, GROUP_POINT_LEN },
		{ st->A, GROUP_POINT_LEN }, { st->B, GROUP_POINT_LEN },
		{ st->S, GROUP_POINT_LEN }, { K1, GROUP_POINT_LEN }, { K2, GROUP_POINT_LEN },
	};
	uint8_t h[HASH_LEN];
	int ret = hash_tagged(DLEQ2_TAG, parts, sizeof(parts) / sizeof(parts[0]), h);

	if (ret == 0)
		ret = scalar_reduce(c, h, sizeof(h));
	return ret;
}

static int dleq2_points_check(const struct dleq2_statement *st)
{
	int ret;

	if ((ret = group_point_check(st->pk)) != 0 || (ret = group_point_check(st->A)) != 0 ||
	    (ret = group_point_check(st->B)) != 0 || (ret = group_point_check(st->S)) != 0)
		return ret;
	return 0;
}

int dleq2_prove(const uint8_t secret[GROUP_SCALAR_LEN], const struct dleq2_statement *st,
		uint8_t proof[DLEQ_PROOF_LEN])
{
	uint8_t k[32], t[32], K1[GROUP_POINT_LEN], K2[GROUP_POINT_LEN];
	int ret;

	if (!scalar_is_valid(secret)) {
		err_detail("dleq: secret out of range");
		return ERR_RANGE;
	}
	if ((ret = dleq2_points_check(st)) != 0 || (ret = dleq2_nonce(secret, st, k)) != 0 ||
	    (ret = group_mul_base(K1, k)) != 0 || (ret = group_mul(K2, k, st->A)) != 0 ||
	    (ret = dleq2_challenge(st, K1, K2, proof)) != 0 ||
	    (ret = scalar_mul(t, proof, secret)) != 0 ||
	    (ret = scalar_add(proof + 32, k, t)) != 0)
		secmem_wipe(proof, DLEQ_PROOF_LEN);
	WIPE_BUFFER(k);
	WIPE_BUFFER(t);
	return ret;
}

int dleq2_verify(const struct dleq2_statement *st, const uint8_t proof[DLEQ_PROOF_LEN])
{
	static const uint8_t zero[32];
	const uint8_t *c = proof, *z = proof + 32;
	uint8_t negc[32], K1[GROUP_POINT_LEN], K2[GROUP_POINT_LEN], c2[32];
	int ret;

	if ((ret = dleq2_points_check(st)) != 0)
		return ret;
	if ((!scalar_is_valid(c) && !scalar_is_zero(c)) ||
	    (!scalar_is_valid(z) && !scalar_is_zero(z))) {
		err_detail("dleq: c or z not below n");
		return ERR_FORMAT;
	}
	/* K1' = zG + (n - c)PK, K2' = zA + (n - c)S; infinity is ERR_VERIFY. */
	if ((ret = scalar_sub(negc, zero, c)) != 0 ||
	    (ret = group_muladd_base(K1, z, negc, st->pk)) != 0 ||
	    (ret = group_muladd(K2, z, st->A, negc, st->S)) != 0 ||
	    (ret = dleq2_challenge(st, K1, K2, c2)) != 0)
		return ret;
	if (memcmp(c, c2, 32) != 0) {
		err_detail("dleq: challenge does not match");
		return ERR_VERIFY;
	}
	return 0;
}

/* ---- v1 (removed once session/ and verify/ use v2) ---------------------- */

#define DLEQ_NONCE_TAG "sceau/dleq-nonce/v1"
#define DLEQ_TAG "sceau/dleq/v1"
#define DLEQ_NONCE_TAG_LEN (sizeof(DLEQ_NONCE_TAG) - 1)

/* The generator of P-256 (SEC 2, section 2.4.2), uncompressed. */
static const uint8_t dleq_G[GROUP_POINT_LEN] = {
	0x04, 0x6b, 0x17, 0xd1, 0xf2, 0xe1, 0x2c, 0x42, 0x47, 0xf8, 0xbc, 0xe6, 0xe5,
	0x63, 0xa4, 0x40, 0xf2, 0x77, 0x03, 0x7d, 0x81, 0x2d, 0xeb, 0x33, 0xa0, 0xf4,
	0xa1, 0x39, 0x45, 0xd8, 0x98, 0xc2, 0x96, 0x4f, 0xe3, 0x42, 0xe2, 0xfe, 0x1a,
	0x7f, 0x9b, 0x8e, 0xe7, 0xeb, 0x4a, 0x7c, 0x0f, 0x9e, 0x16, 0x2b, 0xce, 0x33,
	0x57, 0x6b, 0x31, 0x5e, 0xce, 0xcb, 0xb6, 0x40, 0x68, 0x37, 0xbf, 0x51, 0xf5,
};

/* k = HMAC(s, tag || bind || counter), the first counter giving 0 < k < n. */
static int dleq_nonce(const uint8_t secret[32], const uint8_t bind[32], uint8_t k[32])
{
	uint8_t msg[DLEQ_NONCE_TAG_LEN + 32 + 1];
	unsigned ctr;
	int ret = ERR_CRYPTO;

	memcpy(msg, DLEQ_NONCE_TAG, DLEQ_NONCE_TAG_LEN);
	memcpy(msg + DLEQ_NONCE_TAG_LEN, bind, 32);
	for (ctr = 0; ctr < 256; ctr++) {
		msg[sizeof(msg) - 1] = (uint8_t)ctr;
		ret = hmac_sha256(secret, 32, msg, sizeof(msg), k);
		if (ret != 0 || scalar_is_valid(k))
			break;
		ret = ERR_CRYPTO; /* about 2^-32 per try: 256 misses mean a bug */
	}
	if (ret != 0)
		secmem_wipe(k, 32);
	return ret;
}

/* c = hash_tagged(DLEQ_TAG, PK, R, S, A1, A2) mod n */
static int dleq_challenge(const uint8_t pk[GROUP_POINT_LEN], const uint8_t R[GROUP_POINT_LEN],
			  const uint8_t S[GROUP_POINT_LEN], const uint8_t A1[GROUP_POINT_LEN],
			  const uint8_t A2[GROUP_POINT_LEN], uint8_t c[32])
{
	const struct hash_part parts[] = {
		{ pk, GROUP_POINT_LEN }, { R, GROUP_POINT_LEN }, { S, GROUP_POINT_LEN },
		{ A1, GROUP_POINT_LEN }, { A2, GROUP_POINT_LEN },
	};
	uint8_t h[HASH_LEN];
	int ret = hash_tagged(DLEQ_TAG, parts, sizeof(parts) / sizeof(parts[0]), h);

	if (ret == 0)
		ret = scalar_reduce(c, h, sizeof(h));
	return ret;
}

int dleq_prove(const uint8_t secret[32], const uint8_t pk[GROUP_POINT_LEN],
	       const uint8_t R[GROUP_POINT_LEN], const uint8_t S[GROUP_POINT_LEN],
	       const uint8_t bind[32], uint8_t proof[DLEQ_PROOF_LEN])
{
	uint8_t k[32], t[32], A1[GROUP_POINT_LEN], A2[GROUP_POINT_LEN];
	int ret;

	if (!scalar_is_valid(secret)) {
		err_detail("dleq: secret out of range");
		return ERR_RANGE;
	}
	if ((ret = group_point_check(pk)) != 0 || (ret = group_point_check(S)) != 0 ||
	    (ret = dleq_nonce(secret, bind, k)) != 0 ||
	    (ret = group_mul_base(A1, k)) != 0 ||
	    (ret = group_mul(A2, k, R)) != 0 ||
	    (ret = dleq_challenge(pk, R, S, A1, A2, proof)) != 0 ||
	    (ret = scalar_mul(t, proof, secret)) != 0 ||
	    (ret = scalar_add(proof + 32, k, t)) != 0)
		secmem_wipe(proof, DLEQ_PROOF_LEN);
	WIPE_BUFFER(k);
	WIPE_BUFFER(t);
	return ret;
}

int dleq_verify(const uint8_t pk[GROUP_POINT_LEN], const uint8_t R[GROUP_POINT_LEN],
		const uint8_t S[GROUP_POINT_LEN], const uint8_t proof[DLEQ_PROOF_LEN])
{
	static const uint8_t zero[32];
	const uint8_t *c = proof, *z = proof + 32;
	uint8_t negc[32], A1[GROUP_POINT_LEN], A2[GROUP_POINT_LEN], c2[32];
	int ret;

	if ((ret = group_point_check(pk)) != 0 || (ret = group_point_check(R)) != 0 ||
	    (ret = group_point_check(S)) != 0)
		return ret;
	/* Only the canonical encoding c, z < n is accepted (c = 0 and z = 0 are). */
	if ((!scalar_is_valid(c) && !scalar_is_zero(c)) ||
	    (!scalar_is_valid(z) && !scalar_is_zero(z))) {
		err_detail("dleq: c or z not below n");
		return ERR_VERIFY;
	}
	/* A1 = zG + (n - c)PK, A2 = zR + (n - c)S; c = 0 gives n - c = 0, not n. */
	if ((ret = scalar_sub(negc, zero, c)) != 0 ||
	    (ret = group_muladd(A1, z, dleq_G, negc, pk)) != 0 ||
	    (ret = group_muladd(A2, z, R, negc, S)) != 0 ||
	    (ret = dleq_challenge(pk, R, S, A1, A2, c2)) != 0)
		return ret; /* ERR_VERIFY when A1 or A2 is the point at infinity */
	if (secmem_ct_compare(c, c2, 32) != 0) {
		err_detail("dleq: challenge does not match");
		return ERR_VERIFY;
	}
	return 0;
}
