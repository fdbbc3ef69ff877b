/*
 * The activity journal: append-only, timestamped, each entry chained to the
 * previous one, so that removing or editing an entry breaks every later hash.
 *   hash_n = hash_tagged("sceau/journal/v1",
 *            u64be(seq) || prev(32) || time || event || detail)
 * with prev of entry 1 = 32 zero bytes. The head (last hash) is printed on
 * the reports. Details are short public texts; never a secret, never a PIN.
 */
#ifndef SCEAU_CORE_JOURNAL_H
#define SCEAU_CORE_JOURNAL_H

#include <stdint.h>

#include "store/store.h"

int journal_append(struct store *s, const char *event, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Head hash and number of entries (zeros and 0 for an empty journal). */
int journal_head(struct store *s, uint8_t head[32], uint64_t *count);
/* Recomputes the chain; ERR_VERIFY with err_detail naming the first bad entry. */
int journal_verify(struct store *s, uint64_t *count, uint8_t head[32]);
/* The hash of one entry, as defined above. */
int journal_hash(const struct journal_row *row, uint8_t out[32]);
/* UTC now as "YYYY-MM-DDTHH:MM:SSZ". */
void journal_now(char out[32]);

#endif
