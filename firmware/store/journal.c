/* Hash-chained journal over the session store; see journal.h. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "lib/err.h"
#include "store/journal.h"

#define JOURNAL_DETAIL_MAX 2048

int journal_append(struct store *s, const char *event, const char *fmt, ...)
{
	struct journal_row last, row;
	char detail[JOURNAL_DETAIL_MAX];
	va_list ap;
	int ret;

	if (strlen(event) >= sizeof(row.event))
		return ERR_RANGE;
	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	ret = store_journal_last(s, &last);
	if (ret)
		return ret;
	memset(&row, 0, sizeof(row));
	row.seq = last.seq + 1;
	memcpy(row.prev, last.hash, 32);
	journal_now(row.time);
	memcpy(row.event, event, strlen(event) + 1);
	row.detail = detail;
	ret = journal_hash(&row, row.hash);
	if (ret == 0)
		ret = store_journal_insert(s, &row);
	return ret;
}

int journal_head(struct store *s, uint8_t head[32], uint64_t *count)
{
	struct journal_row last;
	int ret = store_journal_last(s, &last);

	if (ret)
		return ret;
	memcpy(head, last.hash, 32);
	if (count)
		*count = last.seq;
	return 0;
}

struct journal_walk {
	uint64_t seq;
	uint8_t prev[32];
};

static int journal_check_row(const struct journal_row *row, void *arg)
{
	struct journal_walk *w = arg;
	uint8_t h[32];

	if (row->seq != w->seq + 1 || memcmp(row->prev, w->prev, 32) != 0) {
		err_detail("journal entry %llu does not follow entry %llu",
			   (unsigned long long)row->seq, (unsigned long long)w->seq);
		return ERR_VERIFY;
	}
	if (journal_hash(row, h) != 0 || memcmp(h, row->hash, 32) != 0) {
		err_detail("journal entry %llu (%s) was altered",
			   (unsigned long long)row->seq, row->event);
		return ERR_VERIFY;
	}
	w->seq = row->seq;
	memcpy(w->prev, row->hash, 32);
	return 0;
}

int journal_verify(struct store *s, uint64_t *count, uint8_t head[32])
{
	struct journal_walk w;
	int ret;

	memset(&w, 0, sizeof(w));
	ret = store_journal_each(s, journal_check_row, &w);
	if (ret)
		return ret;
	if (count)
		*count = w.seq;
	if (head)
		memcpy(head, w.prev, 32);
	return 0;
}
