/*
 * SHA-256, the tagged hash, HMAC-SHA256, HKDF-SHA256 and hex, through mbedTLS;
 * SHA-1 for the cards' OpenPGP fingerprints only.
 * Hex conversion has no table look-up or branch on the data, since shares
 * and keys pass through it.
 */
#include <stdlib.h>
#include <string.h>

#include <mbedtls/hkdf.h>
#include <mbedtls/md.h>
#include <mbedtls/sha1.h>
#include <mbedtls/sha256.h>

#include "lib/err.h"
#include "crypto/hash.h"
#include "crypto/internal.h"

struct hash_ctx {
	mbedtls_sha256_context sha;
};

int hash_begin(struct hash_ctx **ctx)
{
	struct hash_ctx *c = calloc(1, sizeof(*c));
	int ret;

	*ctx = NULL;
	if (c == NULL)
		return ERR_NOMEM;
	mbedtls_sha256_init(&c->sha);
	ret = mbedtls_sha256_starts(&c->sha, 0);
	if (ret != 0) {
		hash_abort(c);
		return crypto_err(ret, "sha256");
	}
	*ctx = c;
	return 0;
}

int hash_update(struct hash_ctx *ctx, const void *data, size_t len)
{
	int ret;

	if (len == 0)
		return 0;
	ret = mbedtls_sha256_update(&ctx->sha, data, len);
	return ret != 0 ? crypto_err(ret, "sha256") : 0;
}

int hash_final(struct hash_ctx *ctx, uint8_t out[HASH_LEN])
{
	int ret = mbedtls_sha256_finish(&ctx->sha, out);

	hash_abort(ctx);
	return ret != 0 ? crypto_err(ret, "sha256") : 0;
}

void hash_abort(struct hash_ctx *ctx)
{
	if (ctx == NULL)
		return;
	mbedtls_sha256_free(&ctx->sha); /* zeroizes */
	free(ctx);
}

int hash_sha256(const void *data, size_t len, uint8_t out[HASH_LEN])
{
	int ret = mbedtls_sha256(data, len, out, 0);

	return ret != 0 ? crypto_err(ret, "sha256") : 0;
}

/* A library built before SHA-1 was configured would fail at link time with
 * no hint: say what to do instead. */
#ifndef MBEDTLS_SHA1_C
#error "mbedTLS was built without MBEDTLS_SHA1_C: run 'make deps' to rebuild it"
#endif

int hash_sha1(const void *data, size_t len, uint8_t out[HASH_SHA1_LEN])
{
	int ret = mbedtls_sha1(data, len, out);

	return ret != 0 ? crypto_err(ret, "sha1") : 0;
}

int hash_bench_raw(unsigned mib)
{
	static const uint8_t block[1 << 16]; /* zeros: SHA-256 takes the same time */
	mbedtls_sha256_context sha;
	uint8_t out[32];
	int ret;

	mbedtls_sha256_init(&sha);
	ret = mbedtls_sha256_starts(&sha, 0);
	for (unsigned i = 0; ret == 0 && i < mib * 16u; i++)
		ret = mbedtls_sha256_update(&sha, block, sizeof(block));
	if (ret == 0)
		ret = mbedtls_sha256_finish(&sha, out);
	mbedtls_sha256_free(&sha);
	return ret != 0 ? crypto_err(ret, "sha256") : 0;
}

/* u32be(len) || bytes, the unit of hash_tagged. */
static int hash_tagged_part(mbedtls_sha256_context *sha, const void *data, size_t len)
{
	uint8_t be[4];
	int ret;

	if (len > UINT32_MAX) {
		err_detail("hash_tagged: part of %zu bytes", len);
		return ERR_RANGE;
	}
	be[0] = (uint8_t)(len >> 24);
	be[1] = (uint8_t)(len >> 16);
	be[2] = (uint8_t)(len >> 8);
	be[3] = (uint8_t)len;
	ret = mbedtls_sha256_update(sha, be, sizeof(be));
	if (ret == 0 && len > 0)
		ret = mbedtls_sha256_update(sha, data, len);
	return ret != 0 ? crypto_err(ret, "sha256") : 0;
}

int hash_tagged(const char *tag, const struct hash_part *parts, size_t n,
		uint8_t out[HASH_LEN])
{
	mbedtls_sha256_context sha;
	size_t i;
	int ret;

	mbedtls_sha256_init(&sha);
	ret = mbedtls_sha256_starts(&sha, 0);
	if (ret != 0) {
		ret = crypto_err(ret, "sha256");
		goto out;
	}
	ret = hash_tagged_part(&sha, tag, strlen(tag));
	for (i = 0; i < n && ret == 0; i++)
		ret = hash_tagged_part(&sha, parts[i].data, parts[i].len);
	if (ret == 0 && (ret = mbedtls_sha256_finish(&sha, out)) != 0)
		ret = crypto_err(ret, "sha256");
out:
	mbedtls_sha256_free(&sha); /* the parts may be secret (DLEQ nonce input) */
	return ret;
}

int hmac_sha256(const void *key, size_t keylen, const void *data, size_t len,
		uint8_t out[HASH_LEN])
{
	int ret = mbedtls_md_hmac(mbedtls_md_info_from_type(MBEDTLS_MD_SHA256),
				  key, keylen, data, len, out);

	return ret != 0 ? crypto_err(ret, "hmac-sha256") : 0;
}

int hkdf_sha256(const void *salt, size_t saltlen, const void *ikm, size_t ikmlen,
		const void *info, size_t infolen, void *out, size_t outlen)
{
	int ret;

	if (outlen == 0 || outlen > 255 * HASH_LEN) {
		err_detail("hkdf: %zu output bytes", outlen);
		return ERR_RANGE;
	}
	ret = mbedtls_hkdf(mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), salt, saltlen,
			   ikm, ikmlen, info, infolen, out, outlen);
	return ret != 0 ? crypto_err(ret, "hkdf") : 0;
}
