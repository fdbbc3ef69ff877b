/*
 * Plaintexts as points (ptenc.h), with mbedTLS's bignums mod the group's p.
 * For P-256, p = 3 mod 4: if v is a square, v^((p+1)/4) is a square root of
 * it, so one exponentiation gives the candidate root and squaring it back
 * tells whether v was a square at all (Euler's criterion would cost a second
 * exponentiation). v is never 0: P-256 has prime order, so no point has
 * y = 0 and x^3 - 3x + b has no root mod p.
 */
#include <string.h>

#include "lib/err.h"
#include "crypto/internal.h"
#include "crypto/ptenc.h"
#include "crypto/secmem.h"

struct ptenc_work {
	mbedtls_mpi x, v, y, t, e, RR; /* e = (p+1)/4; RR: exp_mod's cache */
};

static void ptenc_work_init(struct ptenc_work *w)
{
	mbedtls_mpi_init(&w->x);
	mbedtls_mpi_init(&w->v);
	mbedtls_mpi_init(&w->y);
	mbedtls_mpi_init(&w->t);
	mbedtls_mpi_init(&w->e);
	mbedtls_mpi_init(&w->RR);
}

/* mbedtls_mpi_free zeroizes: x, v, y are functions of the plaintext. */
static void ptenc_work_free(struct ptenc_work *w)
{
	mbedtls_mpi_free(&w->x);
	mbedtls_mpi_free(&w->v);
	mbedtls_mpi_free(&w->y);
	mbedtls_mpi_free(&w->t);
	mbedtls_mpi_free(&w->e);
	mbedtls_mpi_free(&w->RR);
}

/* v = x^3 - 3x + b mod p, computed as x(x^2 - 3) + b. */
static int ptenc_rhs(const mbedtls_ecp_group *grp, struct ptenc_work *w)
{
	int ret;

	if ((ret = mbedtls_mpi_mul_mpi(&w->t, &w->x, &w->x)) == 0 &&
	    (ret = mbedtls_mpi_mod_mpi(&w->t, &w->t, &grp->P)) == 0 &&
	    (ret = mbedtls_mpi_sub_int(&w->t, &w->t, 3)) == 0 &&
	    (ret = mbedtls_mpi_mul_mpi(&w->v, &w->t, &w->x)) == 0 &&
	    (ret = mbedtls_mpi_add_mpi(&w->v, &w->v, &grp->B)) == 0)
		ret = mbedtls_mpi_mod_mpi(&w->v, &w->v, &grp->P); /* also lifts x^2 - 3 < 0 */
	return ret;
}

/* *found = 1 and y = the root of v when v is a square mod p. */
static int ptenc_sqrt(const mbedtls_ecp_group *grp, struct ptenc_work *w, int *found)
{
	int ret;

	*found = 0;
	if ((ret = mbedtls_mpi_exp_mod(&w->y, &w->v, &w->e, &grp->P, &w->RR)) == 0 &&
	    (ret = mbedtls_mpi_mul_mpi(&w->t, &w->y, &w->y)) == 0 &&
	    (ret = mbedtls_mpi_mod_mpi(&w->t, &w->t, &grp->P)) == 0)
		*found = mbedtls_mpi_cmp_mpi(&w->t, &w->v) == 0;
	return ret;
}

/* The first counter j making x a valid abscissa; x bytes in xb, j in xb[31]. */
static int ptenc_find(const mbedtls_ecp_group *grp, struct ptenc_work *w, uint8_t xb[32])
{
	int ret, found = 0;
	unsigned j;

	/* e = (p + 1) / 4 */
	if ((ret = mbedtls_mpi_add_int(&w->e, &grp->P, 1)) != 0 ||
	    (ret = mbedtls_mpi_shift_r(&w->e, 2)) != 0)
		return crypto_err(ret, "ptenc");
	for (j = 0; j < 256 && !found; j++) {
		xb[31] = (uint8_t)j;
		if ((ret = mbedtls_mpi_read_binary(&w->x, xb, 32)) != 0 ||
		    (ret = ptenc_rhs(grp, w)) != 0 || (ret = ptenc_sqrt(grp, w, &found)) != 0)
			return crypto_err(ret, "ptenc");
	}
	if (!found) {
		err_detail("plaintext: no counter gives a point");
		return ERR_RANGE;
	}
	return 0;
}

/* M = 04 || xb || y, with y made even (p - y is even when y is odd). */
static int ptenc_write(const mbedtls_ecp_group *grp, struct ptenc_work *w,
		       const uint8_t xb[32], uint8_t M[GROUP_POINT_LEN])
{
	int ret = 0;

	if (mbedtls_mpi_get_bit(&w->y, 0) == 1)
		ret = mbedtls_mpi_sub_mpi(&w->y, &grp->P, &w->y);
	if (ret == 0)
		ret = mbedtls_mpi_write_binary(&w->y, M + 33, 32);
	if (ret != 0)
		return crypto_err(ret, "ptenc");
	M[0] = 0x04;
	memcpy(M + 1, xb, 32);
	if (group_point_check(M) != 0) { /* cannot happen: the arithmetic is wrong */
		err_detail("ptenc: the point built is not on the curve");
		return ERR_INTERNAL;
	}
	return 0;
}

int ptenc_encode(const uint8_t *pt, size_t pt_len, uint8_t M[GROUP_POINT_LEN],
		 unsigned *j_out)
{
	mbedtls_ecp_group *grp = group_grp();
	struct ptenc_work w;
	uint8_t xb[32];
	int ret;

	if (pt_len < 1 || pt_len > PTENC_PT_MAX) {
		err_detail("plaintext of %zu bytes (1..%d)", pt_len, PTENC_PT_MAX);
		return ERR_RANGE;
	}
	if (grp == NULL)
		return ERR_NOMEM;
	memset(xb, 0, sizeof(xb));
	memcpy(xb + 1, pt, pt_len);
	ptenc_work_init(&w);
	ret = ptenc_find(grp, &w, xb);
	if (ret == 0)
		ret = ptenc_write(grp, &w, xb, M);
	if (ret == 0 && j_out != NULL)
		*j_out = xb[31];
	if (ret != 0)
		secmem_wipe(M, GROUP_POINT_LEN);
	ptenc_work_free(&w);
	WIPE_BUFFER(xb);
	return ret;
}

int ptenc_decode(const uint8_t M[GROUP_POINT_LEN], size_t pt_len, uint8_t *pt)
{
	const uint8_t *x = M + 1;
	uint8_t nonzero;
	size_t i;
	int ret;

	if (pt_len < 1 || pt_len > PTENC_PT_MAX) {
		err_detail("plaintext of %zu bytes (1..%d)", pt_len, PTENC_PT_MAX);
		return ERR_RANGE;
	}
	if ((ret = group_point_check(M)) != 0)
		return ret;
	nonzero = x[0];
	for (i = 1 + pt_len; i <= 30; i++)
		nonzero |= x[i];
	if (nonzero != 0) {
		memset(pt, 0, pt_len);
		err_detail("decrypted point: leading byte or padding not zero");
		return ERR_VERIFY;
	}
	memcpy(pt, x + 1, pt_len);
	return 0;
}
