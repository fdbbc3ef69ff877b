/*
 * One entry of the activity journal: timestamped, each entry chained to the
 * previous one, so that removing or editing an entry breaks every later hash.
 *   hash_n = hash_tagged("sceau/journal/v1",
 *            u64be(seq) || prev(32) || time || event || detail)
 * with prev of entry 1 = 32 zero bytes. The head (last hash) is printed on
 * the reports. Details are short public texts; never a secret, never a PIN.
 */
#ifndef SCEAU_FORMAT_JOURNAL_ENTRY_H
#define SCEAU_FORMAT_JOURNAL_ENTRY_H

#include <stdint.h>

struct journal_row {
	uint64_t seq;          /* 1, 2, ... */
	char time[32];         /* UTC, ISO 8601 */
	char event[64];
	char *detail;          /* malloc'd, NUL-terminated; freed by the caller */
	uint8_t prev[32], hash[32];
};

/* The hash of one entry, as defined above. */
int journal_hash(const struct journal_row *row, uint8_t out[32]);
/* UTC now as "YYYY-MM-DDTHH:MM:SSZ". */
void journal_now(char out[32]);

#endif
