/*
 * Multi-scalar multiplication over mbedTLS's public API (msm.h).
 *
 * A bucket method (Pippenger) was written and measured (commit 76abb7b,
 * docs/SHUFFLE-V2-NOTES.md, "MSM"): with windows of c bits it costs about
 * ceil(257/c) * (n + 2^c) additions instead of n multiplications, and
 * through mbedTLS's public API each addition is a muladd with scalars 1,
 * which ends with a field inversion: it lost at 1,000, 10,000 and 100,000
 * terms, so only the naive sums remain.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/err.h"
#include "crypto/group_ext.h"
#include "crypto/internal.h"
#include "crypto/msm.h"

struct msm_in {
	mbedtls_ecp_point *P;
	mbedtls_mpi *k;
	size_t n;
};

static void msm_in_free(struct msm_in *in)
{
	for (size_t i = 0; in->P != NULL && i < in->n; i++)
		mbedtls_ecp_point_free(&in->P[i]);
	for (size_t i = 0; in->k != NULL && i < in->n; i++)
		mbedtls_mpi_free(&in->k[i]);
	free(in->P);
	free(in->k);
}

static int msm_in_load(mbedtls_ecp_group *grp, struct msm_in *in, const uint8_t (*k)[32],
		       const uint8_t (*p)[GROUP_POINT_LEN], size_t n)
{
	int ret = 0;

	in->n = n;
	in->P = calloc(n ? n : 1, sizeof(*in->P));
	in->k = calloc(n ? n : 1, sizeof(*in->k));
	if (in->P == NULL || in->k == NULL)
		return ERR_NOMEM;
	for (size_t i = 0; i < n; i++) {
		mbedtls_ecp_point_init(&in->P[i]);
		mbedtls_mpi_init(&in->k[i]);
	}
	for (size_t i = 0; i < n && ret == 0; i++) {
		ret = group_point_read(grp, &in->P[i], p[i]);
		if (ret == 0)
			ret = group_scalar_read(grp, &in->k[i], k[i], 0);
		if (ret != 0)
			err_detail("msm: term %zu: %s", i, err_last_detail());
	}
	return ret;
}

static int msm_naive(mbedtls_ecp_group *grp, mbedtls_ecp_point *acc, const struct msm_in *in,
		     int pairs)
{
	mbedtls_ecp_point t;
	mbedtls_mpi zero;
	int ret = 0;

	mbedtls_ecp_point_init(&t);
	mbedtls_mpi_init(&zero);
	for (size_t i = 0; i < in->n && ret == 0; i += pairs ? 2 : 1) {
		if (!pairs)
			ret = gx_mul_secret(grp, &t, &in->k[i], &in->P[i]);
		else if (i + 1 < in->n)
			ret = gx_muladd_public(grp, &t, &in->k[i], &in->P[i], &in->k[i + 1],
					       &in->P[i + 1]);
		else
			ret = gx_muladd_public(grp, &t, &in->k[i], &in->P[i], &zero, &in->P[i]);
		if (ret == 0)
			ret = gx_add(grp, acc, acc, &t);
	}
	mbedtls_ecp_point_free(&t);
	mbedtls_mpi_free(&zero);
	return ret;
}

int msm(enum msm_method method, uint8_t out[GROUP_POINT_LEN], const uint8_t (*k)[32],
	const uint8_t (*p)[GROUP_POINT_LEN], size_t n)
{
	mbedtls_ecp_group *grp = group_grp();
	struct msm_in in = { 0 };
	mbedtls_ecp_point acc;
	int ret;

	if (grp == NULL)
		return ERR_NOMEM;
	mbedtls_ecp_point_init(&acc);
	ret = msm_in_load(grp, &in, k, p, n);
	if (ret == 0)
		ret = mbedtls_ecp_set_zero(&acc) != 0 ? ERR_NOMEM : 0;
	if (ret == 0)
		ret = msm_naive(grp, &acc, &in, method == MSM_NAIVE_MULADD);
	if (ret == 0)
		ret = group_point_write(grp, &acc, out); /* ERR_VERIFY for infinity */
	mbedtls_ecp_point_free(&acc);
	msm_in_free(&in);
	return ret;
}

/* The timed loop of msm_bench_raw, apart from its setup. */
static int msm_bench_loop(mbedtls_ecp_group *grp, enum msm_raw op, unsigned count,
			  const mbedtls_mpi *k, const mbedtls_ecp_point *P,
			  const mbedtls_ecp_point *Q)
{
	mbedtls_ecp_point R;
	mbedtls_mpi one, zero;
	int ret = 0;

	mbedtls_ecp_point_init(&R);
	mbedtls_mpi_init(&one);
	mbedtls_mpi_init(&zero);
	ret = mbedtls_mpi_lset(&one, 1);
	for (unsigned i = 0; i < count && ret == 0; i++) {
		if (op == MSM_RAW_ADD)
			ret = mbedtls_ecp_muladd(grp, &R, &one, P, &one, Q);
		else if (op == MSM_RAW_MULADD)
			ret = mbedtls_ecp_muladd(grp, &R, k, P, k, Q);
		else
			ret = mbedtls_ecp_muladd(grp, &R, k, &grp->G, &zero, &grp->G);
	}
	mbedtls_ecp_point_free(&R);
	mbedtls_mpi_free(&one);
	mbedtls_mpi_free(&zero);
	return ret != 0 ? crypto_err(ret, "ecp_muladd") : 0;
}

int msm_bench_raw(enum msm_raw op, unsigned count)
{
	/* Arbitrary fixed scalar below n. */
	static const uint8_t kb[32] = {
		0x3b, 0x90, 0x7e, 0x12, 0xc5, 0x66, 0x0d, 0xa8, 0x4f, 0x21, 0x9c,
		0xe7, 0x58, 0x03, 0xb6, 0x7a, 0x14, 0xdd, 0x82, 0x6f, 0x39, 0xc0,
		0x25, 0x9b, 0x71, 0x4e, 0xe2, 0x08, 0xaf, 0x53, 0x96, 0x1c,
	};
	mbedtls_ecp_group *grp = group_grp();
	mbedtls_ecp_point P, Q;
	mbedtls_mpi k;
	int ret;

	if (grp == NULL)
		return ERR_NOMEM;
	mbedtls_mpi_init(&k);
	mbedtls_ecp_point_init(&P);
	mbedtls_ecp_point_init(&Q);
	ret = mbedtls_mpi_read_binary(&k, kb, sizeof(kb));
	if (ret == 0)
		ret = mbedtls_ecp_mul(grp, &P, &k, &grp->G, group_blind_rng, NULL);
	if (ret == 0)
		ret = mbedtls_ecp_mul(grp, &Q, &k, &P, group_blind_rng, NULL);
	if (ret == 0)
		ret = msm_bench_loop(grp, op, count, &k, &P, &Q);
	else
		ret = crypto_err(ret, "bench setup");
	mbedtls_mpi_free(&k);
	mbedtls_ecp_point_free(&P);
	mbedtls_ecp_point_free(&Q);
	return ret;
}
