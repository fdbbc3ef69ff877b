/*
 * Point helpers for the shuffle, the hash to the curve and the MSM, private
 * to crypto/ (mbedTLS types). Unlike group.h they take and give the point at
 * infinity ("zero", mbedtls_ecp_is_zero): a sum of many terms, or a proof
 * checked on hostile data, may meet it in between, and every verifier must
 * then reach the same verdict whatever order it adds in.
 *
 * They only call mbedTLS's public API: a sum is mbedtls_ecp_muladd with
 * scalars 1 (or -1 for a difference), which also normalises the result, so
 * every point handled here is affine (Z = 1) or zero.
 * All functions return 0, ERR_NOMEM or ERR_CRYPTO; outputs may alias inputs.
 */
#ifndef SCEAU_CRYPTO_GROUP_EXT_H
#define SCEAU_CRYPTO_GROUP_EXT_H

#include <mbedtls/bignum.h>
#include <mbedtls/ecp.h>

/* r = p + q. */
int gx_add(mbedtls_ecp_group *grp, mbedtls_ecp_point *r, const mbedtls_ecp_point *p,
	   const mbedtls_ecp_point *q);
/* r = p - q. */
int gx_sub(mbedtls_ecp_group *grp, mbedtls_ecp_point *r, const mbedtls_ecp_point *p,
	   const mbedtls_ecp_point *q);
/*
 * r = k*p for a SECRET k in [0, n-1]: mbedtls_ecp_mul with the thread's
 * blinding RNG (constant time, randomised projective coordinates). k = 0 or
 * p = zero gives zero. p == NULL means the generator G.
 */
int gx_mul_secret(mbedtls_ecp_group *grp, mbedtls_ecp_point *r, const mbedtls_mpi *k,
		  const mbedtls_ecp_point *p);
/*
 * r = a*p + b*q for PUBLIC a, b in [0, n-1] (mbedtls_ecp_muladd: not
 * constant time, no blinding, a little faster). p or q NULL means G (whose
 * multiples use mbedTLS's precomputed table); either may be zero.
 */
int gx_muladd_public(mbedtls_ecp_group *grp, mbedtls_ecp_point *r, const mbedtls_mpi *a,
		     const mbedtls_ecp_point *p, const mbedtls_mpi *b,
		     const mbedtls_ecp_point *q);
/* 1 if p == q (both zero counts as equal), 0 otherwise. */
int gx_equal(const mbedtls_ecp_point *p, const mbedtls_ecp_point *q);

#endif
