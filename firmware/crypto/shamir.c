/*
 * Shamir t-of-m sharing of the election key over Z_n with Feldman
 * commitments (shamir.h). Everything computed from the secret is checked
 * against the public record before it leaves this file: a fault during the
 * ceremony must not produce shares that cannot rebuild the key.
 */
#include <string.h>

#include "lib/err.h"
#include "crypto/internal.h"
#include "crypto/secmem.h"
#include "crypto/shamir.h"

/* out = f(x) = sum_j coef[j] x^j mod n, by Horner. */
static int shamir_eval_poly(uint8_t coef[][32], unsigned t, unsigned x, uint8_t out[32])
{
	uint8_t xs[32];
	unsigned j;
	int ret = 0;

	scalar_from_u32(xs, x);
	memcpy(out, coef[t - 1], 32);
	for (j = t - 1; j-- > 0 && ret == 0;) {
		ret = scalar_mul(out, out, xs);
		if (ret == 0)
			ret = scalar_add(out, out, coef[j]);
	}
	if (ret != 0)
		secmem_wipe(out, 32);
	return ret;
}

/* out = sum_j x^j C_j, by Horner on points (public data: muladd is fine). */
static int shamir_eval_commit(const struct shamir_public *pub, unsigned x,
			      uint8_t out[GROUP_POINT_LEN])
{
	uint8_t xs[32], one[32];
	unsigned j;
	int ret = 0;

	scalar_from_u32(xs, x);
	scalar_from_u32(one, 1);
	memcpy(out, pub->commit[pub->t - 1], GROUP_POINT_LEN);
	for (j = pub->t - 1; j-- > 0 && ret == 0;)
		ret = group_muladd(out, xs, out, one, pub->commit[j]);
	return ret;
}

static int shamir_check_tm(unsigned t, unsigned m)
{
	if (t < 2 || t > m || m > SHAMIR_MAX) {
		err_detail("shamir: %u-of-%u (2 <= t <= m <= %d)", t, m, SHAMIR_MAX);
		return ERR_RANGE;
	}
	return 0;
}

/* Shares and their public keys from the coefficients. */
static int shamir_split(uint8_t coef[][32], unsigned t, unsigned m,
			uint8_t shares[][32], struct shamir_public *pub)
{
	unsigned i;
	int ret = 0;

	for (i = 1; i <= m && ret == 0; i++) {
		ret = shamir_eval_poly(coef, t, i, shares[i - 1]);
		/* group_mul_base refuses f(i) = 0 (probability 2^-256) */
		if (ret == 0)
			ret = group_mul_base(pub->share_pub[i - 1], shares[i - 1]);
	}
	return ret;
}

int shamir_generate(struct rng *r, unsigned t, unsigned m, uint8_t secret[32],
		    uint8_t shares[][32], struct shamir_public *pub)
{
	uint8_t coef[SHAMIR_MAX][32];
	unsigned j;
	int ret;

	if ((ret = shamir_check_tm(t, m)) != 0)
		return ret;
	memset(pub, 0, sizeof(*pub));
	pub->t = t;
	pub->m = m;
	for (j = 0; j < t; j++) {
		if ((ret = scalar_random(r, coef[j])) != 0 ||
		    (ret = group_mul_base(pub->commit[j], coef[j])) != 0)
			goto out;
	}
	memcpy(pub->pk, pub->commit[0], GROUP_POINT_LEN);
	if ((ret = shamir_split(coef, t, m, shares, pub)) != 0)
		goto out;
	memcpy(secret, coef[0], 32);
	ret = shamir_check_public(pub);
out:
	WIPE_BUFFER(coef);
	if (ret != 0) {
		secmem_wipe(secret, 32);
		secmem_wipe(shares, (size_t)m * 32);
	}
	return ret;
}

/* Y_index = sum_j index^j C_j, and pub->t, pub->m sane; 0 or ERR_VERIFY. */
static int shamir_check_index(const struct shamir_public *pub, unsigned index)
{
	uint8_t Y[GROUP_POINT_LEN];
	int ret = shamir_eval_commit(pub, index, Y);

	if (ret == ERR_FORMAT || ret == ERR_RANGE ||
	    (ret == 0 && memcmp(Y, pub->share_pub[index - 1], GROUP_POINT_LEN) != 0)) {
		err_detail("shamir: share key Y_%u does not match the commitments", index);
		return ERR_VERIFY;
	}
	return ret;
}

int shamir_check_public(const struct shamir_public *pub)
{
	unsigned i;
	int ret = 0;

	if (shamir_check_tm(pub->t, pub->m) != 0)
		return ERR_VERIFY;
	if (memcmp(pub->pk, pub->commit[0], GROUP_POINT_LEN) != 0) {
		err_detail("shamir: PK differs from C_0");
		return ERR_VERIFY;
	}
	/* group_muladd validates every C_j on the way. */
	for (i = 1; i <= pub->m && ret == 0; i++)
		ret = shamir_check_index(pub, i);
	return ret;
}

int shamir_check_share(const struct shamir_public *pub, unsigned index,
		       const uint8_t share[32])
{
	uint8_t Y[GROUP_POINT_LEN];
	int ret;

	if (shamir_check_tm(pub->t, pub->m) != 0)
		return ERR_VERIFY;
	if (index < 1 || index > pub->m) {
		err_detail("shamir: share index %u of %u", index, pub->m);
		return ERR_RANGE;
	}
	ret = group_mul_base(Y, share);
	if (ret == ERR_RANGE ||
	    (ret == 0 && memcmp(Y, pub->share_pub[index - 1], GROUP_POINT_LEN) != 0)) {
		err_detail("shamir: share %u does not match Y_%u", index, index);
		return ERR_VERIFY;
	}
	if (ret == 0)
		ret = shamir_check_index(pub, index);
	return ret;
}

/* lam = prod_{j != i} x_j / (x_j - x_i) mod n: Lagrange at 0. */
static int shamir_lagrange(const mbedtls_ecp_group *grp, unsigned k, const unsigned idx[],
			   unsigned i, mbedtls_mpi *lam)
{
	mbedtls_mpi den, d;
	unsigned j;
	int ret;

	mbedtls_mpi_init(&den);
	mbedtls_mpi_init(&d);
	ret = mbedtls_mpi_lset(lam, 1);
	if (ret == 0)
		ret = mbedtls_mpi_lset(&den, 1);
	for (j = 0; j < k && ret == 0; j++) {
		if (j == i)
			continue;
		ret = mbedtls_mpi_mul_int(lam, lam, idx[j]);
		if (ret == 0)
			ret = mbedtls_mpi_lset(&d, (mbedtls_mpi_sint)idx[j] - (mbedtls_mpi_sint)idx[i]);
		if (ret == 0)
			ret = mbedtls_mpi_mul_mpi(&den, &den, &d);
	}
	if (ret == 0)
		ret = mbedtls_mpi_mod_mpi(&den, &den, &grp->N);
	if (ret == 0)
		ret = mbedtls_mpi_inv_mod(&den, &den, &grp->N);
	if (ret == 0)
		ret = mbedtls_mpi_mul_mpi(lam, lam, &den);
	if (ret == 0)
		ret = mbedtls_mpi_mod_mpi(lam, lam, &grp->N);
	mbedtls_mpi_free(&den);
	mbedtls_mpi_free(&d);
	return ret != 0 ? crypto_err(ret, "lagrange") : 0;
}

static int shamir_check_indices(unsigned k, const unsigned idx[])
{
	unsigned i, j;

	if (k < 1 || k > 255) {
		err_detail("shamir: %u shares", k);
		return ERR_RANGE;
	}
	for (i = 0; i < k; i++) {
		for (j = 0; j < i && idx[i] >= 1 && idx[i] <= 255; j++)
			if (idx[j] == idx[i])
				break;
		if (idx[i] < 1 || idx[i] > 255 || j < i) {
			err_detail("shamir: share index %u invalid or repeated", idx[i]);
			return ERR_RANGE;
		}
	}
	return 0;
}

int shamir_combine(unsigned k, const unsigned idx[], const uint8_t shares[][32],
		   uint8_t secret[32])
{
	mbedtls_ecp_group *grp = group_grp();
	mbedtls_mpi acc, lam, si;
	unsigned i;
	int ret;

	if (grp == NULL)
		return ERR_NOMEM;
	if ((ret = shamir_check_indices(k, idx)) != 0)
		return ret;
	mbedtls_mpi_init(&acc);
	mbedtls_mpi_init(&lam);
	mbedtls_mpi_init(&si);
	for (i = 0; i < k && ret == 0; i++) {
		if ((ret = group_scalar_read(grp, &si, shares[i], 0)) != 0 ||
		    (ret = shamir_lagrange(grp, k, idx, i, &lam)) != 0)
			break;
		if ((ret = mbedtls_mpi_mul_mpi(&si, &si, &lam)) != 0 ||
		    (ret = mbedtls_mpi_add_mpi(&acc, &acc, &si)) != 0 ||
		    (ret = mbedtls_mpi_mod_mpi(&acc, &acc, &grp->N)) != 0)
			ret = crypto_err(ret, "combine");
	}
	if (ret == 0 && (ret = mbedtls_mpi_write_binary(&acc, secret, 32)) != 0)
		ret = crypto_err(ret, "combine");
	if (ret != 0)
		secmem_wipe(secret, 32);
	mbedtls_mpi_free(&acc); /* zeroize the secret and the shares' traces */
	mbedtls_mpi_free(&lam);
	mbedtls_mpi_free(&si);
	return ret;
}

int shamir_check_secret(const uint8_t pk[GROUP_POINT_LEN], const uint8_t secret[32])
{
	uint8_t Y[GROUP_POINT_LEN];
	int ret = group_mul_base(Y, secret);

	if (ret == ERR_RANGE || (ret == 0 && secmem_ct_compare(Y, pk, GROUP_POINT_LEN) != 0)) {
		err_detail("shamir: secret does not match PK");
		return ERR_VERIFY;
	}
	return ret;
}
