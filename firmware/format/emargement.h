/*
 * The émargement's entries file ("entries.bin", docs/FORMATS.md), v1, all
 * integers big-endian:
 *   header (16 bytes): "SCEAUEMG" | u16 version = 1 | u16 0 | u32 count
 *   count entries:     u16 scrutin | i64 time | i16 offset | u8 len | voter
 * time: seconds since 1970-01-01T00:00:00Z, in [2000-01-01, 2100-01-01);
 * offset: the signing place's UTC offset in minutes, -720..+840, a multiple
 * of 15; voter: 1..64 bytes of [A-Za-z0-9_-], an opaque reference the box
 * never joins with the urn.
 * Entries are sorted by (scrutin, voter) strictly ascending, voters in the
 * order of C's strcmp (bytes compared in order; a proper prefix first), so a
 * voter signs at most once per scrutin; nothing follows the last entry.
 * The reader is a push parser: feed it any chunks; it checks every rule in
 * the reading thread, with no allocation per entry, and calls back once per
 * entry in file order, in constant memory. Errors name the entry (1-based).
 */
#ifndef SCEAU_FORMAT_EMARGEMENT_H
#define SCEAU_FORMAT_EMARGEMENT_H

#include <stddef.h>
#include <stdint.h>

#include "format/election.h"

#define EMARG_MAGIC "SCEAUEMG"
#define EMARG_VERSION 1
#define EMARG_HEADER_LEN 16
#define EMARG_MAX_ENTRIES 100000000u   /* the urn's URN_MAX_BALLOTS */
#define EMARG_VOTER_MAX 64
#define EMARG_FIXED_LEN 13             /* scrutin, time, offset, voter length */
#define EMARG_ENTRY_MAX (EMARG_FIXED_LEN + EMARG_VOTER_MAX)
#define EMARG_TIME_MIN INT64_C(946684800)  /* 2000-01-01T00:00:00Z */
#define EMARG_TIME_END INT64_C(4102444800) /* 2100-01-01T00:00:00Z, excluded */
#define EMARG_OFFSET_MIN (-720)
#define EMARG_OFFSET_MAX 840

struct emarg_entry {
	uint64_t number;                 /* 1-based position in the file */
	uint16_t scrutin;
	char voter[EMARG_VOTER_MAX + 1]; /* NUL-terminated */
	int64_t time;                    /* seconds since the epoch, UTC */
	int16_t offset_min;              /* the signing place's UTC offset */
};

typedef int (*emarg_entry_fn)(const struct emarg_entry *e, void *arg);

struct emarg_reader;

int emarg_reader_new(const struct election *e, emarg_entry_fn fn, void *arg,
		     struct emarg_reader **out);
/* A format error or fn's is sticky: later calls return it. */
int emarg_reader_feed(struct emarg_reader *r, const uint8_t *data, size_t len);
/* End of file: the header's count must have been met exactly. */
int emarg_reader_finish(struct emarg_reader *r, uint64_t *count);
void emarg_reader_free(struct emarg_reader *r);

void emarg_header_encode(uint32_t count, uint8_t out[EMARG_HEADER_LEN]);
/* One entry as the writer must produce it (number ignored); its time,
 * offset and voter are checked as the reader does, not its scrutin. */
int emarg_entry_encode(const struct emarg_entry *e, uint8_t *out, size_t cap,
		       size_t *len);

#endif
