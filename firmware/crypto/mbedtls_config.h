/*
 * mbedTLS 3.6 configuration for Sceau: only what the v1 scheme needs
 * (P-256, SHA-256, HMAC, HKDF, HMAC-DRBG, AES-256-GCM, ECDSA), SHA-1 for
 * the cards' OpenPGP fingerprints only, plus the self-tests run at start-up. No TLS, no X.509, no PSA, no file system,
 * no entropy sources of mbedTLS's own: crypto/rng.c seeds the DRBG.
 */
#ifndef SCEAU_CRYPTO_MBEDTLS_CONFIG_H
#define SCEAU_CRYPTO_MBEDTLS_CONFIG_H

/* Platform */
#define MBEDTLS_HAVE_ASM
#define MBEDTLS_PLATFORM_C
#define MBEDTLS_SELF_TEST
#define MBEDTLS_ERROR_C
/* mbedtls_version_get_string_full(): the journal records the linked version. */
#define MBEDTLS_VERSION_C

/* Hardware AES where the CPU has it (x86_64 AES-NI, aarch64 crypto ext.) */
#define MBEDTLS_AESNI_C
#define MBEDTLS_AESCE_C

/* Big numbers and elliptic curves: P-256 only */
#define MBEDTLS_BIGNUM_C
#define MBEDTLS_ECP_C
#define MBEDTLS_ECP_DP_SECP256R1_ENABLED
#define MBEDTLS_ECP_NIST_OPTIM
/* Larger comb/window tables: faster scalar multiplication on the box. */
#define MBEDTLS_ECP_WINDOW_SIZE 6
#define MBEDTLS_ECP_FIXED_POINT_OPTIM 1
#define MBEDTLS_ECDH_C
#define MBEDTLS_ECDSA_C
#define MBEDTLS_ECDSA_DETERMINISTIC
#define MBEDTLS_ASN1_PARSE_C
#define MBEDTLS_ASN1_WRITE_C

/* Hashes, MAC, KDF, DRBG */
#define MBEDTLS_MD_C
#define MBEDTLS_SHA224_C
#define MBEDTLS_SHA256_C
/* SHA-1 for one thing only: the OpenPGP v4 fingerprint (RFC 4880 §12.2) of
 * each card's PV-signing key, the identifier GnuPG shows for it (DO C7).
 * It is a name, never a security check: nothing is signed, compared or
 * trusted by SHA-1 (crypto/hash.h, hash_sha1). */
#define MBEDTLS_SHA1_C
#define MBEDTLS_HKDF_C
#define MBEDTLS_HMAC_DRBG_C

/* Symmetric encryption: AES-256-GCM */
#define MBEDTLS_AES_C
#define MBEDTLS_CIPHER_C
#define MBEDTLS_GCM_C

#endif
