/*
 * ECDSA P-256 with SHA-256 digests. Signatures are raw r || s (64 bytes,
 * big-endian), the format of OpenPGP cards' PSO:CDS for ECDSA and of
 * WebCrypto. Signing is deterministic (RFC 6979); it is used by the
 * simulated card and the platform simulator, never with a key of the box.
 */
#ifndef SCEAU_CRYPTO_SIG_H
#define SCEAU_CRYPTO_SIG_H

#include <stdint.h>

#include "crypto/group.h"

#define SIG_LEN 64

struct rng;

int sig_keygen(struct rng *r, uint8_t priv[32], uint8_t pub[GROUP_POINT_LEN]);
/* pub = priv*G, for a key loaded from storage. */
int sig_public(const uint8_t priv[32], uint8_t pub[GROUP_POINT_LEN]);
int sig_sign(const uint8_t priv[32], const uint8_t digest[32], uint8_t sig[SIG_LEN]);
/* 0 if valid, ERR_VERIFY if not, ERR_FORMAT if pub is not a valid point.
 * Both forms of a signature verify (below). */
int sig_verify(const uint8_t pub[GROUP_POINT_LEN], const uint8_t digest[32],
	       const uint8_t sig[SIG_LEN]);

/*
 * ECDSA signatures are malleable: if (r, s) verifies, so does (r, n - s).
 * A signature file must have one valid form, so the box stores the low-s
 * one (s <= (n-1)/2, as Bitcoin's BIP 62 and libsecp256k1 do) whatever the
 * card returned, and the readers of the cards' signatures refuse the other.
 */
/* Replaces s by n - s when s > (n-1)/2; 0, or ERR_FORMAT if r or s is not
 * in [1, n-1]. */
int sig_normalize(uint8_t sig[SIG_LEN]);
/* 1 if s <= (n-1)/2 (the form sig_normalize gives), else 0. */
int sig_is_low_s(const uint8_t sig[SIG_LEN]);

#endif
