/*
 * Point helpers that accept the point at infinity (group_ext.h). mbedTLS's
 * muladd refuses a zero operand (it checks each as a public key), so the
 * zero cases are settled here before calling it.
 */
#include "lib/err.h"
#include "crypto/group_ext.h"
#include "crypto/internal.h"

static int gx_is_zero(const mbedtls_ecp_point *p)
{
	return mbedtls_ecp_is_zero((mbedtls_ecp_point *)p);
}

/* r = p + s*q with s = 1 or -1: mbedTLS's shortcuts make both terms copies
 * (and 0*q a zero), so this costs one addition and one normalisation. */
static int gx_add_signed(mbedtls_ecp_group *grp, mbedtls_ecp_point *r,
			 const mbedtls_ecp_point *p, const mbedtls_ecp_point *q, int s)
{
	mbedtls_mpi one, sign;
	int ret;

	if (gx_is_zero(q))
		return mbedtls_ecp_copy(r, p) != 0 ? ERR_NOMEM : 0;
	if (gx_is_zero(p) && s == 1)
		return mbedtls_ecp_copy(r, q) != 0 ? ERR_NOMEM : 0;
	mbedtls_mpi_init(&one);
	mbedtls_mpi_init(&sign);
	ret = mbedtls_mpi_lset(&one, gx_is_zero(p) ? 0 : 1);
	if (ret == 0)
		ret = mbedtls_mpi_lset(&sign, s);
	if (ret == 0 && gx_is_zero(p)) /* -q: (-1)*q + 0*q */
		ret = mbedtls_ecp_muladd(grp, r, &sign, q, &one, q);
	else if (ret == 0)
		ret = mbedtls_ecp_muladd(grp, r, &one, p, &sign, q);
	mbedtls_mpi_free(&one);
	mbedtls_mpi_free(&sign);
	return ret != 0 ? crypto_err(ret, "point addition") : 0;
}

int gx_add(mbedtls_ecp_group *grp, mbedtls_ecp_point *r, const mbedtls_ecp_point *p,
	   const mbedtls_ecp_point *q)
{
	return gx_add_signed(grp, r, p, q, 1);
}

int gx_sub(mbedtls_ecp_group *grp, mbedtls_ecp_point *r, const mbedtls_ecp_point *p,
	   const mbedtls_ecp_point *q)
{
	return gx_add_signed(grp, r, p, q, -1);
}

int gx_mul_secret(mbedtls_ecp_group *grp, mbedtls_ecp_point *r, const mbedtls_mpi *k,
		  const mbedtls_ecp_point *p)
{
	int ret;

	if (mbedtls_mpi_cmp_int(k, 0) == 0 || (p != NULL && gx_is_zero(p)))
		ret = mbedtls_ecp_set_zero(r);
	else
		ret = mbedtls_ecp_mul(grp, r, k, p != NULL ? p : &grp->G, group_blind_rng, NULL);
	return ret != 0 ? crypto_err(ret, "ecp_mul") : 0;
}

int gx_muladd_public(mbedtls_ecp_group *grp, mbedtls_ecp_point *r, const mbedtls_mpi *a,
		     const mbedtls_ecp_point *p, const mbedtls_mpi *b,
		     const mbedtls_ecp_point *q)
{
	const mbedtls_ecp_point *P = p != NULL ? p : &grp->G, *Q = q != NULL ? q : &grp->G;
	int pz = gx_is_zero(P) || mbedtls_mpi_cmp_int(a, 0) == 0;
	int qz = gx_is_zero(Q) || mbedtls_mpi_cmp_int(b, 0) == 0;
	mbedtls_mpi zero;
	int ret;

	if (pz && qz)
		return mbedtls_ecp_set_zero(r) != 0 ? ERR_NOMEM : 0;
	if (!pz && !qz) {
		ret = mbedtls_ecp_muladd(grp, r, a, P, b, Q);
		return ret != 0 ? crypto_err(ret, "ecp_muladd") : 0;
	}
	/* One term: x*X + 0*X, the zero term being a shortcut. */
	mbedtls_mpi_init(&zero);
	ret = pz ? mbedtls_ecp_muladd(grp, r, b, Q, &zero, Q)
		 : mbedtls_ecp_muladd(grp, r, a, P, &zero, P);
	mbedtls_mpi_free(&zero);
	return ret != 0 ? crypto_err(ret, "ecp_muladd") : 0;
}

int gx_equal(const mbedtls_ecp_point *p, const mbedtls_ecp_point *q)
{
	int pz = gx_is_zero(p), qz = gx_is_zero(q);

	if (pz || qz)
		return pz && qz;
	return mbedtls_ecp_point_cmp(p, q) == 0;
}
