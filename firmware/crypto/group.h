/*
 * The group: NIST P-256. Points are SEC1 uncompressed (65 bytes, 0x04||X||Y)
 * and every point taken from outside is validated (on the curve, not the
 * point at infinity) by group_point_check or by the functions below, which
 * return ERR_FORMAT for an invalid point. Scalars are 32-byte big-endian
 * integers mod n. Scalar multiplications use blinding with a thread-local
 * DRBG (the caller does not pass an RNG); functions are thread-safe.
 */
#ifndef SCEAU_CRYPTO_GROUP_H
#define SCEAU_CRYPTO_GROUP_H

#include <stddef.h>
#include <stdint.h>

#define GROUP_POINT_LEN 65
#define GROUP_SCALAR_LEN 32

struct rng;

int group_point_check(const uint8_t p[GROUP_POINT_LEN]);
/* out = k*G; k in [1, n-1] else ERR_RANGE. */
int group_mul_base(uint8_t out[GROUP_POINT_LEN], const uint8_t k[GROUP_SCALAR_LEN]);
/* out = k*P; P validated; k in [1, n-1]. */
int group_mul(uint8_t out[GROUP_POINT_LEN], const uint8_t k[GROUP_SCALAR_LEN],
	      const uint8_t p[GROUP_POINT_LEN]);
/* out = a*P + b*Q (a, b may be 0; result must not be infinity: ERR_VERIFY).
 * Not constant time: for public scalars only (proof and share checks). */
int group_muladd(uint8_t out[GROUP_POINT_LEN], const uint8_t a[GROUP_SCALAR_LEN],
		 const uint8_t p[GROUP_POINT_LEN], const uint8_t b[GROUP_SCALAR_LEN],
		 const uint8_t q[GROUP_POINT_LEN]);
/* out = a*G + b*Q, as group_muladd with P = G (no G to pass or parse). */
int group_muladd_base(uint8_t out[GROUP_POINT_LEN], const uint8_t a[GROUP_SCALAR_LEN],
		      const uint8_t b[GROUP_SCALAR_LEN], const uint8_t q[GROUP_POINT_LEN]);
/* out = P + Q (ERR_VERIFY if the sum is infinity). */
int group_add(uint8_t out[GROUP_POINT_LEN], const uint8_t p[GROUP_POINT_LEN],
	      const uint8_t q[GROUP_POINT_LEN]);
/* out = P - Q (ERR_VERIFY if P = Q: the difference is infinity). */
int group_sub(uint8_t out[GROUP_POINT_LEN], const uint8_t p[GROUP_POINT_LEN],
	      const uint8_t q[GROUP_POINT_LEN]);
/* out = -P, that is (x, p - y). */
int group_neg(uint8_t out[GROUP_POINT_LEN], const uint8_t p[GROUP_POINT_LEN]);

/* Scalar arithmetic mod n. Outputs may alias inputs. */
int scalar_add(uint8_t r[32], const uint8_t a[32], const uint8_t b[32]);
int scalar_sub(uint8_t r[32], const uint8_t a[32], const uint8_t b[32]);
int scalar_mul(uint8_t r[32], const uint8_t a[32], const uint8_t b[32]);
int scalar_inv(uint8_t r[32], const uint8_t a[32]); /* ERR_RANGE if a = 0 */
void scalar_from_u32(uint8_t r[32], uint32_t v);
/* r = (big-endian integer in buf) mod n. */
int scalar_reduce(uint8_t r[32], const uint8_t *buf, size_t len);
/* 1 if a is 0 mod n... precisely: 1 if a == 0, 0 otherwise (constant time). */
int scalar_is_zero(const uint8_t a[32]);
/* 1 if 0 < a < n. */
int scalar_is_valid(const uint8_t a[32]);
/* Uniform in [1, n-1] from the DRBG (rejection sampling). */
int scalar_random(struct rng *r, uint8_t out[32]);

/* x-coordinate of a point (32 bytes), i.e. WebCrypto's ECDH deriveBits(256). */
void group_point_x(const uint8_t p[GROUP_POINT_LEN], uint8_t x[32]);

/*
 * Raw mbedTLS rate for benchmarks: performs `count` variable-base (base = 0)
 * or fixed-base (base = 1) multiplications with mbedtls_ecp_mul directly and
 * returns 0; the caller times it.
 */
int group_bench_raw(unsigned count, int base);
/*
 * The cost of the byte interface around each multiplication: `count` times,
 * reads a 65-byte point with its validation (group_point_read) and writes a
 * point back (group_point_write), as every group_* call does for its inputs
 * and output. Compared with group_bench_raw by the v2 cost measurement.
 */
int group_bench_codec(unsigned count);

#endif
