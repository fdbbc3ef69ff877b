/* ECDSA P-256 / SHA-256 with raw r || s signatures and their low-s form
 * (sig.h), through mbedTLS. */
#include <mbedtls/ecdsa.h>

#include "lib/err.h"
#include "crypto/internal.h"
#include "crypto/secmem.h"
#include "crypto/sig.h"

int sig_keygen(struct rng *r, uint8_t priv[32], uint8_t pub[GROUP_POINT_LEN])
{
	int ret = scalar_random(r, priv);

	if (ret == 0)
		ret = group_mul_base(pub, priv);
	if (ret != 0)
		secmem_wipe(priv, 32);
	return ret;
}

int sig_public(const uint8_t priv[32], uint8_t pub[GROUP_POINT_LEN])
{
	return group_mul_base(pub, priv);
}

int sig_sign(const uint8_t priv[32], const uint8_t digest[32], uint8_t sig[SIG_LEN])
{
	mbedtls_ecp_group *grp = group_grp();
	mbedtls_mpi d, r, s;
	int ret;

	if (grp == NULL)
		return ERR_NOMEM;
	mbedtls_mpi_init(&d);
	mbedtls_mpi_init(&r);
	mbedtls_mpi_init(&s);
	if ((ret = group_scalar_read(grp, &d, priv, 1)) != 0)
		goto out;
	/* RFC 6979 nonce; the RNG only blinds the computation. */
	ret = mbedtls_ecdsa_sign_det_ext(grp, &r, &s, &d, digest, 32, MBEDTLS_MD_SHA256,
					 group_blind_rng, NULL);
	if (ret == 0)
		ret = mbedtls_mpi_write_binary(&r, sig, 32);
	if (ret == 0)
		ret = mbedtls_mpi_write_binary(&s, sig + 32, 32);
	if (ret != 0)
		ret = crypto_err(ret, "ecdsa sign");
out:
	mbedtls_mpi_free(&d);
	mbedtls_mpi_free(&r);
	mbedtls_mpi_free(&s);
	return ret;
}

int sig_verify(const uint8_t pub[GROUP_POINT_LEN], const uint8_t digest[32],
	       const uint8_t sig[SIG_LEN])
{
	mbedtls_ecp_group *grp = group_grp();
	mbedtls_ecp_point Q;
	mbedtls_mpi r, s;
	int ret;

	if (grp == NULL)
		return ERR_NOMEM;
	mbedtls_ecp_point_init(&Q);
	mbedtls_mpi_init(&r);
	mbedtls_mpi_init(&s);
	if ((ret = group_point_read(grp, &Q, pub)) != 0)
		goto out;
	if ((ret = mbedtls_mpi_read_binary(&r, sig, 32)) != 0 ||
	    (ret = mbedtls_mpi_read_binary(&s, sig + 32, 32)) != 0) {
		ret = crypto_err(ret, "ecdsa verify");
		goto out;
	}
	/* mbedTLS rejects r, s outside [1, n-1] as an invalid signature. */
	ret = mbedtls_ecdsa_verify(grp, digest, 32, &Q, &r, &s);
	if (ret == MBEDTLS_ERR_ECP_VERIFY_FAILED || ret == MBEDTLS_ERR_ECP_BAD_INPUT_DATA ||
	    ret == MBEDTLS_ERR_ECP_INVALID_KEY) {
		err_detail("ecdsa: signature does not verify");
		ret = ERR_VERIFY;
	} else if (ret != 0) {
		ret = crypto_err(ret, "ecdsa verify");
	}
out:
	mbedtls_ecp_point_free(&Q);
	mbedtls_mpi_free(&r);
	mbedtls_mpi_free(&s);
	return ret;
}

/* s read, checked in [1, n-1], and compared with (n-1)/2 = n >> 1 (n odd). */
static int sig_s_read(mbedtls_ecp_group *grp, const uint8_t sig[SIG_LEN], mbedtls_mpi *s,
		      int *high)
{
	mbedtls_mpi half, r;
	int ret;

	mbedtls_mpi_init(&half);
	mbedtls_mpi_init(&r);
	ret = group_scalar_read(grp, &r, sig, 1);
	if (!ret)
		ret = group_scalar_read(grp, s, sig + 32, 1);
	if (ret) {
		err_detail("ecdsa: r or s out of [1, n-1]");
		ret = ERR_FORMAT;
		goto out;
	}
	if ((ret = mbedtls_mpi_copy(&half, &grp->N)) != 0 ||
	    (ret = mbedtls_mpi_shift_r(&half, 1)) != 0) {
		ret = crypto_err(ret, "ecdsa low s");
		goto out;
	}
	*high = mbedtls_mpi_cmp_mpi(s, &half) > 0;
out:
	mbedtls_mpi_free(&half);
	mbedtls_mpi_free(&r);
	return ret;
}

int sig_normalize(uint8_t sig[SIG_LEN])
{
	mbedtls_ecp_group *grp = group_grp();
	mbedtls_mpi s;
	int high = 0, ret;

	if (grp == NULL)
		return ERR_NOMEM;
	mbedtls_mpi_init(&s);
	ret = sig_s_read(grp, sig, &s, &high);
	if (!ret && high) {
		ret = mbedtls_mpi_sub_mpi(&s, &grp->N, &s);
		if (!ret)
			ret = mbedtls_mpi_write_binary(&s, sig + 32, 32);
		if (ret)
			ret = crypto_err(ret, "ecdsa normalize");
	}
	mbedtls_mpi_free(&s);
	return ret;
}

int sig_is_low_s(const uint8_t sig[SIG_LEN])
{
	mbedtls_ecp_group *grp = group_grp();
	mbedtls_mpi s;
	int high = 1;

	if (grp == NULL)
		return 0;
	mbedtls_mpi_init(&s);
	if (sig_s_read(grp, sig, &s, &high) != 0)
		high = 1;
	mbedtls_mpi_free(&s);
	return !high;
}
