/*
 * The decrypted-ballots file ("ballots-decrypted.bin", docs/FORMATS.md "The
 * decrypted ballots"): every ballot of every scrutin's shuffled list, in
 * shuffled order, with S = s·A' and the proof that the election key made
 * it, and what M = B' - S carries. No tracker: nothing in it points back to
 * the urn. v2, integers big-endian:
 *   header (16): "SCEAUDEC" | u16 version = 2 | u16 0 | u32 count
 *   per ballot, scrutins in id order, then i = 1..N of the scrutin:
 *     u16 scrutin | u32 i | S (65) | c (32) | z (32) | u8 status |
 *     plaintext (the scrutin's pt_len bytes)
 *   status 0: the plaintext M decodes to; 1: unreadable, plaintext all zero.
 *
 * Both sides stream in constant memory and hash every byte, so the caller
 * gets the file's SHA-256 without a second pass. The reader is strict:
 * magic, version, reserved bytes, scrutins that exist in ascending order,
 * i = 1, 2, ... within each, status 0 or 1, an unreadable ballot's
 * plaintext all zero, S a valid point, c and z below n, exactly the declared
 * count and nothing after. A file the reader accepts is, byte for byte,
 * what the writer makes of the ballots read from it. How many ballots each
 * scrutin has (its shuffle's N) is the caller's check.
 */
#ifndef SCEAU_FORMAT_DECRYPTED_H
#define SCEAU_FORMAT_DECRYPTED_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "crypto/ptenc.h"
#include "format/election.h"

#define DECFILE_MAGIC "SCEAUDEC"
#define DECFILE_VERSION 2
#define DECFILE_HEADER_LEN 16
#define DECFILE_ENTRY_HEAD (2 + 4 + 65 + 32 + 32 + 1) /* an entry before its plaintext */

enum decfile_status {
	DECFILE_READ = 0,        /* M decoded: the plaintext as it is */
	DECFILE_UNREADABLE = 1,  /* M carries no plaintext: nul "unreadable" */
};

/* One decrypted ballot of a scrutin's shuffled list (session/decrypt.c). */
struct decrypted_ballot {
	uint16_t scrutin;
	uint32_t idx;              /* 1-based position in the shuffled list */
	uint8_t S[65];             /* s·A'_idx */
	uint8_t proof[64];         /* DLEQ c || z */
	uint8_t status;            /* enum decfile_status */
	uint8_t pt[PTENC_PT_MAX];  /* pt_len bytes; all zero if unreadable */
	size_t pt_len;             /* the scrutin's pt_len */
};

/* ---- writer ---- */
struct decfile_writer;

/* Creates path (must not exist); count is the number of ballots to come. */
int decfile_open(const char *path, uint32_t count, struct decfile_writer **out);
/* The same onto a stream the caller owns (neither synced nor closed here). */
int decfile_stream(FILE *f, uint32_t count, struct decfile_writer **out);
/* The next ballot: ERR_INTERNAL if it is out of order (scrutin, idx) or its
 * fields are not what the reader accepts. */
int decfile_add(struct decfile_writer *w, const struct decrypted_ballot *d);
/* Ends the file (synced and closed if decfile_open made it) and gives its
 * SHA-256; ERR_INTERNAL if fewer or more ballots than declared were added.
 * A file that fails is removed. w is freed in every case. */
int decfile_close(struct decfile_writer *w, uint8_t sha256[32]);
/* Abandons a file being written (removes it if decfile_open made it).
 * NULL ok. */
void decfile_abort(struct decfile_writer *w);

/* ---- reader ---- */
struct decfile_reader;

/* Reads the header of f (not closed by the reader); e gives the scrutins
 * and their plaintext lengths. */
int decfile_reader_new(FILE *f, const struct election *e, struct decfile_reader **out);
/* The count declared by the header. */
uint32_t decfile_reader_count(const struct decfile_reader *r);
/* The next ballot into *d: 0, 1 at the end of the declared ballots, or
 * ERR_FORMAT / ERR_IO. Errors name the ballot (1-based in the file). */
int decfile_reader_next(struct decfile_reader *r, struct decrypted_ballot *d);
/* After the last ballot: nothing may follow. Gives the SHA-256 and the size
 * of every byte of the file. */
int decfile_reader_finish(struct decfile_reader *r, uint8_t sha256[32], uint64_t *size);
void decfile_reader_free(struct decfile_reader *r); /* NULL ok */

#endif
