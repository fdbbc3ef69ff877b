/*
 * The decrypted-ballots file ("ballots-decrypted.bin", docs/FORMATS.md and
 * docs/VERIFY.md): every ballot of the urn, in urn order, with what the box
 * found when it opened it and the proof that it used the election key.
 * v1, integers big-endian:
 *   header (16): "SCEAUDEC" | u16 version = 1 | u16 0 | u32 count
 *   per ballot:  tracker (32) | u16 scrutin | u8 opened (0/1) | S (65) |
 *                proof c || z (64) | u8 pt_len | plaintext (pt_len bytes,
 *                0 if the ballot did not open)
 *
 * Both sides stream in constant memory and hash every byte, so the caller
 * gets the file's SHA-256 without a second pass. The writer (sceau count)
 * writes exactly the declared number of ballots. The reader (the verifier)
 * is strict: magic, version, reserved bytes, the opened flag 0 or 1, no
 * plaintext for a ballot that did not open, a plaintext of its scrutin's
 * pt_len for one that did, S a valid P-256 point, trackers strictly
 * ascending (urn order), exactly the declared count, nothing after the last
 * ballot; its errors name the ballot number (1-based) and the field. A file
 * the reader accepts is, byte for byte, what the writer makes of the
 * ballots read from it.
 */
#ifndef SCEAU_FORMAT_DECRYPTED_H
#define SCEAU_FORMAT_DECRYPTED_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "format/election.h"

#define DECFILE_MAGIC "SCEAUDEC"
#define DECFILE_VERSION 1
#define DECFILE_HEADER_LEN 16
#define DECFILE_ENTRY_HEAD (32 + 2 + 1 + 65 + 64 + 1) /* an entry before its plaintext */

/* One decrypted ballot (session/decrypt.c): the plaintext as opened (empty if
 * the tag did not verify), the shared point S = sR and its DLEQ proof. */
struct decrypted_ballot {
	uint64_t seq;
	uint16_t scrutin;
	int opened;              /* 1 if the AES-GCM tag verified */
	uint8_t tracker[32];
	uint8_t S[65];
	uint8_t proof[64];
	uint8_t pt[256];
	size_t pt_len;
};

/* ---- writer ---- */
struct decfile_writer;

/* Creates path (must not exist); count is the number of ballots to come. */
int decfile_open(const char *path, uint32_t count, struct decfile_writer **out);
/* The same onto a stream the caller owns (neither synced nor closed here). */
int decfile_stream(FILE *f, uint32_t count, struct decfile_writer **out);
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

/* Reads the header of f (not closed by the reader). e, if not NULL, is used
 * to check every scrutin and plaintext length. */
int decfile_reader_new(FILE *f, const struct election *e, struct decfile_reader **out);
/* The count declared by the header. */
uint32_t decfile_reader_count(const struct decfile_reader *r);
/* The next ballot into *d (seq = its 1-based number): 0, 1 at the end of
 * the declared ballots, or ERR_FORMAT / ERR_IO. */
int decfile_reader_next(struct decfile_reader *r, struct decrypted_ballot *d);
/* After the last ballot: nothing may follow. Gives the SHA-256 and the size
 * of every byte of the file. */
int decfile_reader_finish(struct decfile_reader *r, uint8_t sha256[32], uint64_t *size);
void decfile_reader_free(struct decfile_reader *r); /* NULL ok */

#endif
