/*
 * Shared by the ossl_*.c files of crypto/ only (OpenSSL types): the calling
 * thread's P-256 group and scratch space, validated point and scalar
 * import, the tagged hash over EVP SHA-256, and the mapping of OpenSSL's
 * failures to Sceau's codes. Nothing here calls mbedTLS: this is the second,
 * independent implementation of the v2 checks (crypto/ossl.h).
 */
#ifndef SCEAU_CRYPTO_OSSL_INT_H
#define SCEAU_CRYPTO_OSSL_INT_H

#include <stddef.h>
#include <stdint.h>

/*
 * Every OpenSSL header of crypto/ comes in here: OpenSSL's types.h names a
 * type ERR_STATE, which is also lib/err.h's error code; within these
 * headers OpenSSL's is renamed (Sceau never uses it), whichever of the two
 * comes first.
 */
#define ERR_STATE sceau_openssl_err_state
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#undef ERR_STATE

#include "crypto/group.h"
#include "crypto/hash.h"

/* The constants of RFC 9380's simplified SWU map for P-256 (ossl_h2c.c). */
struct ossl_swu {
	BIGNUM *a, *b, *z; /* A = -3, B, Z = -10 (Montgomery form, as all below) */
	BIGNUM *c1;        /* (p - 3) / 4, the exponent of sqrt_ratio (an integer) */
	BIGNUM *c2;        /* sqrt(-Z) = sqrt(10) */
	BIGNUM *one;       /* 1 */
	BN_MONT_CTX *mont; /* p's Montgomery context */
};

/*
 * One thread's objects: OpenSSL's EC_GROUP (prime256v1, which uses the
 * nistz256 code on x86_64 and aarch64) and BN_CTX are not to be shared
 * between threads while in use, and loading them costs more than a check.
 * Released when the thread exits (the main thread's at exit).
 */
struct ossl_tls {
	EC_GROUP *grp;
	BN_CTX *bn;
	EVP_MD *sha;
	EVP_MD_CTX *md;
	const BIGNUM *n; /* the group order (the group's own) */
	BIGNUM *p;       /* the field prime */
	struct ossl_swu swu;
};

/* The calling thread's objects, or NULL (ERR_NOMEM, with a detail). */
struct ossl_tls *ossl_tls(void);

/* ERR_NOMEM or ERR_CRYPTO with `what` and OpenSSL's first queued error as
 * detail; the thread's error queue is emptied. */
int ossl_err(const char *what);

/*
 * Reads a 65-byte point: prefix 04, x < p, y < p, y^2 = x^3 - 3x + b
 * (checked here, not left to OpenSSL's parser, which also takes compressed
 * forms and reduces coordinates mod p). 0 or ERR_FORMAT (detail: what).
 */
int ossl_point_read(struct ossl_tls *t, EC_POINT *P, const uint8_t in[GROUP_POINT_LEN],
		    const char *what);
/* Writes a finite point as 65 bytes; ERR_VERIFY for the point at infinity. */
int ossl_point_write(struct ossl_tls *t, const EC_POINT *P, uint8_t out[GROUP_POINT_LEN]);
/* Reads a 32-byte big-endian scalar; ERR_FORMAT unless k < n (0 allowed). */
int ossl_scalar_read(struct ossl_tls *t, BIGNUM *k, const uint8_t in[GROUP_SCALAR_LEN],
		     const char *what);
/* r = (n - k) mod n: -k, with -0 = 0. */
int ossl_scalar_neg(struct ossl_tls *t, BIGNUM *r, const BIGNUM *k);

/* The tagged hash (crypto/hash.h's definition) over EVP SHA-256, as a
 * stream on the thread's digest context: begin (the tag), parts, final. */
int ossl_hash_begin(struct ossl_tls *t, const char *tag);
int ossl_hash_part(struct ossl_tls *t, const void *data, size_t len);
int ossl_hash_final(struct ossl_tls *t, uint8_t out[HASH_LEN]);
/* All at once; out may then be read mod n with ossl_hash_scalar. */
int ossl_hash_tagged(struct ossl_tls *t, const char *tag, const struct hash_part *parts,
		     size_t n, uint8_t out[HASH_LEN]);
/* x = the 32-byte digest d read big-endian, mod n. */
int ossl_hash_scalar(struct ossl_tls *t, BIGNUM *x, const uint8_t d[HASH_LEN]);

/*
 * r = g*G + sum k_i*P_i over the terms whose point is not at infinity (g
 * may be NULL, n may be 0): OpenSSL's EC_POINTs_mul, the interleaved
 * multi-scalar multiplication of the nistz256 code (ossl_group.c says why
 * a deprecated call). Terms at infinity are left out beforehand, so that
 * no verdict rests on how OpenSSL treats them inside a sum.
 */
int ossl_msm(struct ossl_tls *t, EC_POINT *r, const BIGNUM *g, const EC_POINT **P,
	     const BIGNUM **k, size_t n);

/* The simplified SWU map and hash_to_curve on OpenSSL (ossl_h2c.c). */
int ossl_swu_init(struct ossl_tls *t);
void ossl_swu_free(struct ossl_swu *s);
/* P = hash_to_curve(msg) with the suite's DST given; ERR_CRYPTO at infinity. */
int ossl_hash_to_curve(struct ossl_tls *t, const void *msg, size_t msg_len, const void *dst,
		       size_t dst_len, EC_POINT *P);
/* h_i of the shuffle proof (index 0: h), as shuffle_generator defines it. */
int ossl_generator(struct ossl_tls *t, const uint8_t election_id[32], uint16_t scrutin_id,
		   uint32_t index, EC_POINT *P);

#endif
