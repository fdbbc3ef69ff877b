/*
 * Shared by the .c files of crypto/ only (it pulls in mbedTLS headers, which no
 * other module includes): the calling thread's P-256 group and blinding RNG,
 * validated point import/export, and the mapping of mbedTLS error codes.
 */
#ifndef SCEAU_CRYPTO_INTERNAL_H
#define SCEAU_CRYPTO_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <mbedtls/bignum.h>
#include <mbedtls/ecp.h>

#include "crypto/group.h"

/*
 * The calling thread's P-256 group, loaded once per thread (released when the
 * thread exits), or NULL if out of memory. mbedTLS writes into the group
 * during multiplications, hence one per thread rather than one shared.
 */
mbedtls_ecp_group *group_grp(void);

/* mbedTLS f_rng for blinding (p_rng unused): the thread's HMAC-DRBG. */
int group_blind_rng(void *p_rng, unsigned char *out, size_t len);

/* Reads a 65-byte 0x04||X||Y point and validates it; 0 or ERR_FORMAT. */
int group_point_read(const mbedtls_ecp_group *grp, mbedtls_ecp_point *pt,
		     const uint8_t in[GROUP_POINT_LEN]);
/* Writes a finite point as 65 bytes; ERR_VERIFY for the point at infinity. */
int group_point_write(const mbedtls_ecp_group *grp, const mbedtls_ecp_point *pt,
		      uint8_t out[GROUP_POINT_LEN]);
/* Reads a 32-byte scalar; ERR_RANGE unless lo <= k < n (lo is 0 or 1). */
int group_scalar_read(const mbedtls_ecp_group *grp, mbedtls_mpi *k,
		      const uint8_t in[GROUP_SCALAR_LEN], int lo);

/* Fills out from the kernel's getrandom() (blocking until it is seeded);
 * 0 or ERR_IO. */
int rng_os_bytes(void *out, size_t len);

/* Maps an mbedTLS error to ERR_NOMEM or ERR_CRYPTO and records `what`. */
int crypto_err(int mbedtls_ret, const char *what);

#endif
