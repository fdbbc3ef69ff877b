/*
 * Ballots (ballot.h): v2, the ElGamal ballot with its proof of knowledge;
 * then v1, the ECIES the platform still builds with WebCrypto until
 * tools/web moves to v2 (any change to v1 breaks every voter of v1).
 */
#include <string.h>

#include "lib/err.h"
#include "crypto/aead.h"
#include "crypto/ballot.h"
#include "crypto/group.h"
#include "crypto/hash.h"
#include "crypto/ptenc.h"
#include "crypto/rng.h"
#include "crypto/secmem.h"

/* ---- v2 ------------------------------------------------------------------ */

static void ballot2_u16be(uint8_t out[2], uint16_t v)
{
	out[0] = (uint8_t)(v >> 8);
	out[1] = (uint8_t)v;
}

/* c = Hn("sceau/ballot-pok/v2"; election_id, u16be(scrutin_id), A, B, T) */
static int ballot2_challenge(const uint8_t election_id[32], uint16_t scrutin_id,
			     const uint8_t A[GROUP_POINT_LEN], const uint8_t B[GROUP_POINT_LEN],
			     const uint8_t T[GROUP_POINT_LEN], uint8_t c[GROUP_SCALAR_LEN])
{
	uint8_t sid[2], h[HASH_LEN];
	const struct hash_part parts[] = {
		{ election_id, 32 }, { sid, 2 }, { A, GROUP_POINT_LEN },
		{ B, GROUP_POINT_LEN }, { T, GROUP_POINT_LEN },
	};
	int ret;

	ballot2_u16be(sid, scrutin_id);
	ret = hash_tagged(BALLOT2_POK_TAG, parts, sizeof(parts) / sizeof(parts[0]), h);
	if (ret == 0)
		ret = scalar_reduce(c, h, sizeof(h));
	return ret;
}

/* A = rG, B = M + rPK into the record; rPK (the key to M) is wiped. */
static int ballot2_elgamal(const uint8_t r[GROUP_SCALAR_LEN], const uint8_t pk[GROUP_POINT_LEN],
			   const uint8_t M[GROUP_POINT_LEN], uint8_t record[BALLOT2_RECORD_LEN])
{
	uint8_t rpk[GROUP_POINT_LEN];
	int ret;

	if ((ret = group_mul_base(record + BALLOT2_OFF_A, r)) == 0 &&
	    (ret = group_mul(rpk, r, pk)) == 0)
		ret = group_add(record + BALLOT2_OFF_B, M, rpk);
	WIPE_BUFFER(rpk);
	return ret;
}

/* T = kG, c, z = k + cr into the record, A and B already there. */
static int ballot2_prove(const uint8_t r[GROUP_SCALAR_LEN], const uint8_t k[GROUP_SCALAR_LEN],
			 const uint8_t election_id[32], uint16_t scrutin_id,
			 uint8_t record[BALLOT2_RECORD_LEN])
{
	uint8_t T[GROUP_POINT_LEN], cr[GROUP_SCALAR_LEN];
	uint8_t *c = record + BALLOT2_OFF_C, *z = record + BALLOT2_OFF_Z;
	int ret;

	if ((ret = group_mul_base(T, k)) == 0 &&
	    (ret = ballot2_challenge(election_id, scrutin_id, record + BALLOT2_OFF_A,
				     record + BALLOT2_OFF_B, T, c)) == 0 &&
	    (ret = scalar_mul(cr, c, r)) == 0)
		ret = scalar_add(z, k, cr);
	WIPE_BUFFER(cr);
	return ret;
}

int ballot2_encrypt_fixed(const uint8_t r[GROUP_SCALAR_LEN], const uint8_t k[GROUP_SCALAR_LEN],
			  const uint8_t pk[GROUP_POINT_LEN], const uint8_t election_id[32],
			  uint16_t scrutin_id, const uint8_t *pt, size_t pt_len,
			  uint8_t record[BALLOT2_RECORD_LEN])
{
	uint8_t M[GROUP_POINT_LEN];
	int ret;

	if (!scalar_is_valid(r) || !scalar_is_valid(k)) {
		err_detail("ballot: r or k not in [1, n-1]");
		return ERR_RANGE;
	}
	if ((ret = group_point_check(pk)) != 0)
		return ret;
	ballot2_u16be(record, scrutin_id);
	if ((ret = ptenc_encode(pt, pt_len, M, NULL)) == 0 &&
	    (ret = ballot2_elgamal(r, pk, M, record)) == 0)
		ret = ballot2_prove(r, k, election_id, scrutin_id, record);
	if (ret != 0)
		secmem_wipe(record, BALLOT2_RECORD_LEN);
	WIPE_BUFFER(M);
	return ret;
}

int ballot2_encrypt(struct rng *rng, const uint8_t pk[GROUP_POINT_LEN],
		    const uint8_t election_id[32], uint16_t scrutin_id,
		    const uint8_t *pt, size_t pt_len, uint8_t record[BALLOT2_RECORD_LEN])
{
	uint8_t r[GROUP_SCALAR_LEN], k[GROUP_SCALAR_LEN];
	int ret;

	if ((ret = scalar_random(rng, r)) == 0 && (ret = scalar_random(rng, k)) == 0)
		ret = ballot2_encrypt_fixed(r, k, pk, election_id, scrutin_id, pt, pt_len,
					    record);
	WIPE_BUFFER(r);
	WIPE_BUFFER(k);
	return ret;
}

/* 1 if the 32 bytes are a canonical scalar, 0 <= x < n. */
static int ballot2_canonical(const uint8_t x[GROUP_SCALAR_LEN])
{
	return scalar_is_valid(x) || scalar_is_zero(x);
}

int ballot2_check(const uint8_t election_id[32], const uint8_t *record, size_t len)
{
	static const uint8_t zero[GROUP_SCALAR_LEN];
	const uint8_t *A = record + BALLOT2_OFF_A, *B = record + BALLOT2_OFF_B;
	const uint8_t *c = record + BALLOT2_OFF_C, *z = record + BALLOT2_OFF_Z;
	uint8_t negc[GROUP_SCALAR_LEN], T[GROUP_POINT_LEN], c2[GROUP_SCALAR_LEN];
	int ret;

	if (len != BALLOT2_RECORD_LEN) {
		err_detail("ballot record of %zu bytes (%d)", len, BALLOT2_RECORD_LEN);
		return ERR_FORMAT;
	}
	if ((ret = group_point_check(A)) != 0 || (ret = group_point_check(B)) != 0)
		return ret;
	if (!ballot2_canonical(c) || !ballot2_canonical(z)) {
		err_detail("ballot record: c or z not below n");
		return ERR_FORMAT;
	}
	/* T' = zG + (n - c)A; c = 0 gives 0, not n. Infinity: ERR_VERIFY. */
	if ((ret = scalar_sub(negc, zero, c)) != 0 ||
	    (ret = group_muladd_base(T, z, negc, A)) != 0 ||
	    (ret = ballot2_challenge(election_id, ballot2_scrutin(record), A, B, T, c2)) != 0)
		return ret;
	if (memcmp(c, c2, GROUP_SCALAR_LEN) != 0) {
		err_detail("ballot: proof of knowledge does not hold");
		return ERR_VERIFY;
	}
	return 0;
}

uint16_t ballot2_scrutin(const uint8_t record[BALLOT2_RECORD_LEN])
{
	return (uint16_t)(record[0] << 8 | record[1]);
}

int ballot2_tracker(const uint8_t record[BALLOT2_RECORD_LEN],
		    uint8_t tracker[BALLOT2_TRACKER_LEN])
{
	const struct hash_part part = { record, BALLOT2_RECORD_LEN };

	return hash_tagged(BALLOT2_TRACKER_TAG, &part, 1, tracker);
}

int ballot2_open_point(const uint8_t S[GROUP_POINT_LEN], const uint8_t B[GROUP_POINT_LEN],
		       size_t pt_len, uint8_t *pt)
{
	uint8_t M[GROUP_POINT_LEN];
	int ret;

	if (pt_len < 1 || pt_len > PTENC_PT_MAX) {
		err_detail("plaintext of %zu bytes (1..%d)", pt_len, PTENC_PT_MAX);
		return ERR_RANGE;
	}
	ret = group_sub(M, B, S); /* ERR_VERIFY: M at infinity, unreadable */
	if (ret == 0)
		ret = ptenc_decode(M, pt_len, pt);
	else if (ret == ERR_VERIFY)
		memset(pt, 0, pt_len);
	WIPE_BUFFER(M);
	return ret;
}

int ballot2_open(const uint8_t secret[GROUP_SCALAR_LEN], const uint8_t A[GROUP_POINT_LEN],
		 const uint8_t B[GROUP_POINT_LEN], size_t pt_len,
		 uint8_t S[GROUP_POINT_LEN], uint8_t *pt)
{
	int ret;

	if (pt_len < 1 || pt_len > PTENC_PT_MAX) {
		err_detail("plaintext of %zu bytes (1..%d)", pt_len, PTENC_PT_MAX);
		return ERR_RANGE;
	}
	/* group_mul validates A (ERR_FORMAT) and the key (ERR_RANGE). */
	if ((ret = group_mul(S, secret, A)) != 0)
		return ret;
	return ballot2_open_point(S, B, pt_len, pt);
}

/* ---- v1 (removed once session/, verify/ and tools/ use v2) --------------- */

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
