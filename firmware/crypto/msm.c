/*
 * Multi-scalar multiplication over mbedTLS's public API (msm.h).
 *
 * The bucket method (Pippenger) trades multiplications for additions:
 * with windows of c bits it costs about ceil(257/c) * (n + 2^c) additions
 * instead of n multiplications. It wins when an addition is much cheaper
 * than a multiplication; through mbedTLS's public API each addition is a
 * muladd with scalars 1, which ends with a field inversion.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/err.h"
#include "crypto/group_ext.h"
#include "crypto/internal.h"
#include "crypto/msm.h"

#define MSM_BITS 257 /* 256-bit scalars, one more for the signed digits' carry */

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

unsigned msm_bucket_window(size_t n)
{
	unsigned c, best = 1;
	double cost, best_cost = 0;

	/* additions: per window n into the buckets, 2 * 2^(c-1) to sum them */
	for (c = 1; c <= 20; c++) {
		cost = (double)((MSM_BITS + c - 1) / c) * ((double)n + (double)(1u << c));
		if (c == 1 || cost < best_cost) {
			best = c;
			best_cost = cost;
		}
	}
	return best;
}

/* Signed digits of width c, in (-2^(c-1), 2^(c-1)], least significant first. */
static void msm_recode(const mbedtls_mpi *k, unsigned c, unsigned windows, int32_t *d)
{
	unsigned w, b, carry = 0;

	for (w = 0; w < windows; w++) {
		unsigned v = 0;

		for (b = 0; b < c; b++)
			v |= (unsigned)mbedtls_mpi_get_bit(k, w * c + b) << b;
		v += carry;
		carry = v > (1u << (c - 1));
		d[w] = carry ? (int32_t)v - (int32_t)(1u << c) : (int32_t)v;
	}
}

/* One window: the buckets filled from the digits, then summed with weights
 * 1..B by a running sum (2 additions per bucket). */
static int msm_window(mbedtls_ecp_group *grp, mbedtls_ecp_point *bk, unsigned nb,
		      const struct msm_in *in, const int32_t *dig, unsigned windows, unsigned w,
		      mbedtls_ecp_point *sum)
{
	mbedtls_ecp_point run;
	int ret = 0;
	unsigned b;

	for (b = 0; b < nb && ret == 0; b++)
		ret = mbedtls_ecp_set_zero(&bk[b]);
	for (size_t i = 0; i < in->n && ret == 0; i++) {
		int32_t d = dig[i * windows + w];

		if (d > 0)
			ret = gx_add(grp, &bk[d - 1], &bk[d - 1], &in->P[i]);
		else if (d < 0)
			ret = gx_sub(grp, &bk[-d - 1], &bk[-d - 1], &in->P[i]);
	}
	mbedtls_ecp_point_init(&run);
	if (ret == 0)
		ret = mbedtls_ecp_set_zero(&run);
	if (ret == 0)
		ret = mbedtls_ecp_set_zero(sum);
	for (b = nb; b-- > 0 && ret == 0;) {
		ret = gx_add(grp, &run, &run, &bk[b]);
		if (ret == 0)
			ret = gx_add(grp, sum, sum, &run);
	}
	mbedtls_ecp_point_free(&run);
	return ret;
}

static int msm_bucket(mbedtls_ecp_group *grp, mbedtls_ecp_point *acc, const struct msm_in *in)
{
	unsigned c = msm_bucket_window(in->n), windows = (MSM_BITS + c - 1) / c;
	unsigned nb = 1u << (c - 1), w, b;
	int32_t *dig = calloc(in->n ? in->n * windows : 1, sizeof(*dig));
	mbedtls_ecp_point *bk = calloc(nb, sizeof(*bk)), sum;
	int ret = dig != NULL && bk != NULL ? 0 : ERR_NOMEM;

	mbedtls_ecp_point_init(&sum);
	for (b = 0; bk != NULL && b < nb; b++)
		mbedtls_ecp_point_init(&bk[b]);
	for (size_t i = 0; i < in->n && ret == 0; i++)
		msm_recode(&in->k[i], c, windows, dig + i * windows);
	for (w = windows; w-- > 0 && ret == 0;) {
		for (b = 0; b < c && ret == 0 && !mbedtls_ecp_is_zero(acc); b++)
			ret = gx_add(grp, acc, acc, acc); /* doubling */
		if (ret == 0)
			ret = msm_window(grp, bk, nb, in, dig, windows, w, &sum);
		if (ret == 0)
			ret = gx_add(grp, acc, acc, &sum);
	}
	for (b = 0; bk != NULL && b < nb; b++)
		mbedtls_ecp_point_free(&bk[b]);
	mbedtls_ecp_point_free(&sum);
	free(bk);
	free(dig);
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
		ret = method == MSM_BUCKET ? msm_bucket(grp, &acc, &in)
					   : msm_naive(grp, &acc, &in, method == MSM_NAIVE_MULADD);
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
