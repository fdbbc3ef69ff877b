/*
 * The urn's ballots file ("ballots.bin", docs/FORMATS.md "The urn
 * (sceau-urn/2)"), integers big-endian:
 *   header (16 bytes): "SCEAUBAL" | u16 version = 2 | u16 0 | u32 count
 *   count records of 196 bytes: u16 scrutin_id | A (65) | B (65) | c (32) | z (32)
 * so the file is exactly 16 + 196 * count bytes. Records are sorted by
 * tracker, strictly ascending (so no record appears twice):
 *   tracker = H("sceau/tracker/v2"; record)   (crypto/ballot.h)
 *
 * The reader is a push parser: feed it any chunks; in constant memory it
 * checks every rule that refuses the whole urn (the header, the size, the
 * scrutin, A and B valid points, c and z below n, the order) and checks
 * the ballot's proof of knowledge, on `jobs` worker threads, then calls
 * back once per ballot in file order with the outcome of the proof. A
 * failed proof is not an error of the file: the ballot is set aside by the
 * caller (nul "proof-failed"), as are repeated A's (the caller's check:
 * only ballots whose proof holds count, docs/FORMATS.md). Errors name the
 * record number (1-based).
 *
 * The writer side is the header (urn_header_encode): records are written as
 * crypto/ballot.h makes them, in tracker order.
 */
#ifndef SCEAU_FORMAT_URN_H
#define SCEAU_FORMAT_URN_H

#include <stddef.h>
#include <stdint.h>

#include "format/election.h"
#include "crypto/ballot.h"

#define URN_MAGIC "SCEAUBAL"
#define URN_VERSION 2
#define URN_HEADER_LEN 16
#define URN_RECORD_LEN BALLOT2_RECORD_LEN
#define URN_MAX_BALLOTS 100000000u

struct urn_ballot {
	uint64_t number;        /* 1-based position in the file */
	uint16_t scrutin;
	const uint8_t *record;  /* URN_RECORD_LEN bytes (valid during the callback) */
	const uint8_t *A, *B;   /* in record: valid points */
	uint8_t tracker[32];
	int proof_ok;           /* 1 if the proof of knowledge holds */
};

typedef int (*urn_ballot_fn)(const struct urn_ballot *b, void *arg);

struct urn_reader;

/* The checks of each record (points, scalars, proof, tracker) run on jobs
 * worker threads (0: in the caller's thread); fn is called in file order,
 * in the caller's thread, and the first failure in file order is the one
 * reported. */
int urn_reader_new(const struct election *e, urn_ballot_fn fn, void *arg, unsigned jobs,
		   struct urn_reader **out);
/* The function that checks each record's proof of knowledge, with the
 * answers of ballot2_check (the default; the box never changes it): the
 * host verifier may pass the OpenSSL implementation (crypto/checks.h).
 * Before the first feed. */
typedef int (*urn_check_fn)(const uint8_t election_id[32], const uint8_t *record, size_t len);
void urn_reader_set_check(struct urn_reader *r, urn_check_fn check);
int urn_reader_feed(struct urn_reader *r, const uint8_t *data, size_t len);
/* End of file: the header's count must have been met exactly. */
int urn_reader_finish(struct urn_reader *r, uint64_t *count);
void urn_reader_free(struct urn_reader *r);

void urn_header_encode(uint32_t count, uint8_t out[URN_HEADER_LEN]);
/* The size of a file of count records. */
uint64_t urn_file_size(uint64_t count);

#endif
