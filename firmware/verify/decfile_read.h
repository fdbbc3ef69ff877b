/*
 * Reader of the decrypted-ballots file ("ballots-decrypted.bin", v1; the
 * layout is in core/decfile.h and docs/VERIFY.md), for the verifier. Pull
 * parser over a stdio stream, constant memory, strict: magic, version,
 * reserved bytes, the opened flag 0 or 1, no plaintext for a ballot that
 * did not open, a plaintext of its scrutin's pt_len for one that did, S a
 * valid P-256 point, trackers strictly ascending (urn order), exactly the
 * declared count, nothing after the last ballot. It hashes every byte read,
 * so the caller gets the file's SHA-256 at the end without a second pass.
 * Errors name the ballot number (1-based) and the field.
 */
#ifndef SCEAU_VERIFY_DECFILE_READ_H
#define SCEAU_VERIFY_DECFILE_READ_H

#include <stdint.h>
#include <stdio.h>

#include "core/election.h"
#include "store/store.h"

struct decfile_reader;

/* Reads the header of f (not closed by the reader). e, if not NULL, is used
 * to check every scrutin and plaintext length. */
int decfile_reader_new(FILE *f, const struct election *e, struct decfile_reader **out);
/* The count declared by the header. */
uint32_t decfile_reader_count(const struct decfile_reader *r);
/* The next ballot into *d (seq = its 1-based number): 0, 1 at the end of
 * the declared ballots, or ERR_FORMAT / ERR_IO. */
int decfile_reader_next(struct decfile_reader *r, struct store_decrypted *d);
/* After the last ballot: nothing may follow. Gives the SHA-256 and the size
 * of every byte of the file. */
int decfile_reader_finish(struct decfile_reader *r, uint8_t sha256[32], uint64_t *size);
void decfile_reader_free(struct decfile_reader *r); /* NULL ok */

#endif
