/*
 * SHA-256, HMAC-SHA256 and HKDF-SHA256 (RFC 5869) through mbedTLS, SHA-1 for
 * OpenPGP fingerprints only (below), and the domain-separated hash every
 * Sceau structure uses:
 *   hash_tagged(tag, parts) = SHA-256( u32be(len(tag)) || tag ||
 *                                      for each part: u32be(len) || bytes )
 * so that no two different inputs concatenate to the same bytes.
 */
#ifndef SCEAU_CRYPTO_HASH_H
#define SCEAU_CRYPTO_HASH_H

#include <stddef.h>
#include <stdint.h>

#define HASH_LEN 32

struct hash_part {
	const void *data;
	size_t len;
};

int hash_sha256(const void *data, size_t len, uint8_t out[HASH_LEN]);

/*
 * SHA-1, for one use only: the OpenPGP v4 fingerprint that names a card's
 * PV-signing key in GnuPG (card/openpgp.h, pgp_fingerprint_p256). It is an
 * identifier shown to people, never a security check: nothing Sceau signs,
 * compares or trusts goes through SHA-1.
 */
#define HASH_SHA1_LEN 20
int hash_sha1(const void *data, size_t len, uint8_t out[HASH_SHA1_LEN]);

int hash_tagged(const char *tag, const struct hash_part *parts, size_t n,
		uint8_t out[HASH_LEN]);

/* Streaming SHA-256 (files, urns). hash_final frees the context. */
struct hash_ctx;
int hash_begin(struct hash_ctx **ctx);
int hash_update(struct hash_ctx *ctx, const void *data, size_t len);
int hash_final(struct hash_ctx *ctx, uint8_t out[HASH_LEN]);
void hash_abort(struct hash_ctx *ctx); /* frees without output; NULL ok */

/* For sceau-bench: SHA-256 of mib MiB straight through mbedTLS, nothing of
 * Sceau around it (the import's hashing is measured against this rate). */
int hash_bench_raw(unsigned mib);

int hmac_sha256(const void *key, size_t keylen, const void *data, size_t len,
		uint8_t out[HASH_LEN]);
int hkdf_sha256(const void *salt, size_t saltlen, const void *ikm, size_t ikmlen,
		const void *info, size_t infolen, void *out, size_t outlen);

/* SHA-256 and size of a file, streaming; a regular file only
 * (ERR_FILETYPE for a FIFO or a device, never blocking on it). */
int hash_file(const char *path, uint8_t sha256[HASH_LEN], uint64_t *size);
/* Copies src to dst (a new file, mode 0444) and gives the SHA-256 and size
 * of what was copied. Streams: any size. src must be a regular file. */
int hash_file_copy(const char *src, const char *dst, uint8_t sha256[HASH_LEN],
		   uint64_t *size);

#endif
