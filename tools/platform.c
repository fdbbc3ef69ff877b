/*
 * sceau-platform: the voting platform's side, for demos and tests.
 *   sceau-platform keygen --private FILE --public FILE
 * makes the platform's sealing key pair (ECDSA P-256): the public half is
 * what the bureau imports at the key ceremony ("sceau-platform-key/1"); the
 * private half stays with the platform ("sceau-platform-private/1") and seals
 * the urn and the émargement.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/file.h"
#include "core/platform.h"
#include "crypto/hash.h"
#include "crypto/rng.h"
#include "crypto/secmem.h"
#include "crypto/sig.h"

static int platform_write(const char *path, const char *format, const char *field,
			  const uint8_t *b, size_t n, int secret)
{
	char hex[2 * 65 + 1], text[512];
	int len, ret;

	hex_encode(b, n, hex);
	len = snprintf(text, sizeof(text), "{\n  \"format\": \"%s\",\n  \"%s\": \"%s\"\n}\n",
		       format, field, hex);
	ret = file_write_atomic(path, text, (size_t)len, 0);
	if (secret) {
		WIPE_BUFFER(hex);
		WIPE_BUFFER(text);
	}
	return ret;
}

static int platform_keygen(const char *priv_path, const char *pub_path)
{
	struct rng *r = NULL;
	uint8_t *priv = secmem_alloc(32), pub[65], check[65];
	int ret = priv ? 0 : ERR_NOMEM;

	if (!ret)
		ret = rng_new(&r, "sceau/platform-keygen/v1", NULL);
	if (!ret)
		ret = sig_keygen(r, priv, pub);
	if (!ret)
		ret = platform_write(priv_path, "sceau-platform-private/1", "private_key",
				     priv, 32, 1);
	if (!ret)
		ret = platform_write(pub_path, PLATFORM_KEY_FORMAT, "public_key", pub, 65, 0);
	if (!ret)
		ret = platform_key_load(pub_path, check);
	if (!ret && memcmp(check, pub, 65) != 0)
		ret = ERR_INTERNAL;
	rng_free(r);
	secmem_free(priv, 32);
	return ret;
}

static void usage(void)
{
	fprintf(stderr, "usage: sceau-platform keygen --private FILE --public FILE\n");
}

int main(int argc, char **argv)
{
	int ret;

	if (argc != 6 || strcmp(argv[1], "keygen") != 0 || strcmp(argv[2], "--private") != 0 ||
	    strcmp(argv[4], "--public") != 0) {
		usage();
		return 2;
	}
	ret = platform_keygen(argv[3], argv[5]);
	if (ret) {
		fprintf(stderr, "sceau-platform: error %d: %s\n", ret, err_last_detail());
		return 1;
	}
	printf("platform key pair written: %s (private), %s (public)\n", argv[3], argv[5]);
	return 0;
}
