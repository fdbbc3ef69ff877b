/*
 * AES-256-GCM with a 96-bit nonce and the 16-byte tag appended to the
 * ciphertext: the authenticated encryption under each ballot (ballot.h),
 * available on its own so that it is tested against the GCM specification's
 * vectors. A key must never be used twice with the same nonce.
 */
#ifndef SCEAU_CRYPTO_AEAD_H
#define SCEAU_CRYPTO_AEAD_H

#include <stddef.h>
#include <stdint.h>

#define AEAD_KEY_LEN 32
#define AEAD_NONCE_LEN 12
#define AEAD_TAG_LEN 16

/* ct receives ptlen + 16 bytes (ciphertext || tag). */
int aead_seal(const uint8_t key[AEAD_KEY_LEN], const uint8_t nonce[AEAD_NONCE_LEN],
	      const void *aad, size_t aadlen, const uint8_t *pt, size_t ptlen,
	      uint8_t *ct);

/*
 * pt receives ctlen - 16 bytes. ERR_FORMAT if ctlen < 16; ERR_VERIFY if the
 * tag does not verify, and pt is then wiped.
 */
int aead_open(const uint8_t key[AEAD_KEY_LEN], const uint8_t nonce[AEAD_NONCE_LEN],
	      const void *aad, size_t aadlen, const uint8_t *ct, size_t ctlen,
	      uint8_t *pt);

#endif
