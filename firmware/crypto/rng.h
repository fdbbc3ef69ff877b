/*
 * Random bytes for keys: an HMAC-DRBG (SHA-256, NIST SP 800-90A) seeded from
 * the kernel's getrandom(), from /dev/hwrng when CONFIG_CRYPTO_HWRNG is set
 * and the device exists, and from whatever the bureau members type
 * (rng_add_entropy). The DRBG state lives in locked memory.
 */
#ifndef SCEAU_CRYPTO_RNG_H
#define SCEAU_CRYPTO_RNG_H

#include <stddef.h>
#include <stdint.h>

struct rng;

/* Seeds a new DRBG. *hwrng_used tells whether /dev/hwrng contributed (may be NULL). */
int rng_new(struct rng **out, const char *personalization, int *hwrng_used);
/* Mixes extra input (e.g. keystrokes of a member) into the state (reseed). */
int rng_add_entropy(struct rng *r, const void *data, size_t len);
int rng_bytes(struct rng *r, void *out, size_t len);
void rng_free(struct rng *r);

/* The callback mbedTLS wants (p_rng is a struct rng *); for crypto/ only. */
int rng_mbedtls(void *p_rng, unsigned char *out, size_t len);

/* Start-up health test: getrandom works, the DRBG passes its self-test, two
 * successive outputs differ. 0 or ERR_SELFTEST. */
int rng_health(void);

#endif
