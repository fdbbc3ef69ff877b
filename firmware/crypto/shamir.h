/*
 * The election key and its t-of-m Shamir sharing over Z_n with Feldman
 * commitments (docs/DESIGN.md): f(x) = s + a1 x + ... + a_{t-1} x^{t-1},
 * share i = f(i) for i = 1..m, C_j = a_j G (C_0 = PK), Y_i = s_i G.
 * A share is accepted only if s_i G = Y_i = sum_j i^j C_j.
 * Secret buffers (s, shares, coefficients) are the caller's locked memory;
 * every temporary here is wiped before returning.
 */
#ifndef SCEAU_CRYPTO_SHAMIR_H
#define SCEAU_CRYPTO_SHAMIR_H

#include <stdint.h>

#include "crypto/group.h"

#define SHAMIR_MAX 9 /* t <= m <= SHAMIR_MAX */

struct rng;

struct shamir_public {
	unsigned t, m;
	uint8_t pk[GROUP_POINT_LEN];                  /* = commit[0] */
	uint8_t commit[SHAMIR_MAX][GROUP_POINT_LEN];  /* C_0..C_{t-1} */
	uint8_t share_pub[SHAMIR_MAX][GROUP_POINT_LEN]; /* Y_1..Y_m at [0..m-1] */
};

/*
 * Generates s uniform in [1, n-1] and splits it. secret (32 bytes) and
 * shares (m x 32 bytes, share i at shares[i-1]) are caller-provided locked
 * buffers. 2 <= t <= m <= SHAMIR_MAX, else ERR_RANGE.
 */
int shamir_generate(struct rng *r, unsigned t, unsigned m, uint8_t secret[32],
		    uint8_t shares[][32], struct shamir_public *pub);

/* Checks Y_i = sum_j i^j C_j for every i, and pk = C_0; 0 or ERR_VERIFY. */
int shamir_check_public(const struct shamir_public *pub);

/* Checks s_i G = Y_i and Y_i = sum_j i^j C_j for share index i (1-based). */
int shamir_check_share(const struct shamir_public *pub, unsigned index,
		       const uint8_t share[32]);

/*
 * Lagrange interpolation at 0 of k >= 1 shares with distinct indices in
 * [1, 255]: secret = sum lambda_i s_i. It does not check the result; callers
 * compare secret*G with PK (shamir_check_secret).
 */
int shamir_combine(unsigned k, const unsigned idx[], const uint8_t shares[][32],
		   uint8_t secret[32]);

/* 0 if secret*G == pk, ERR_VERIFY otherwise. */
int shamir_check_secret(const uint8_t pk[GROUP_POINT_LEN], const uint8_t secret[32]);

#endif
