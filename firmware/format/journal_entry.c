/* One journal entry and its chained hash; see journal_entry.h. */
#include <string.h>
#include <time.h>

#include "crypto/hash.h"
#include "format/journal_entry.h"

void journal_now(char out[32])
{
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int journal_hash(const struct journal_row *row, uint8_t out[32])
{
	uint8_t seq[8];
	struct hash_part parts[5];

	for (int i = 0; i < 8; i++)
		seq[i] = (uint8_t)(row->seq >> (56 - 8 * i));
	parts[0] = (struct hash_part){ seq, sizeof(seq) };
	parts[1] = (struct hash_part){ row->prev, 32 };
	parts[2] = (struct hash_part){ row->time, strlen(row->time) };
	parts[3] = (struct hash_part){ row->event, strlen(row->event) };
	parts[4] = (struct hash_part){ row->detail, strlen(row->detail) };
	return hash_tagged("sceau/journal/v1", parts, 5, out);
}
