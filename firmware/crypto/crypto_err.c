/* Turns mbedTLS's error codes into Sceau's, keeping mbedTLS's text as detail. */
#include <mbedtls/bignum.h>
#include <mbedtls/cipher.h>
#include <mbedtls/ecp.h>
#include <mbedtls/error.h>
#include <mbedtls/md.h>

#include "lib/err.h"
#include "crypto/internal.h"

int crypto_err(int mbedtls_ret, const char *what)
{
	char text[96];

	mbedtls_strerror(mbedtls_ret, text, sizeof(text));
	err_detail("%s: %s", what, text);
	switch (mbedtls_ret) {
	case MBEDTLS_ERR_MPI_ALLOC_FAILED:
	case MBEDTLS_ERR_ECP_ALLOC_FAILED:
	case MBEDTLS_ERR_MD_ALLOC_FAILED:
	case MBEDTLS_ERR_CIPHER_ALLOC_FAILED:
		return ERR_NOMEM;
	default:
		return ERR_CRYPTO;
	}
}
