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
/* 0 if valid, ERR_VERIFY if not, ERR_FORMAT if pub is not a valid point. */
int sig_verify(const uint8_t pub[GROUP_POINT_LEN], const uint8_t digest[32],
	       const uint8_t sig[SIG_LEN]);

#endif
