/*
 * splitmix64 (Steele, Lea and Flood, 2014): a small seeded generator whose
 * sequence a seed fixes, for what must be reproducible: the verifier's
 * proof sample (verify/verify_sample.c), the platform simulator's ballots,
 * the property tests. Not for anything secret: keys and nonces come from
 * crypto/rng.h.
 */
#ifndef SCEAU_LIB_SPLITMIX_H
#define SCEAU_LIB_SPLITMIX_H

#include <stdint.h>

/* The next value of the sequence; *state moves on. */
uint64_t splitmix64(uint64_t *state);

#endif
