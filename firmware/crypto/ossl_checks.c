/*
 * The per-ballot v2 checks on OpenSSL (ossl.h), written from
 * docs/CRYPTO-V2-NOTES.md sections 1, 2 and 6: the ballot's proof of
 * knowledge, the decryption proof, and the plaintext a proven S opens to.
 * Same order of checks and same answers as ballot.c and dleq.c: every
 * malformation (length, point, scalar >= n) is ERR_FORMAT before any
 * equation is looked at; a failed equation, or a recomputed commitment at
 * infinity, is ERR_VERIFY.
 */
#include <string.h>

#include "lib/err.h"
#include "crypto/ballot.h"
#include "crypto/ossl.h"
#include "crypto/ossl_int.h"

/* Fixed in the spec; written again here rather than taken from ballot.h. */
#define OSSL_POK_TAG "sceau/ballot-pok/v2"
#define OSSL_DLEQ_TAG "sceau/dleq/v2"
#define OSSL_RECORD_LEN 196 /* u16be(scrutin_id) || A || B || c || z */

/* 1 if the recomputed commitment R is finite and Hn(tag; parts..., R) = c. */
static int ossl_challenge_ok(struct ossl_tls *t, const char *tag, struct hash_part *parts,
			     size_t n, const EC_POINT *R, uint8_t rbuf[GROUP_POINT_LEN],
			     const uint8_t c[GROUP_SCALAR_LEN], int *ok)
{
	uint8_t d[HASH_LEN], c2[GROUP_SCALAR_LEN];
	BIGNUM *x;
	int ret;

	*ok = 0;
	if (EC_POINT_is_at_infinity(t->grp, R))
		return 0;
	ret = ossl_point_write(t, R, rbuf);
	if (ret == 0)
		ret = ossl_hash_tagged(t, tag, parts, n, d);
	if (ret != 0)
		return ret;
	BN_CTX_start(t->bn);
	x = BN_CTX_get(t->bn);
	if (x == NULL || (ret = ossl_hash_scalar(t, x, d)) != 0 ||
	    BN_bn2binpad(x, c2, sizeof(c2)) != (int)sizeof(c2))
		ret = ret != 0 ? ret : ossl_err("challenge");
	BN_CTX_end(t->bn);
	*ok = ret == 0 && memcmp(c, c2, sizeof(c2)) == 0;
	return ret;
}

/* T' = zG - cA; the proof holds iff T' is finite and
 * Hn("sceau/ballot-pok/v2"; election_id, u16be(scrutin_id), A, B, T') = c. */
static int ossl_pok(struct ossl_tls *t, const uint8_t election_id[32], const uint8_t *rec,
		    EC_POINT *A, EC_POINT *T)
{
	uint8_t tbuf[GROUP_POINT_LEN];
	struct hash_part parts[] = {
		{ election_id, 32 }, { rec, 2 }, { rec + 2, GROUP_POINT_LEN },
		{ rec + 2 + GROUP_POINT_LEN, GROUP_POINT_LEN }, { tbuf, GROUP_POINT_LEN },
	};
	const uint8_t *cb = rec + 2 + 2 * GROUP_POINT_LEN;
	BIGNUM *c, *z;
	int ret, ok = 0;

	BN_CTX_start(t->bn);
	c = BN_CTX_get(t->bn), z = BN_CTX_get(t->bn);
	if (z == NULL) {
		ret = ossl_err("ballot check");
		goto out;
	}
	if ((ret = ossl_scalar_read(t, c, cb, "ballot record: c")) != 0 ||
	    (ret = ossl_scalar_read(t, z, cb + GROUP_SCALAR_LEN, "ballot record: z")) != 0 ||
	    (ret = ossl_scalar_neg(t, c, c)) != 0)
		goto out;
	if (!EC_POINT_mul(t->grp, T, z, A, c, t->bn)) {
		ret = ossl_err("ballot check: zG - cA");
		goto out;
	}
	ret = ossl_challenge_ok(t, OSSL_POK_TAG, parts, 5, T, tbuf, cb, &ok);
	if (ret == 0 && !ok) {
		err_detail("ballot: proof of knowledge does not hold");
		ret = ERR_VERIFY;
	}
out:
	BN_CTX_end(t->bn);
	return ret;
}

int ballot2_check_ossl(const uint8_t election_id[32], const uint8_t *record, size_t len)
{
	struct ossl_tls *t;
	EC_POINT *A = NULL, *B = NULL, *T = NULL;
	int ret;

	if (len != OSSL_RECORD_LEN) {
		err_detail("ballot record of %zu bytes (%d)", len, OSSL_RECORD_LEN);
		return ERR_FORMAT;
	}
	if ((t = ossl_tls()) == NULL)
		return ERR_NOMEM;
	A = EC_POINT_new(t->grp), B = EC_POINT_new(t->grp), T = EC_POINT_new(t->grp);
	if (A == NULL || B == NULL || T == NULL) {
		ret = ossl_err("ballot check");
		goto out;
	}
	if ((ret = ossl_point_read(t, A, record + 2, "ballot record: A")) == 0 &&
	    (ret = ossl_point_read(t, B, record + 2 + GROUP_POINT_LEN, "ballot record: B")) == 0)
		ret = ossl_pok(t, election_id, record, A, T);
out:
	EC_POINT_free(A), EC_POINT_free(B), EC_POINT_free(T);
	return ret;
}

/* --- decryption proofs ------------------------------------------------------------ */

/* K1' = zG - cPK, K2' = zA - cS (P: PK, A, S). */
static int ossl_dleq_commit(struct ossl_tls *t, const uint8_t proof[DLEQ_PROOF_LEN],
			    EC_POINT **P, EC_POINT *K1, EC_POINT *K2)
{
	BIGNUM *c, *z;
	const BIGNUM *k[2];
	const EC_POINT *Q[2] = { P[1], P[2] };
	int ret;

	BN_CTX_start(t->bn);
	c = BN_CTX_get(t->bn), z = BN_CTX_get(t->bn);
	if (z == NULL) {
		ret = ossl_err("dleq check");
		goto out;
	}
	if ((ret = ossl_scalar_read(t, c, proof, "dleq: c")) != 0 ||
	    (ret = ossl_scalar_read(t, z, proof + 32, "dleq: z")) != 0 ||
	    (ret = ossl_scalar_neg(t, c, c)) != 0)
		goto out;
	k[0] = z, k[1] = c;
	if (!EC_POINT_mul(t->grp, K1, z, P[0], c, t->bn))
		ret = ossl_err("dleq check: zG - cPK");
	else
		ret = ossl_msm(t, K2, NULL, Q, k, 2);
out:
	BN_CTX_end(t->bn);
	return ret;
}

/* Hn("sceau/dleq/v2"; election_id, u16be(sid), PK, A, B, S, K1', K2') = c,
 * neither K at infinity. */
static int ossl_dleq_hash(struct ossl_tls *t, const struct dleq2_statement *st,
			  const uint8_t c[32], const EC_POINT *K1, const EC_POINT *K2)
{
	uint8_t sid[2] = { (uint8_t)(st->scrutin_id >> 8), (uint8_t)st->scrutin_id };
	uint8_t k1[GROUP_POINT_LEN], k2[GROUP_POINT_LEN];
	struct hash_part parts[] = {
		{ st->election_id, 32 }, { sid, 2 }, { st->pk, GROUP_POINT_LEN },
		{ st->A, GROUP_POINT_LEN }, { st->B, GROUP_POINT_LEN }, { st->S, GROUP_POINT_LEN },
		{ k1, GROUP_POINT_LEN }, { k2, GROUP_POINT_LEN },
	};
	int ret = 0, ok = 0;

	if (!EC_POINT_is_at_infinity(t->grp, K1)) {
		ret = ossl_point_write(t, K1, k1);
		if (ret == 0) /* K2' written and hashed by the check */
			ret = ossl_challenge_ok(t, OSSL_DLEQ_TAG, parts, 8, K2, k2, c, &ok);
	}
	if (ret == 0 && !ok) {
		err_detail("dleq: challenge does not match");
		ret = ERR_VERIFY;
	}
	return ret;
}

int dleq2_verify_ossl(const struct dleq2_statement *st, const uint8_t proof[DLEQ_PROOF_LEN])
{
	static const char *const names[4] = { "dleq: PK", "dleq: A", "dleq: S", "dleq: B" };
	const uint8_t *src[4] = { st->pk, st->A, st->S, st->B };
	struct ossl_tls *t = ossl_tls();
	EC_POINT *P[4] = { NULL }, *K1 = NULL, *K2 = NULL;
	int ret = 0;

	if (t == NULL)
		return ERR_NOMEM;
	for (int i = 0; i < 4 && ret == 0; i++)
		if ((P[i] = EC_POINT_new(t->grp)) == NULL)
			ret = ossl_err("dleq check");
	if (ret == 0 && ((K1 = EC_POINT_new(t->grp)) == NULL || (K2 = EC_POINT_new(t->grp)) == NULL))
		ret = ossl_err("dleq check");
	for (int i = 0; i < 4 && ret == 0; i++)
		ret = ossl_point_read(t, P[i], src[i], names[i]);
	if (ret == 0)
		ret = ossl_dleq_commit(t, proof, P, K1, K2);
	if (ret == 0)
		ret = ossl_dleq_hash(t, st, proof, K1, K2);
	for (int i = 0; i < 4; i++)
		EC_POINT_free(P[i]);
	EC_POINT_free(K1), EC_POINT_free(K2);
	return ret;
}

/* --- the plaintext of a proven S ------------------------------------------------------ */

/* x = 00 || plaintext (pt_len) || zero padding to byte 30 || counter. */
static int ossl_decode(const uint8_t M[GROUP_POINT_LEN], size_t pt_len, uint8_t *pt)
{
	const uint8_t *x = M + 1;
	uint8_t any = x[0];

	for (size_t i = 1 + pt_len; i <= 30; i++)
		any |= x[i];
	if (any != 0) {
		memset(pt, 0, pt_len);
		err_detail("decrypted point carries no plaintext of %zu bytes", pt_len);
		return ERR_VERIFY;
	}
	memcpy(pt, x + 1, pt_len);
	return 0;
}

int ballot2_open_point_ossl(const uint8_t S[GROUP_POINT_LEN], const uint8_t B[GROUP_POINT_LEN],
			    size_t pt_len, uint8_t *pt)
{
	struct ossl_tls *t;
	EC_POINT *Sp = NULL, *M = NULL;
	uint8_t m[GROUP_POINT_LEN];
	int ret;

	if (pt_len < 1 || pt_len > PTENC_PT_MAX) {
		err_detail("plaintext of %zu bytes (1..%d)", pt_len, PTENC_PT_MAX);
		return ERR_RANGE;
	}
	if ((t = ossl_tls()) == NULL)
		return ERR_NOMEM;
	if ((Sp = EC_POINT_new(t->grp)) == NULL || (M = EC_POINT_new(t->grp)) == NULL) {
		ret = ossl_err("open");
		goto out;
	}
	if ((ret = ossl_point_read(t, M, B, "B")) != 0 ||
	    (ret = ossl_point_read(t, Sp, S, "S")) != 0)
		goto out;
	if (!EC_POINT_invert(t->grp, Sp, t->bn) || !EC_POINT_add(t->grp, M, M, Sp, t->bn)) {
		ret = ossl_err("open: B - S");
		goto out;
	}
	if (EC_POINT_is_at_infinity(t->grp, M)) { /* B = S: unreadable */
		memset(pt, 0, pt_len);
		err_detail("decrypted point at infinity");
		ret = ERR_VERIFY;
		goto out;
	}
	ret = ossl_point_write(t, M, m);
	if (ret == 0)
		ret = ossl_decode(m, pt_len, pt);
out:
	EC_POINT_free(Sp), EC_POINT_free(M);
	return ret;
}
