/*
 * The shuffle file "shuffle-<scrutin>.bin" (docs/FORMATS.md "Shuffle file"):
 * one scrutin's shuffled list and its proof, integers big-endian:
 *   header (52 bytes): "SCEAUSHF" | u16 version = 2 | u16 0 | election_id (32)
 *                      | u16 scrutin_id | u16 0 | u32 N   (1 <= N <= SHUFFLE_MAX_N)
 *   then the parts of crypto/shuffle.h in their order: OUT (A'_i || B'_i),
 *   C, C^, T (t1..tB), t^, S (s1..s4), s^, s'
 * exactly 505 + 389 * N bytes. The inputs are not in the file: they are
 * the urn's records of that scrutin not set aside, in urn order.
 *
 * The writer takes the prover's parts in file order (as shuffle_io.write
 * gives them), refuses any other order, and hashes every byte; the file is
 * created under the caller's temporary name and synced, the caller renames
 * it. The reader checks the header against the statement it expects and
 * the size, then serves any element of any part by positional reads (the
 * points and scalars themselves are the proof checker's business).
 */
#ifndef SCEAU_FORMAT_SHUFFLE_FILE_H
#define SCEAU_FORMAT_SHUFFLE_FILE_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/shuffle.h"

#define SHUFFLE_FILE_MAGIC "SCEAUSHF"
#define SHUFFLE_FILE_VERSION 2
#define SHUFFLE_FILE_HEADER_LEN 52
#define SHUFFLE_FILE_NAME_MAX 32

struct shuffle_file_header {
	uint8_t election_id[32];
	uint16_t scrutin;
	uint32_t n;
};

/* "shuffle-<scrutin>.bin" (scrutin in decimal). */
void shuffle_file_name(uint16_t scrutin, char out[SHUFFLE_FILE_NAME_MAX]);
void shuffle_file_header_encode(const struct shuffle_file_header *h,
				uint8_t out[SHUFFLE_FILE_HEADER_LEN]);
/* Strict: magic, version, both reserved fields, 1 <= N <= SHUFFLE_MAX_N
 * (ERR_FORMAT, ERR_RANGE for N, with a detail naming the field). */
int shuffle_file_header_decode(const uint8_t in[SHUFFLE_FILE_HEADER_LEN],
			       struct shuffle_file_header *h);
/* The size of a file of n ballots: 505 + 389 * n. */
uint64_t shuffle_file_size(uint32_t n);
/* Where a part starts in the file (the header included). */
uint64_t shuffle_file_offset(enum shuffle_part part, uint32_t n);
/* The header's checks, its statement against want (election, scrutin, and N
 * unless want->n is 0) and the file's size: 0 or ERR_FORMAT / ERR_RANGE. */
int shuffle_file_check(const uint8_t hdr[SHUFFLE_FILE_HEADER_LEN], uint64_t size,
		       const struct shuffle_file_header *want, struct shuffle_file_header *got);

/* ---- writer ---- */
struct shuffle_file_writer;

/* Creates path (must not exist) and writes the header. */
int shuffle_file_create(const char *path, const struct shuffle_file_header *h,
			struct shuffle_file_writer **out);
/* Elements first .. first + count - 1 of part, which must be the next ones
 * in file order (else ERR_INTERNAL). */
int shuffle_file_write(struct shuffle_file_writer *w, enum shuffle_part part, uint32_t first,
		       uint32_t count, const uint8_t *data);
/* Every part written: flushed, synced, closed, its SHA-256 given; ERR_INTERNAL
 * if a part is missing. On any failure the file is removed. w is freed. */
int shuffle_file_finish(struct shuffle_file_writer *w, uint8_t sha256[32]);
/* Abandons the file (closed and removed). NULL ok. */
void shuffle_file_abort(struct shuffle_file_writer *w);

/* ---- reader ---- */
struct shuffle_file_reader;

/* Opens path (a regular file) and checks it against want (shuffle_file_check). */
int shuffle_file_open(const char *path, const struct shuffle_file_header *want,
		      struct shuffle_file_reader **out);
const struct shuffle_file_header *shuffle_file_header(const struct shuffle_file_reader *r);
/* Elements first .. first + count - 1 of part into out (ERR_RANGE past the
 * part's end, ERR_IO, ERR_FORMAT if the file got shorter). */
int shuffle_file_read(struct shuffle_file_reader *r, enum shuffle_part part, uint32_t first,
		      uint32_t count, uint8_t *out);
void shuffle_file_close(struct shuffle_file_reader *r); /* NULL ok */

#endif
