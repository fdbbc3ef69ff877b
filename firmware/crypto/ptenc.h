/*
 * A ballot plaintext as a P-256 point M (docs/CRYPTO-V2-NOTES.md, section 1),
 * so that ballots are ElGamal encryptions B = M + rPK that the box can
 * re-encrypt and shuffle:
 *   x = 00 || plaintext || zero padding to byte 30 || j   (32 bytes, big-endian)
 *   j = the smallest byte 0..255 such that x^3 - 3x + b is a square mod p
 *   y = the square root of x^3 - 3x + b whose integer value is even
 * Decoding needs only x: byte 0 and the padding must be zero, and the
 * plaintext is bytes 1..pt_len; j and the parity of y carry no vote and are
 * not checked. The plaintext's own layout (version, choice, bitmap) is
 * count/classify.h's business, not this module's.
 *
 * Timing: ptenc_encode is NOT constant time. It tries j + 1 counters, and
 * j is a function of the plaintext (0 for about half of all plaintexts, 1
 * for a quarter, ...), so its running time tells something about the
 * plaintext; and mbedTLS's bignum arithmetic on x (the plaintext itself)
 * takes time that depends on the values. Encode runs where the plaintext's owner is alone:
 * the voter's device (tools/web does the same in JavaScript), the platform
 * simulator, tests. ptenc_decode reads public data (the decrypted M of the
 * shuffled list, published with its proof) and does no secret-dependent
 * work beyond copying the bytes.
 */
#ifndef SCEAU_CRYPTO_PTENC_H
#define SCEAU_CRYPTO_PTENC_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/group.h"

#define PTENC_PT_MAX 29 /* bytes 1..29 of x hold the plaintext; 30 is padding */

/* M = the point of pt (pt_len in 1..PTENC_PT_MAX, else ERR_RANGE). If no
 * counter works (probability about 2^-256), ERR_RANGE too. j_out, if not
 * NULL, receives the counter used (test vectors). */
int ptenc_encode(const uint8_t *pt, size_t pt_len, uint8_t M[GROUP_POINT_LEN],
		 unsigned *j_out);

/*
 * pt (pt_len bytes) = the plaintext M carries. Returns 0, or ERR_VERIFY if
 * M carries no plaintext of that length (leading byte or padding not zero:
 * the ballot is nul "unreadable", pt is zeroed), ERR_FORMAT if M is not a
 * valid point, ERR_RANGE if pt_len is not in 1..PTENC_PT_MAX.
 */
int ptenc_decode(const uint8_t M[GROUP_POINT_LEN], size_t pt_len, uint8_t *pt);

#endif
