/*
 * Multi-scalar multiplication: out = sum of k_i * P_i. mbedTLS has no such
 * call, only two-term muladd, and no public way to add points without
 * normalising each sum (a field inversion): a bucket method over it loses
 * to the plain sum (docs/SHUFFLE-V2-NOTES.md, "MSM"), which is what this is;
 * sceau-bench msm measures its two forms.
 *
 * Scalars are 32 bytes big-endian below n (zero allowed), points 65-byte
 * SEC1 uncompressed and validated. Returns 0, ERR_VERIFY if the sum is the
 * point at infinity (no encoding), ERR_FORMAT / ERR_RANGE for a bad point or
 * scalar, ERR_NOMEM, ERR_CRYPTO.
 */
#ifndef SCEAU_CRYPTO_MSM_H
#define SCEAU_CRYPTO_MSM_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/group.h"

enum msm_method {
	MSM_NAIVE_MUL,    /* one blinded mbedtls_ecp_mul per term, then an addition */
	MSM_NAIVE_MULADD, /* mbedtls_ecp_muladd on pairs of terms (PUBLIC scalars only) */
};

int msm(enum msm_method method, uint8_t out[GROUP_POINT_LEN], const uint8_t (*k)[32],
	const uint8_t (*p)[GROUP_POINT_LEN], size_t n);

/*
 * Raw mbedTLS rates for sceau-bench: count calls of mbedtls_ecp_muladd
 * directly (nothing of Sceau around it), with
 *   MSM_RAW_ADD:    scalars 1 and 1, i.e. one addition and its normalisation;
 *   MSM_RAW_MULADD: two 256-bit scalars on two points other than G;
 *   MSM_RAW_FIXED:  one 256-bit scalar on G (the precomputed table), no blinding.
 * The caller times it.
 */
enum msm_raw { MSM_RAW_ADD, MSM_RAW_MULADD, MSM_RAW_FIXED };
int msm_bench_raw(enum msm_raw op, unsigned count);

#endif
