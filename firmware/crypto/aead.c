/* AES-256-GCM through mbedTLS (aead.h). */
#include <mbedtls/gcm.h>

#include "lib/err.h"
#include "crypto/aead.h"
#include "crypto/internal.h"
#include "crypto/secmem.h"

int aead_seal(const uint8_t key[AEAD_KEY_LEN], const uint8_t nonce[AEAD_NONCE_LEN],
	      const void *aad, size_t aadlen, const uint8_t *pt, size_t ptlen,
	      uint8_t *ct)
{
	mbedtls_gcm_context gcm;
	int ret;

	mbedtls_gcm_init(&gcm);
	ret = mbedtls_gcm_setkey(&gcm, MBEDTLS_CIPHER_ID_AES, key, 8 * AEAD_KEY_LEN);
	if (ret == 0)
		ret = mbedtls_gcm_crypt_and_tag(&gcm, MBEDTLS_GCM_ENCRYPT, ptlen, nonce,
						AEAD_NONCE_LEN, aad, aadlen, pt, ct,
						AEAD_TAG_LEN, ct + ptlen);
	mbedtls_gcm_free(&gcm); /* zeroizes the key schedule */
	return ret != 0 ? crypto_err(ret, "aes-gcm seal") : 0;
}

int aead_open(const uint8_t key[AEAD_KEY_LEN], const uint8_t nonce[AEAD_NONCE_LEN],
	      const void *aad, size_t aadlen, const uint8_t *ct, size_t ctlen,
	      uint8_t *pt)
{
	mbedtls_gcm_context gcm;
	size_t ptlen;
	int ret;

	if (ctlen < AEAD_TAG_LEN) {
		err_detail("ciphertext of %zu bytes, shorter than the tag", ctlen);
		return ERR_FORMAT;
	}
	ptlen = ctlen - AEAD_TAG_LEN;
	mbedtls_gcm_init(&gcm);
	ret = mbedtls_gcm_setkey(&gcm, MBEDTLS_CIPHER_ID_AES, key, 8 * AEAD_KEY_LEN);
	if (ret == 0)
		ret = mbedtls_gcm_auth_decrypt(&gcm, ptlen, nonce, AEAD_NONCE_LEN, aad,
					       aadlen, ct + ptlen, AEAD_TAG_LEN, ct, pt);
	mbedtls_gcm_free(&gcm);
	if (ret == MBEDTLS_ERR_GCM_AUTH_FAILED) {
		secmem_wipe(pt, ptlen); /* mbedTLS does too; the header promises it */
		err_detail("aes-gcm: tag does not verify");
		return ERR_VERIFY;
	}
	if (ret != 0) {
		secmem_wipe(pt, ptlen);
		return crypto_err(ret, "aes-gcm open");
	}
	return 0;
}
