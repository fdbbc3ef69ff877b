/*
 * The share object stored in the card's private DO 0103 (read and write
 * need PW1 82, so the card's retry counter guards it). 104 bytes, v1:
 *   off  len  field
 *     0    4  magic "SCSH"
 *     4    1  version = 1
 *     5   32  election_id
 *    37    1  index i (1..m)
 *    38    1  t
 *    39    1  m
 *    40   32  share s_i (big-endian, mod n)
 *    72   32  checksum = SHA-256 of bytes 0..71
 * A partially written or edited object fails the checksum; a share that
 * passes it must still pass the Feldman check (crypto/shamir.h).
 */
#ifndef SCEAU_FORMAT_SHARE_OBJ_H
#define SCEAU_FORMAT_SHARE_OBJ_H

#include <stddef.h>
#include <stdint.h>

#define SHARE_OBJ_LEN 104
#define SHARE_OBJ_MAGIC "SCSH"
#define SHARE_OBJ_VERSION 1

struct share_obj {
	uint8_t election_id[32];
	unsigned index, t, m;
	uint8_t share[32]; /* secret: the struct must live in locked memory */
};

int share_obj_encode(const struct share_obj *s, uint8_t out[SHARE_OBJ_LEN]);
/* Strict: length, magic, version, ranges (1 <= t <= m <= 9, 1 <= i <= m),
 * checksum. ERR_FORMAT with err_detail() otherwise. */
int share_obj_decode(const uint8_t *in, size_t len, struct share_obj *s);

#endif
