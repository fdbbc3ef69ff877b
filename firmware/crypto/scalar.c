/*
 * Scalars of P-256: 32-byte big-endian integers mod n. Inputs are reduced
 * mod n first, so a hash output may be passed as is. The temporaries are
 * mbedTLS integers, which mbedtls_mpi_free() zeroizes.
 */
#include <string.h>

#include "lib/err.h"
#include "crypto/group.h"
#include "crypto/internal.h"
#include "crypto/rng.h"
#include "crypto/secmem.h"

/* The order n of P-256, big-endian (SEC 2, section 2.4.2). */
static const uint8_t scalar_n[32] = {
	0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17,
	0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
};

enum scalar_op { SCALAR_ADD, SCALAR_SUB, SCALAR_MUL, SCALAR_INV };

/* x = (big-endian buf) mod n */
static int scalar_load(const mbedtls_ecp_group *grp, mbedtls_mpi *x,
		       const uint8_t *buf, size_t len)
{
	int ret = mbedtls_mpi_read_binary(x, buf, len);

	if (ret == 0)
		ret = mbedtls_mpi_mod_mpi(x, x, &grp->N);
	return ret != 0 ? crypto_err(ret, "scalar") : 0;
}

static int scalar_apply(const mbedtls_ecp_group *grp, enum scalar_op op,
			mbedtls_mpi *x, const mbedtls_mpi *y)
{
	int ret = 0;

	switch (op) {
	case SCALAR_ADD:
		ret = mbedtls_mpi_add_mpi(x, x, y);
		break;
	case SCALAR_SUB:
		ret = mbedtls_mpi_sub_mpi(x, x, y);
		break;
	case SCALAR_MUL:
		ret = mbedtls_mpi_mul_mpi(x, x, y);
		break;
	case SCALAR_INV:
		if (mbedtls_mpi_cmp_int(x, 0) == 0) {
			err_detail("inverse of 0");
			return ERR_RANGE;
		}
		ret = mbedtls_mpi_inv_mod(x, x, &grp->N);
		break;
	}
	if (ret == 0)
		ret = mbedtls_mpi_mod_mpi(x, x, &grp->N); /* also lifts a negative difference */
	return ret != 0 ? crypto_err(ret, "scalar arithmetic") : 0;
}

/* r = a op b mod n (b unused for SCALAR_INV); r may alias a or b. */
static int scalar_op2(uint8_t r[32], const uint8_t a[32], const uint8_t *b,
		      enum scalar_op op)
{
	mbedtls_ecp_group *grp = group_grp();
	mbedtls_mpi x, y;
	int ret;

	if (grp == NULL)
		return ERR_NOMEM;
	mbedtls_mpi_init(&x);
	mbedtls_mpi_init(&y);
	ret = scalar_load(grp, &x, a, 32);
	if (ret == 0 && b != NULL)
		ret = scalar_load(grp, &y, b, 32);
	if (ret == 0)
		ret = scalar_apply(grp, op, &x, &y);
	if (ret == 0 && (ret = mbedtls_mpi_write_binary(&x, r, 32)) != 0)
		ret = crypto_err(ret, "scalar write");
	mbedtls_mpi_free(&x);
	mbedtls_mpi_free(&y);
	return ret;
}

int scalar_add(uint8_t r[32], const uint8_t a[32], const uint8_t b[32])
{
	return scalar_op2(r, a, b, SCALAR_ADD);
}

int scalar_sub(uint8_t r[32], const uint8_t a[32], const uint8_t b[32])
{
	return scalar_op2(r, a, b, SCALAR_SUB);
}

int scalar_mul(uint8_t r[32], const uint8_t a[32], const uint8_t b[32])
{
	return scalar_op2(r, a, b, SCALAR_MUL);
}

int scalar_inv(uint8_t r[32], const uint8_t a[32])
{
	return scalar_op2(r, a, NULL, SCALAR_INV);
}

void scalar_from_u32(uint8_t r[32], uint32_t v)
{
	memset(r, 0, 28);
	r[28] = (uint8_t)(v >> 24);
	r[29] = (uint8_t)(v >> 16);
	r[30] = (uint8_t)(v >> 8);
	r[31] = (uint8_t)v;
}

int scalar_reduce(uint8_t r[32], const uint8_t *buf, size_t len)
{
	mbedtls_ecp_group *grp = group_grp();
	mbedtls_mpi x;
	int ret;

	if (grp == NULL)
		return ERR_NOMEM;
	if (len > MBEDTLS_MPI_MAX_SIZE) {
		err_detail("scalar_reduce: %zu bytes", len);
		return ERR_RANGE;
	}
	mbedtls_mpi_init(&x);
	ret = scalar_load(grp, &x, buf, len);
	if (ret == 0 && (ret = mbedtls_mpi_write_binary(&x, r, 32)) != 0)
		ret = crypto_err(ret, "scalar write");
	mbedtls_mpi_free(&x);
	return ret;
}

int scalar_is_zero(const uint8_t a[32])
{
	unsigned acc = 0;
	size_t i;

	for (i = 0; i < 32; i++)
		acc |= a[i];
	return (int)(((acc - 1) >> 8) & 1);
}

int scalar_is_valid(const uint8_t a[32])
{
	unsigned borrow = 0;
	int i;

	/* a - n, from the least significant byte: a final borrow means a < n. */
	for (i = 31; i >= 0; i--)
		borrow = ((unsigned)a[i] - scalar_n[i] - borrow) >> 31;
	return (int)(borrow & (unsigned)(1 - scalar_is_zero(a)));
}

int scalar_random(struct rng *r, uint8_t out[32])
{
	int ret, tries;

	if (r == NULL) {
		err_detail("scalar_random: no DRBG");
		return ERR_INTERNAL;
	}
	/* n is just below 2^256: a draw is rejected with probability ~2^-32. */
	for (tries = 0; tries < 64; tries++) {
		ret = rng_bytes(r, out, 32);
		if (ret != 0)
			break;
		if (scalar_is_valid(out))
			return 0;
		ret = ERR_CRYPTO;
	}
	secmem_wipe(out, 32);
	if (ret == ERR_CRYPTO)
		err_detail("scalar_random: no valid draw");
	return ret;
}
