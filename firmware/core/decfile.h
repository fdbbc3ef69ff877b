/*
 * The decrypted-ballots file ("ballots-decrypted.bin", docs/FORMATS.md):
 * every ballot of the urn, in urn order, with what the box found when it
 * opened it and the proof that it used the election key. v1, big-endian:
 *   header (16): "SCEAUDEC" | u16 version = 1 | u16 0 | u32 count
 *   per ballot:  tracker (32) | u16 scrutin | u8 opened (0/1) | S (65) |
 *                proof c || z (64) | u8 pt_len | plaintext (pt_len bytes,
 *                0 if the ballot did not open)
 * Written while counting, so that the count streams in constant memory;
 * read back by the verifier.
 */
#ifndef SCEAU_CORE_DECFILE_H
#define SCEAU_CORE_DECFILE_H

#include <stdint.h>
#include <stdio.h>

#include "store/store.h"

#define DECFILE_MAGIC "SCEAUDEC"
#define DECFILE_VERSION 1
#define DECFILE_HEADER_LEN 16

struct decfile_writer;

/* Creates path (must not exist); count is the number of ballots to come. */
int decfile_open(const char *path, uint32_t count, struct decfile_writer **out);
int decfile_add(struct decfile_writer *w, const struct store_decrypted *d);
/* Closes and gives the file's SHA-256; ERR_INTERNAL if fewer or more
 * ballots than declared were added. */
int decfile_close(struct decfile_writer *w, uint8_t sha256[32]);
/* Abandons a file being written (removes it). NULL ok. */
void decfile_abort(struct decfile_writer *w);

#endif
