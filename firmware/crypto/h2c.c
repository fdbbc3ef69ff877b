/*
 * RFC 9380 hash_to_curve for P-256 (h2c.h), written from the RFC's
 * definitions over mbedTLS's bignum and point API: field elements are
 * mbedtls_mpi reduced mod p after each operation, inversions and square
 * roots are exponentiations (p = 3 mod 4), and the two mapped points are
 * added by mbedTLS.
 */
#include <string.h>

#include <mbedtls/sha256.h>

#include "lib/err.h"
#include "crypto/group_ext.h"
#include "crypto/h2c.h"
#include "crypto/internal.h"

#define H2C_OVERSIZE_TAG "H2C-OVERSIZE-DST-"
#define H2C_L 48 /* ceil((ceil(log2(p)) + k) / 8), k = 128 (section 8.2) */
#define H2C_Z (-10)

/* -B / A = B / 3 mod p: x1 of step 2 (section 6.6.2). */
static const uint8_t h2c_minus_b_over_a[32] = {
	0x73, 0x97, 0x67, 0x47, 0xe3, 0x68, 0xdb, 0xf8, 0x3b, 0xf9, 0x3f, 0x1c, 0x7c,
	0xdd, 0x82, 0x3e, 0xcc, 0x5f, 0x02, 0x3b, 0x44, 0x1b, 0xe5, 0xa7, 0x69, 0x44,
	0xbe, 0xbf, 0x62, 0x9b, 0x75, 0x6e,
};
/* B / (Z * A) = B / 30 mod p: x1 when tv1 = 0 (step 3). */
static const uint8_t h2c_b_over_za[32] = {
	0xa5, 0x28, 0xbd, 0x86, 0x96, 0xbd, 0xaf, 0x99, 0x6c, 0x65, 0xb9, 0x82, 0xd9,
	0x49, 0x59, 0xd3, 0x14, 0x6f, 0xe6, 0xa0, 0x20, 0x69, 0x30, 0x90, 0xbd, 0xba,
	0x13, 0x13, 0x23, 0x75, 0xf2, 0x24,
};

/* SHA-256 of up to four byte strings (NULL ones skipped). */
static int h2c_sha(uint8_t out[32], const void *a, size_t alen, const void *b, size_t blen,
		   const void *c, size_t clen, const void *d, size_t dlen)
{
	mbedtls_sha256_context ctx;
	int ret;

	mbedtls_sha256_init(&ctx);
	ret = mbedtls_sha256_starts(&ctx, 0);
	if (ret == 0 && a != NULL)
		ret = mbedtls_sha256_update(&ctx, a, alen);
	if (ret == 0 && b != NULL)
		ret = mbedtls_sha256_update(&ctx, b, blen);
	if (ret == 0 && c != NULL)
		ret = mbedtls_sha256_update(&ctx, c, clen);
	if (ret == 0 && d != NULL)
		ret = mbedtls_sha256_update(&ctx, d, dlen);
	if (ret == 0)
		ret = mbedtls_sha256_finish(&ctx, out);
	mbedtls_sha256_free(&ctx);
	return ret != 0 ? crypto_err(ret, "sha256") : 0;
}

/* DST_prime = DST || I2OSP(len(DST), 1), a long DST hashed first (5.3.3). */
static int h2c_dst_prime(const void *dst, size_t dst_len, uint8_t out[256], size_t *out_len)
{
	int ret;

	if (dst_len > 255) {
		ret = h2c_sha(out, H2C_OVERSIZE_TAG, strlen(H2C_OVERSIZE_TAG), dst, dst_len,
			      NULL, 0, NULL, 0);
		if (ret != 0)
			return ret;
		dst_len = 32;
	} else {
		memcpy(out, dst, dst_len);
	}
	out[dst_len] = (uint8_t)dst_len;
	*out_len = dst_len + 1;
	return 0;
}

/* expand_message_xmd, section 5.3.1, with H = SHA-256 (b = 32, s = 64 bytes). */
int h2c_expand_xmd(const void *msg, size_t msg_len, const void *dst, size_t dst_len,
		   uint8_t *out, size_t out_len)
{
	static const uint8_t z_pad[64];
	uint8_t dstp[256], b0[32], bi[32], tail[3];
	size_t dstp_len, ell = (out_len + 31) / 32, i, k;
	int ret;

	if (out_len == 0 || out_len > H2C_XMD_MAX || dst_len == 0) {
		err_detail("expand_message_xmd: length %zu, DST %zu bytes", out_len, dst_len);
		return ERR_RANGE;
	}
	ret = h2c_dst_prime(dst, dst_len, dstp, &dstp_len);
	/* msg_prime = Z_pad || msg || I2OSP(len_in_bytes, 2) || I2OSP(0, 1) || DST_prime */
	tail[0] = (uint8_t)(out_len >> 8);
	tail[1] = (uint8_t)out_len;
	tail[2] = 0;
	if (ret == 0)
		ret = h2c_sha(b0, z_pad, sizeof(z_pad), msg, msg_len, tail, 3, dstp, dstp_len);
	memset(bi, 0, sizeof(bi)); /* b_1 = H(b_0 || 1 || DST_prime): b_0 xor 0 */
	for (i = 1; ret == 0 && i <= ell; i++) {
		uint8_t x[33];

		for (k = 0; k < 32; k++)
			x[k] = b0[k] ^ bi[k];
		x[32] = (uint8_t)i;
		ret = h2c_sha(bi, x, sizeof(x), dstp, dstp_len, NULL, 0, NULL, 0);
		memcpy(out + (i - 1) * 32, bi, i < ell ? 32 : out_len - (i - 1) * 32);
	}
	return ret;
}

/* r = a*b mod p, r = a+b mod p, r = a-b mod p (r may alias a or b). */
static int f_mul(mbedtls_mpi *r, const mbedtls_mpi *a, const mbedtls_mpi *b,
		 const mbedtls_mpi *p)
{
	int ret = mbedtls_mpi_mul_mpi(r, a, b);

	return ret != 0 ? ret : mbedtls_mpi_mod_mpi(r, r, p);
}

static int f_add(mbedtls_mpi *r, const mbedtls_mpi *a, const mbedtls_mpi *b,
		 const mbedtls_mpi *p)
{
	int ret = mbedtls_mpi_add_mpi(r, a, b);

	return ret != 0 ? ret : mbedtls_mpi_mod_mpi(r, r, p);
}

/* g(x) = x^3 + A*x + B with A = -3. */
static int f_curve(const mbedtls_ecp_group *grp, mbedtls_mpi *gx, const mbedtls_mpi *x)
{
	mbedtls_mpi t;
	int ret;

	mbedtls_mpi_init(&t);
	ret = f_mul(&t, x, x, &grp->P);
	if (ret == 0)
		ret = mbedtls_mpi_sub_int(&t, &t, 3);
	if (ret == 0)
		ret = f_mul(&t, &t, x, &grp->P);
	if (ret == 0)
		ret = f_add(gx, &t, &grp->B, &grp->P);
	mbedtls_mpi_free(&t);
	return ret;
}

/* y = sqrt(gx) = gx^((p+1)/4) when gx is a square (then *square = 1). */
static int f_sqrt(const mbedtls_ecp_group *grp, mbedtls_mpi *y, const mbedtls_mpi *gx,
		  int *square)
{
	mbedtls_mpi e, t;
	int ret;

	mbedtls_mpi_init(&e);
	mbedtls_mpi_init(&t);
	ret = mbedtls_mpi_add_int(&e, &grp->P, 1);
	if (ret == 0)
		ret = mbedtls_mpi_shift_r(&e, 2);
	if (ret == 0)
		ret = mbedtls_mpi_exp_mod(y, gx, &e, &grp->P, NULL);
	if (ret == 0)
		ret = f_mul(&t, y, y, &grp->P);
	if (ret == 0)
		*square = mbedtls_mpi_cmp_mpi(&t, gx) == 0;
	mbedtls_mpi_free(&e);
	mbedtls_mpi_free(&t);
	return ret;
}

/* Steps 1-3: tv1 = inv0(Z^2 u^4 + Z u^2); x1 = (-B/A)(1 + tv1), or B/(ZA)
 * if tv1 = 0. zu2 = Z*u^2 is kept for step 5. */
static int h2c_x1(const mbedtls_ecp_group *grp, const mbedtls_mpi *u, mbedtls_mpi *zu2,
		  mbedtls_mpi *x1)
{
	mbedtls_mpi t, e;
	int ret;

	mbedtls_mpi_init(&t);
	mbedtls_mpi_init(&e);
	ret = f_mul(zu2, u, u, &grp->P);
	if (ret == 0)
		ret = mbedtls_mpi_mul_int(zu2, zu2, (mbedtls_mpi_uint)-H2C_Z);
	if (ret == 0) /* Z u^2 = -(10 u^2) */
		ret = mbedtls_mpi_sub_mpi(zu2, &grp->P, zu2);
	if (ret == 0)
		ret = mbedtls_mpi_mod_mpi(zu2, zu2, &grp->P);
	if (ret == 0) /* Z^2 u^4 + Z u^2 = zu2 * (zu2 + 1) */
		ret = mbedtls_mpi_add_int(&t, zu2, 1);
	if (ret == 0)
		ret = f_mul(&t, &t, zu2, &grp->P);
	if (ret == 0) /* inv0(t) = t^(p-2): 0 stays 0 */
		ret = mbedtls_mpi_sub_int(&e, &grp->P, 2);
	if (ret == 0)
		ret = mbedtls_mpi_exp_mod(&t, &t, &e, &grp->P, NULL);
	if (ret == 0 && mbedtls_mpi_cmp_int(&t, 0) == 0)
		ret = mbedtls_mpi_read_binary(x1, h2c_b_over_za, 32);
	else if (ret == 0) {
		ret = mbedtls_mpi_add_int(&t, &t, 1);
		if (ret == 0)
			ret = mbedtls_mpi_read_binary(&e, h2c_minus_b_over_a, 32);
		if (ret == 0)
			ret = f_mul(x1, &t, &e, &grp->P);
	}
	mbedtls_mpi_free(&t);
	mbedtls_mpi_free(&e);
	return ret;
}

/* Steps 4-9 of map_to_curve_simple_swu (section 6.6.2): x, y of the point. */
static int h2c_map_xy(const mbedtls_ecp_group *grp, const mbedtls_mpi *u, mbedtls_mpi *x,
		      mbedtls_mpi *y)
{
	mbedtls_mpi zu2, gx;
	int ret, square = 0;

	mbedtls_mpi_init(&zu2);
	mbedtls_mpi_init(&gx);
	ret = h2c_x1(grp, u, &zu2, x);
	if (ret == 0)
		ret = f_curve(grp, &gx, x);
	if (ret == 0)
		ret = f_sqrt(grp, y, &gx, &square);
	if (ret == 0 && !square) { /* x2 = Z u^2 x1, whose g(x2) is then a square */
		ret = f_mul(x, &zu2, x, &grp->P);
		if (ret == 0)
			ret = f_curve(grp, &gx, x);
		if (ret == 0)
			ret = f_sqrt(grp, y, &gx, &square);
		if (ret == 0 && !square)
			ret = MBEDTLS_ERR_ECP_BAD_INPUT_DATA; /* impossible: Z is a non-square */
	}
	/* sgn0(u) != sgn0(y): y = -y (y = 0 is its own negation) */
	if (ret == 0 && mbedtls_mpi_get_bit(u, 0) != mbedtls_mpi_get_bit(y, 0) &&
	    mbedtls_mpi_cmp_int(y, 0) != 0)
		ret = mbedtls_mpi_sub_mpi(y, &grp->P, y);
	mbedtls_mpi_free(&zu2);
	mbedtls_mpi_free(&gx);
	return ret;
}

/* q = map_to_curve(u) as 65 bytes (mbedTLS keeps a point's coordinates
 * private: the point is built from its encoding). */
static int h2c_map(const mbedtls_ecp_group *grp, const mbedtls_mpi *u,
		   uint8_t q[GROUP_POINT_LEN])
{
	mbedtls_mpi x, y;
	int ret;

	mbedtls_mpi_init(&x);
	mbedtls_mpi_init(&y);
	ret = h2c_map_xy(grp, u, &x, &y);
	q[0] = 0x04;
	if (ret == 0)
		ret = mbedtls_mpi_write_binary(&x, q + 1, 32);
	if (ret == 0)
		ret = mbedtls_mpi_write_binary(&y, q + 33, 32);
	mbedtls_mpi_free(&x);
	mbedtls_mpi_free(&y);
	return ret != 0 ? crypto_err(ret, "map_to_curve") : 0;
}

int h2c_hash_to_field(const void *msg, size_t msg_len, const void *dst, size_t dst_len,
		      uint8_t u[2][32])
{
	mbedtls_ecp_group *grp = group_grp();
	uint8_t bytes[2 * H2C_L];
	mbedtls_mpi e;
	int ret, i;

	if (grp == NULL)
		return ERR_NOMEM;
	ret = h2c_expand_xmd(msg, msg_len, dst, dst_len, bytes, sizeof(bytes));
	mbedtls_mpi_init(&e);
	for (i = 0; ret == 0 && i < 2; i++) {
		ret = mbedtls_mpi_read_binary(&e, bytes + i * H2C_L, H2C_L);
		if (ret == 0)
			ret = mbedtls_mpi_mod_mpi(&e, &e, &grp->P);
		if (ret == 0)
			ret = mbedtls_mpi_write_binary(&e, u[i], 32);
		if (ret != 0)
			ret = crypto_err(ret, "hash_to_field");
	}
	mbedtls_mpi_free(&e);
	return ret;
}

/* Reads a field element u < p. */
static int h2c_read_u(const mbedtls_ecp_group *grp, mbedtls_mpi *u, const uint8_t in[32])
{
	int ret = mbedtls_mpi_read_binary(u, in, 32);

	if (ret != 0)
		return crypto_err(ret, "field element");
	if (mbedtls_mpi_cmp_mpi(u, &grp->P) >= 0) {
		err_detail("field element not below p");
		return ERR_RANGE;
	}
	return 0;
}

int h2c_map_to_curve(const uint8_t u[32], uint8_t q[GROUP_POINT_LEN])
{
	mbedtls_ecp_group *grp = group_grp();
	mbedtls_mpi e;
	int ret;

	if (grp == NULL)
		return ERR_NOMEM;
	mbedtls_mpi_init(&e);
	ret = h2c_read_u(grp, &e, u);
	if (ret == 0)
		ret = h2c_map(grp, &e, q);
	mbedtls_mpi_free(&e);
	return ret;
}

int h2c_hash_to_curve(const void *msg, size_t msg_len, const void *dst, size_t dst_len,
		      uint8_t p[GROUP_POINT_LEN])
{
	mbedtls_ecp_group *grp = group_grp();
	mbedtls_ecp_point Q0, Q1;
	mbedtls_mpi e;
	uint8_t u[2][32], q[2][GROUP_POINT_LEN];
	int ret;

	if (grp == NULL)
		return ERR_NOMEM;
	mbedtls_mpi_init(&e);
	mbedtls_ecp_point_init(&Q0);
	mbedtls_ecp_point_init(&Q1);
	ret = h2c_hash_to_field(msg, msg_len, dst, dst_len, u);
	for (int i = 0; i < 2 && ret == 0; i++) {
		ret = h2c_read_u(grp, &e, u[i]);
		if (ret == 0)
			ret = h2c_map(grp, &e, q[i]);
	}
	/* reading checks that both are on the curve */
	if (ret == 0)
		ret = group_point_read(grp, &Q0, q[0]);
	if (ret == 0)
		ret = group_point_read(grp, &Q1, q[1]);
	if (ret == 0) /* clear_cofactor: h_eff = 1 */
		ret = gx_add(grp, &Q0, &Q0, &Q1);
	if (ret == 0 && mbedtls_ecp_is_zero(&Q0)) {
		err_detail("hash_to_curve: the point at infinity");
		ret = ERR_CRYPTO;
	}
	if (ret == 0)
		ret = group_point_write(grp, &Q0, p);
	mbedtls_mpi_free(&e);
	mbedtls_ecp_point_free(&Q0);
	mbedtls_ecp_point_free(&Q1);
	return ret;
}
