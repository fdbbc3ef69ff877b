/*
 * Hashing to P-256, RFC 9380 suite P256_XMD:SHA-256_SSWU_RO_: the shuffle
 * proof's independent generators come from it, so that nobody, the box
 * included, knows a discrete logarithm between them.
 *
 *   hash_to_curve(msg) = map(u0) + map(u1),  (u0, u1) = hash_to_field(msg, 2)
 *
 * with expand_message_xmd over SHA-256 (section 5.3.1; a DST longer than 255
 * bytes is first hashed, section 5.3.3), L = 48, the simplified SWU map of
 * section 6.6.2 with Z = -10 and h_eff = 1 (no cofactor to clear).
 * Checked on the RFC's vectors (appendix J.1.1 and K.1, tests/crypto/test_h2c.c).
 * The inputs are public: nothing here is constant time.
 */
#ifndef SCEAU_CRYPTO_H2C_H
#define SCEAU_CRYPTO_H2C_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/group.h"

/* The largest output of expand_message_xmd with SHA-256: 255 blocks. */
#define H2C_XMD_MAX (255u * 32u)

/* out = expand_message_xmd(msg, dst, out_len); out_len 1..H2C_XMD_MAX,
 * dst 1..any bytes (ERR_RANGE otherwise). */
int h2c_expand_xmd(const void *msg, size_t msg_len, const void *dst, size_t dst_len,
		   uint8_t *out, size_t out_len);
/* (u0, u1) = hash_to_field(msg, 2), each 32 bytes big-endian, < p. */
int h2c_hash_to_field(const void *msg, size_t msg_len, const void *dst, size_t dst_len,
		      uint8_t u[2][32]);
/* q = map_to_curve_simple_swu(u), u < p (ERR_RANGE otherwise). */
int h2c_map_to_curve(const uint8_t u[32], uint8_t q[GROUP_POINT_LEN]);
/* p = hash_to_curve(msg); ERR_CRYPTO if the sum is the point at infinity
 * (a probability of about 2^-256). */
int h2c_hash_to_curve(const void *msg, size_t msg_len, const void *dst, size_t dst_len,
		      uint8_t p[GROUP_POINT_LEN]);

#endif
