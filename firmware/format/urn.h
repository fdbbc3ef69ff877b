/*
 * The urn's ballots file ("ballots.bin", docs/FORMATS.md), v1:
 *   header (16 bytes): "SCEAUBAL" | u16be version = 1 | u16be 0 | u32be count
 *   count records:     u16be len | record (len bytes)
 *   record:            u16be scrutin_id | R (65) | ct (pt_len(scrutin) + 16)
 * Records are sorted by tracker, strictly ascending (so no duplicate):
 *   tracker = hash_tagged("sceau/tracker/v1", record)
 * The reader is a push parser: feed it any chunks; it checks every rule
 * above against the election definition and calls back once per ballot,
 * in constant memory. Errors name the record number (1-based).
 */
#ifndef SCEAU_FORMAT_URN_H
#define SCEAU_FORMAT_URN_H

#include <stddef.h>
#include <stdint.h>

#include "format/election.h"
#include "crypto/ballot.h"

#define URN_MAGIC "SCEAUBAL"
#define URN_VERSION 1
#define URN_HEADER_LEN 16
#define URN_RECORD_MAX (2 + 65 + BALLOT_PT_MAX + BALLOT_TAG_LEN)
#define URN_MAX_BALLOTS 100000000u
#define URN_TRACKER_TAG "sceau/tracker/v1"

struct urn_ballot {
	uint64_t number;        /* 1-based position in the file */
	uint16_t scrutin;
	const uint8_t *record;  /* the whole record (valid during the callback) */
	size_t record_len;
	const uint8_t *R;       /* 65 bytes, a validated point */
	const uint8_t *ct;
	size_t ct_len;
	uint8_t tracker[32];
};

typedef int (*urn_ballot_fn)(const struct urn_ballot *b, void *arg);

struct urn_reader;

int urn_reader_new(const struct election *e, urn_ballot_fn fn, void *arg,
		   struct urn_reader **out);
/* The same with the point and tracker checks spread over jobs worker
 * threads (0: none); fn is still called in file order, in the caller's
 * thread, and the first failure in file order is the one reported. */
int urn_reader_new_jobs(const struct election *e, urn_ballot_fn fn, void *arg,
			unsigned jobs, struct urn_reader **out);
int urn_reader_feed(struct urn_reader *r, const uint8_t *data, size_t len);
/* End of file: the header's count must have been met exactly. */
int urn_reader_finish(struct urn_reader *r, uint64_t *count);
void urn_reader_free(struct urn_reader *r);

int urn_tracker(const uint8_t *record, size_t len, uint8_t out[32]);
/* Encodes one record; out must hold URN_RECORD_MAX bytes. */
int urn_record_encode(uint16_t scrutin, const uint8_t R[65], const uint8_t *ct,
		      size_t ct_len, uint8_t *out, size_t *len);
void urn_header_encode(uint32_t count, uint8_t out[URN_HEADER_LEN]);

#endif
