/*
 * The activity journal of a session, in its store: append-only, each entry
 * chained to the previous one (format/journal_entry.h). The head (last
 * hash) is printed on the reports. Details are short public texts; never
 * a secret, never a PIN.
 */
#ifndef SCEAU_STORE_JOURNAL_H
#define SCEAU_STORE_JOURNAL_H

#include <stdint.h>

#include "store/store.h"

int journal_append(struct store *s, const char *event, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Head hash and number of entries (zeros and 0 for an empty journal). */
int journal_head(struct store *s, uint8_t head[32], uint64_t *count);
/* Recomputes the chain; ERR_VERIFY with err_detail naming the first bad entry. */
int journal_verify(struct store *s, uint64_t *count, uint8_t head[32]);

#endif
