/*
 * Start-up self-tests: mbedTLS's own self-tests for the primitives used
 * (SHA-256, AES, GCM, HMAC-DRBG, ECP), known-answer tests of the Sceau
 * constructions (HKDF RFC 5869 case 1, a fixed ballot, a fixed DLEQ proof,
 * v2: a plaintext encoded as a point, a ballot record with its proof of
 * knowledge and tracker, a decryption with its DLEQ proof; a share
 * split/combine round trip) and rng_health(). 0 or ERR_SELFTEST,
 * with err_detail() naming the failed test.
 */
#ifndef SCEAU_CRYPTO_SELFTEST_H
#define SCEAU_CRYPTO_SELFTEST_H

/* A start-up self-test failed (value reserved in lib/err.h). */
enum selftest_err { ERR_SELFTEST = -18 };

int crypto_selftest(void);

/* "mbed TLS 3.6.x" as linked, for the journal and the reports. */
const char *crypto_library_version(void);

#endif
