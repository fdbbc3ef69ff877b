/*
 * Exact non-negative fractions (struct frac_u, format/election.h) for the
 * counting rules: no rounding anywhere, never any real-number type
 * (docs/RULES.md "exact arithmetic"). Fractions are kept as built (not
 * reduced); they are reduced by gcd only for printing.
 *
 * Why it cannot overflow. Comparisons cross-multiply in unsigned __int128:
 * two uint64 factors give less than 2^128, so frac_cmp is exact for any
 * operands. Operations that build a fraction (mul, div, add) compute in
 * __int128 too, reduce by gcd if the result does not fit, and return
 * ERR_RANGE if it still does not: a bound exceeded fails loudly, it never
 * yields a wrong seat. Within the bounds the box enforces (votes <= 10^7 per
 * scrutin, COUNT_MAX_VOTES; candidates <= 128; seats <= 1000; shares with at
 * most 9 decimals) every number count/ builds is far below 2^64:
 *   Σ candidate votes of a list <= 10^7 x 128          < 2^31
 *   V_L / Q = S_L x seats / (n_L x SVE)  <= 1.28e12     < 2^41
 *   V_L / (won + 1): den <= 128 x 1001                   < 2^17
 *   union audience: ballots x share, summed and reduced: den | 21 x 10^9,
 *                   num <= 10^7 x 21 x 10^9              < 2^58
 */
#ifndef SCEAU_COUNT_FRAC_H
#define SCEAU_COUNT_FRAC_H

#include <stddef.h>
#include <stdint.h>

#include "format/election.h"

/* Longest text frac_decimal writes: 20 digits, '.', 18 digits, NUL. */
#define FRAC_DECIMAL_MAX 40
#define FRAC_DIGITS_MAX 18

/* num/den; ERR_RANGE if den is 0. */
int frac_make(uint64_t num, uint64_t den, struct frac_u *out);
/* -1, 0 or 1 as a <, =, > b (dens must be non-zero). */
int frac_cmp(struct frac_u a, struct frac_u b);
int frac_is_zero(struct frac_u a);
uint64_t frac_gcd(uint64_t a, uint64_t b);
/* The same value in lowest terms (0 is 0/1). */
struct frac_u frac_reduce(struct frac_u a);
/* a x b, a / b (ERR_RANGE if b is 0), a + b (reduced): ERR_RANGE on overflow. */
int frac_mul(struct frac_u a, struct frac_u b, struct frac_u *out);
int frac_div(struct frac_u a, struct frac_u b, struct frac_u *out);
int frac_add(struct frac_u a, struct frac_u b, struct frac_u *out);
/* a x k and a / k for an integer k (k > 0 for the division). */
int frac_mul_u(struct frac_u a, uint64_t k, struct frac_u *out);
int frac_div_u(struct frac_u a, uint64_t k, struct frac_u *out);
/* floor(a). */
uint64_t frac_floor(struct frac_u a);
/*
 * The decimal text of a, rounded half up to exactly `digits` decimals
 * (0..18), computed on integers: 287/6 with 4 digits is "47.8333", 1/2 with
 * 0 digits is "1". ERR_RANGE if digits or cap is too small.
 */
int frac_decimal(struct frac_u a, unsigned digits, char *buf, size_t cap);

#endif
