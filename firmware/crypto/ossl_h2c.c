/*
 * RFC 9380 hash_to_curve P256_XMD:SHA-256_SSWU_RO_ on OpenSSL (ossl.h):
 * the shuffle proof's generators, one per ballot, for the OpenSSL verifier.
 *
 * The map is the RFC's straight-line simplified SWU (appendix F.2) with
 * sqrt_ratio for q = 3 mod 4 (F.2.1.2): one exponentiation per map, where
 * h2c.c, written from section 6.6.2, takes an inversion and one or two
 * square roots; x comes out as a fraction, and one inversion serves both
 * maps of a hash. Field elements are kept in Montgomery form (OpenSSL's
 * BN_MONT_CTX for p), five times cheaper a product than BN_mod_mul; x's
 * numerator and denominator both carry the factor R, which their quotient
 * cancels. So the two implementations share no arithmetic, and the RFC's
 * vectors check both (tests/crypto/test_h2c.c). expand_message_xmd
 * and hash_to_field are h2c.c's (hashing only, checked on the RFC's K.1
 * and J.1.1 vectors).
 */
#include <string.h>

#include "lib/err.h"
#include "crypto/h2c.h"
#include "crypto/ossl.h"
#include "crypto/ossl_int.h"

/* The spec's DST (section 3), written here from the spec. */
#define OSSL_SHUFFLE_DST "SCEAU-V2-SHUFFLE-GENERATORS_P256_XMD:SHA-256_SSWU_RO_"
#define OSSL_SWU_MINUS_Z 10 /* Z = -10 */

void ossl_swu_free(struct ossl_swu *s)
{
	BN_free(s->a), BN_free(s->b), BN_free(s->z), BN_free(s->c1), BN_free(s->c2);
	BN_free(s->one);
	BN_MONT_CTX_free(s->mont);
	memset(s, 0, sizeof(*s));
}

/* The constants, A, B, Z = -10, c2 = sqrt(10) (checked) and 1 in
 * Montgomery form; c1 = (p - 3) / 4. */
static int swu_constants(struct ossl_tls *t, struct ossl_swu *s, BIGNUM *e, BIGNUM *sq)
{
	BN_CTX *c = t->bn;
	int ok;

	ok = EC_GROUP_get_curve(t->grp, NULL, s->a, s->b, c) &&
	     BN_MONT_CTX_set(s->mont, t->p, c) &&
	     BN_copy(s->z, t->p) && BN_sub_word(s->z, OSSL_SWU_MINUS_Z) &&
	     BN_copy(s->c1, t->p) && BN_sub_word(s->c1, 3) && BN_rshift(s->c1, s->c1, 2) &&
	     BN_copy(e, t->p) && BN_add_word(e, 1) && BN_rshift(e, e, 2) &&
	     BN_set_word(sq, OSSL_SWU_MINUS_Z) &&
	     BN_mod_exp_mont(s->c2, sq, e, t->p, c, s->mont) &&
	     BN_mod_sqr(e, s->c2, t->p, c);
	if (ok && BN_cmp(e, sq) != 0) { /* -Z must be a square when q = 3 mod 4 */
		err_detail("hash_to_curve: -Z has no square root mod p");
		return ERR_INTERNAL;
	}
	ok = ok && BN_to_montgomery(s->a, s->a, s->mont, c) &&
	     BN_to_montgomery(s->b, s->b, s->mont, c) &&
	     BN_to_montgomery(s->z, s->z, s->mont, c) &&
	     BN_to_montgomery(s->c2, s->c2, s->mont, c) &&
	     BN_to_montgomery(s->one, BN_value_one(), s->mont, c);
	return ok ? 0 : ossl_err("hash_to_curve setup");
}

int ossl_swu_init(struct ossl_tls *t)
{
	struct ossl_swu *s = &t->swu;
	BIGNUM *e = BN_new(), *sq = BN_new();
	int ret;

	s->a = BN_new(), s->b = BN_new(), s->z = BN_new(), s->c1 = BN_new(), s->c2 = BN_new();
	s->one = BN_new();
	s->mont = BN_MONT_CTX_new();
	if (e && sq && s->a && s->b && s->z && s->c1 && s->c2 && s->one && s->mont)
		ret = swu_constants(t, s, e, sq);
	else
		ret = ossl_err("hash_to_curve setup");
	BN_free(e), BN_free(sq);
	return ret;
}

/* r = a b and r = a + b in F_p, operands and result in Montgomery form. */
static int fm(struct ossl_tls *t, BIGNUM *r, const BIGNUM *a, const BIGNUM *b)
{
	return BN_mod_mul_montgomery(r, a, b, t->swu.mont, t->bn);
}

static int fa(struct ossl_tls *t, BIGNUM *r, const BIGNUM *a, const BIGNUM *b)
{
	return BN_mod_add_quick(r, a, b, t->p);
}

/* sqrt_ratio(u, v) for q = 3 mod 4 (F.2.1.2): *qr = u/v is a square; y =
 * sqrt(u/v) if so, else sqrt(Z u/v). All in Montgomery form but for the
 * exponentiation (BN_mod_exp_mont takes and gives plain residues).
 * Returns 1, or 0 on an OpenSSL failure. */
static int swu_sqrt_ratio(struct ossl_tls *t, const BIGNUM *u, const BIGNUM *v, int *qr,
			  BIGNUM *y)
{
	BN_MONT_CTX *m = t->swu.mont;
	BN_CTX *c = t->bn;
	BIGNUM *tv1, *tv2, *tv3;
	int ok;

	BN_CTX_start(c);
	tv1 = BN_CTX_get(c), tv2 = BN_CTX_get(c), tv3 = BN_CTX_get(c);
	ok = tv3 != NULL &&
	     fm(t, tv1, v, v) &&                                        /* 1. tv1 = v^2 */
	     fm(t, tv2, u, v) &&                                        /* 2. tv2 = u v */
	     fm(t, tv1, tv1, tv2) &&                                    /* 3. tv1 = tv1 tv2 */
	     BN_from_montgomery(tv1, tv1, m, c) &&                      /* 4. y1 = tv1^c1 */
	     BN_mod_exp_mont(y, tv1, t->swu.c1, t->p, c, m) &&
	     BN_to_montgomery(y, y, m, c) &&
	     fm(t, y, y, tv2) &&                                        /* 5. y1 = y1 tv2 */
	     fm(t, tv3, y, y) &&                                        /* 7. tv3 = y1^2 */
	     fm(t, tv3, tv3, v);                                        /* 8. tv3 = tv3 v */
	if (ok) {
		*qr = BN_cmp(tv3, u) == 0;                                 /* 9. isQR */
		if (!*qr)                                          /* 6, 10. y = y1 c2 */
			ok = fm(t, y, y, t->swu.c2);
	}
	BN_CTX_end(c);
	return ok;
}

/* Steps 1-16 of F.2, in Montgomery form: tv1 = Z u^2, tv3 = B (tv1^2 +
 * tv1 + 1), tv4 the denominator of x, and gx = tv2 / tv6, tv6 = tv4^3. */
static int swu_fraction(struct ossl_tls *t, const BIGNUM *u, BIGNUM **tv)
{
	const struct ossl_swu *s = &t->swu;
	BIGNUM *tv1 = tv[1], *tv2 = tv[2], *tv3 = tv[3], *tv4 = tv[4], *tv5 = tv[5];
	BIGNUM *tv6 = tv[6];

	return fm(t, tv1, u, u) &&                              /* 1. tv1 = u^2 */
	       fm(t, tv1, s->z, tv1) &&                         /* 2. tv1 = Z tv1 */
	       fm(t, tv2, tv1, tv1) &&                          /* 3. tv2 = tv1^2 */
	       fa(t, tv2, tv2, tv1) &&                          /* 4. tv2 = tv2 + tv1 */
	       fa(t, tv3, tv2, s->one) &&                       /* 5. tv3 = tv2 + 1 */
	       fm(t, tv3, s->b, tv3) &&                         /* 6. tv3 = B tv3 */
	       (BN_is_zero(tv2) ? BN_copy(tv4, s->z) != NULL    /* 7. tv4 = CMOV(Z, */
				: BN_sub(tv4, t->p, tv2)) &&    /*    -tv2, tv2 != 0) */
	       fm(t, tv4, s->a, tv4) &&                         /* 8. tv4 = A tv4 */
	       fm(t, tv2, tv3, tv3) &&                          /* 9. tv2 = tv3^2 */
	       fm(t, tv6, tv4, tv4) &&                          /* 10. tv6 = tv4^2 */
	       fm(t, tv5, s->a, tv6) &&                         /* 11. tv5 = A tv6 */
	       fa(t, tv2, tv2, tv5) &&                          /* 12. tv2 = tv2 + tv5 */
	       fm(t, tv2, tv2, tv3) &&                          /* 13. tv2 = tv2 tv3 */
	       fm(t, tv6, tv6, tv4) &&                          /* 14. tv6 = tv6 tv4 */
	       fm(t, tv5, s->b, tv6) &&                         /* 15. tv5 = B tv6 */
	       fa(t, tv2, tv2, tv5);                            /* 16. tv2 = tv2 + tv5 */
}

/* map_to_curve_simple_swu(u) = (xn / xd, y), F.2: u and y plain residues,
 * xn and xd in Montgomery form (each times R: their quotient is x). */
static int swu_map(struct ossl_tls *t, const BIGNUM *u, BIGNUM *xn, BIGNUM *xd, BIGNUM *y)
{
	BN_CTX *c = t->bn;
	BIGNUM *tv[7], *y1, *um;
	int ok = 1, qr = 0;

	BN_CTX_start(c);
	for (int i = 1; i < 7; i++)
		ok = ok && (tv[i] = BN_CTX_get(c)) != NULL;
	y1 = BN_CTX_get(c), um = BN_CTX_get(c);
	ok = ok && um != NULL && BN_to_montgomery(um, u, t->swu.mont, c) &&
	     swu_fraction(t, um, tv) &&
	     fm(t, xn, tv[1], tv[3]) &&                         /* 17. x = tv1 tv3 */
	     swu_sqrt_ratio(t, tv[2], tv[6], &qr, y1) &&        /* 18. */
	     fm(t, y, tv[1], um) &&                             /* 19. y = tv1 u */
	     fm(t, y, y, y1);                                   /* 20. y = y y1 */
	if (ok && qr)                                           /* 21, 22. */
		ok = BN_copy(xn, tv[3]) != NULL && BN_copy(y, y1) != NULL;
	ok = ok && BN_from_montgomery(y, y, t->swu.mont, c);
	/* 23, 24: y = -y unless sgn0(u) == sgn0(y) (sgn0 = parity, m = 1) */
	if (ok && BN_is_odd(u) != BN_is_odd(y) && !BN_is_zero(y))
		ok = BN_sub(y, t->p, y);
	ok = ok && BN_copy(xd, tv[4]) != NULL;                  /* 25. x = xn / tv4 */
	BN_CTX_end(c);
	return ok ? 0 : ossl_err("map_to_curve");
}

/* P = (xn * inv, y): set_affine checks that it is on the curve (a check of
 * the map itself). */
static int swu_point(struct ossl_tls *t, EC_POINT *P, BIGNUM *xn, const BIGNUM *inv,
		     const BIGNUM *y)
{
	if (!BN_mod_mul(xn, xn, inv, t->p, t->bn) ||
	    !EC_POINT_set_affine_coordinates(t->grp, P, xn, y, t->bn))
		return ossl_err("map_to_curve: the point");
	return 0;
}

/* Q = map(u) for u < p (ERR_RANGE otherwise). */
static int swu_map_point(struct ossl_tls *t, const uint8_t u[32], EC_POINT *Q)
{
	BIGNUM *bu, *xn, *xd, *y;
	int ret;

	BN_CTX_start(t->bn);
	bu = BN_CTX_get(t->bn), xn = BN_CTX_get(t->bn), xd = BN_CTX_get(t->bn);
	y = BN_CTX_get(t->bn);
	if (y == NULL || !BN_bin2bn(u, 32, bu)) {
		ret = ossl_err("map_to_curve");
		goto out;
	}
	if (BN_cmp(bu, t->p) >= 0) {
		err_detail("field element not below p");
		ret = ERR_RANGE;
		goto out;
	}
	ret = swu_map(t, bu, xn, xd, y);
	if (ret == 0 && !BN_mod_inverse(xd, xd, t->p, t->bn))
		ret = ossl_err("map_to_curve: inversion");
	if (ret == 0)
		ret = swu_point(t, Q, xn, xd, y);
out:
	BN_CTX_end(t->bn);
	return ret;
}

/* Q0 + Q1 from (xn_k, xd_k, y_k): one inversion of xd0 xd1 gives both. */
static int swu_sum(struct ossl_tls *t, BIGNUM **xn, BIGNUM **xd, BIGNUM **y, EC_POINT *P)
{
	EC_POINT *Q1 = EC_POINT_new(t->grp);
	BIGNUM *inv, *i0;
	int ret = 0;

	BN_CTX_start(t->bn);
	inv = BN_CTX_get(t->bn), i0 = BN_CTX_get(t->bn);
	if (Q1 == NULL || i0 == NULL || !BN_mod_mul(inv, xd[0], xd[1], t->p, t->bn) ||
	    !BN_mod_inverse(inv, inv, t->p, t->bn) ||
	    !BN_mod_mul(i0, inv, xd[1], t->p, t->bn) ||  /* 1 / xd0 */
	    !BN_mod_mul(inv, inv, xd[0], t->p, t->bn))   /* 1 / xd1 */
		ret = ossl_err("hash_to_curve");
	if (ret == 0)
		ret = swu_point(t, P, xn[0], i0, y[0]);
	if (ret == 0)
		ret = swu_point(t, Q1, xn[1], inv, y[1]);
	if (ret == 0 && !EC_POINT_add(t->grp, P, P, Q1, t->bn)) /* h_eff = 1 */
		ret = ossl_err("hash_to_curve: Q0 + Q1");
	if (ret == 0 && EC_POINT_is_at_infinity(t->grp, P)) {
		err_detail("hash_to_curve: the point at infinity");
		ret = ERR_CRYPTO;
	}
	BN_CTX_end(t->bn);
	EC_POINT_free(Q1);
	return ret;
}

int ossl_hash_to_curve(struct ossl_tls *t, const void *msg, size_t msg_len, const void *dst,
		       size_t dst_len, EC_POINT *P)
{
	uint8_t u[2][32];
	BIGNUM *bu, *xn[2], *xd[2], *y[2];
	int ret = h2c_hash_to_field(msg, msg_len, dst, dst_len, u);

	if (ret != 0)
		return ret;
	BN_CTX_start(t->bn);
	bu = BN_CTX_get(t->bn);
	for (int k = 0; k < 2; k++)
		xn[k] = BN_CTX_get(t->bn), xd[k] = BN_CTX_get(t->bn), y[k] = BN_CTX_get(t->bn);
	if (y[1] == NULL)
		ret = ossl_err("hash_to_curve");
	for (int k = 0; k < 2 && ret == 0; k++) {
		if (!BN_bin2bn(u[k], 32, bu))
			ret = ossl_err("hash_to_curve");
		else
			ret = swu_map(t, bu, xn[k], xd[k], y[k]);
	}
	if (ret == 0)
		ret = swu_sum(t, xn, xd, y, P);
	BN_CTX_end(t->bn);
	return ret;
}

int ossl_generator(struct ossl_tls *t, const uint8_t election_id[32], uint16_t scrutin_id,
		   uint32_t index, EC_POINT *P)
{
	uint8_t msg[32 + 2 + 4];

	memcpy(msg, election_id, 32);
	msg[32] = (uint8_t)(scrutin_id >> 8), msg[33] = (uint8_t)scrutin_id;
	msg[34] = (uint8_t)(index >> 24), msg[35] = (uint8_t)(index >> 16);
	msg[36] = (uint8_t)(index >> 8), msg[37] = (uint8_t)index;
	return ossl_hash_to_curve(t, msg, sizeof(msg), OSSL_SHUFFLE_DST,
				  strlen(OSSL_SHUFFLE_DST), P);
}

/* --- the byte interface (tests, sceau-bench) ---------------------------------------- */

/* out = the point made by fn (a hash or a map), or the error. */
static int ossl_h2c_bytes(int which, const void *a, size_t alen, const void *b, size_t blen,
			  uint32_t index, uint8_t out[GROUP_POINT_LEN])
{
	struct ossl_tls *t = ossl_tls();
	EC_POINT *P;
	int ret;

	if (t == NULL)
		return ERR_NOMEM;
	if ((P = EC_POINT_new(t->grp)) == NULL)
		return ossl_err("point");
	if (which == 0)
		ret = swu_map_point(t, a, P);
	else if (which == 1)
		ret = ossl_hash_to_curve(t, a, alen, b, blen, P);
	else
		ret = ossl_generator(t, a, (uint16_t)alen, index, P);
	if (ret == 0)
		ret = ossl_point_write(t, P, out);
	EC_POINT_free(P);
	return ret;
}

int h2c_map_to_curve_ossl(const uint8_t u[32], uint8_t q[GROUP_POINT_LEN])
{
	return ossl_h2c_bytes(0, u, 32, NULL, 0, 0, q);
}

int h2c_hash_to_curve_ossl(const void *msg, size_t msg_len, const void *dst, size_t dst_len,
			   uint8_t p[GROUP_POINT_LEN])
{
	return ossl_h2c_bytes(1, msg, msg_len, dst, dst_len, 0, p);
}

int shuffle_generator_ossl(const uint8_t election_id[32], uint16_t scrutin_id, uint32_t index,
			   uint8_t out[GROUP_POINT_LEN])
{
	return ossl_h2c_bytes(2, election_id, scrutin_id, NULL, 0, index, out);
}
