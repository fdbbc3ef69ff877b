/* The tables of crypto/checks.h. */
#include <string.h>

#include "crypto/ballot.h"
#include "crypto/checks.h"
#include "crypto/dleq.h"
#include "crypto/shuffle.h"
#ifdef CONFIG_CRYPTO_OPENSSL
#include "crypto/ossl.h"
#endif

static const struct crypto_checks checks_mbedtls = {
	.name = "mbedtls",
	.ballot_check = ballot2_check,
	.dleq_verify = dleq2_verify,
	.open_point = ballot2_open_point,
	.shuffle_verify = shuffle_verify,
	.generator = shuffle_generator,
};

#ifdef CONFIG_CRYPTO_OPENSSL
static const struct crypto_checks checks_openssl = {
	.name = "openssl",
	.ballot_check = ballot2_check_ossl,
	.dleq_verify = dleq2_verify_ossl,
	.open_point = ballot2_open_point_ossl,
	.shuffle_verify = shuffle_verify_ossl,
	.generator = shuffle_generator_ossl,
};
#endif

const struct crypto_checks *crypto_checks(enum crypto_backend b)
{
	switch (b) {
	case CRYPTO_MBEDTLS:
		return &checks_mbedtls;
#ifdef CONFIG_CRYPTO_OPENSSL
	case CRYPTO_OPENSSL:
		return &checks_openssl;
#endif
	default:
		return NULL;
	}
}

const struct crypto_checks *crypto_checks_by_name(const char *name)
{
	for (int b = 0; b < CRYPTO_BACKENDS; b++) {
		const struct crypto_checks *c = crypto_checks((enum crypto_backend)b);

		if (c != NULL && strcmp(c->name, name) == 0)
			return c;
	}
	return NULL;
}

const struct crypto_checks *crypto_checks_default(void)
{
#ifdef CONFIG_CRYPTO_CHECKS_DEFAULT_OPENSSL
	return crypto_checks(CRYPTO_OPENSSL);
#else
	return crypto_checks(CRYPTO_MBEDTLS);
#endif
}
