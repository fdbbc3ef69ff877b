/* Streaming reader and encoder of the urn's ballots file; see urn.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/batch.h"
#include "lib/err.h"
#include "crypto/group.h"
#include "crypto/hash.h"
#include "format/bin_header.h"
#include "format/urn.h"

enum urn_state { URN_HEADER, URN_LEN, URN_RECORD };

#define URN_BATCH 512

/* A framed record on its way through the workers (batch.h). */
struct urn_item {
	uint64_t number;
	uint16_t scrutin;
	uint16_t len;
	int err; /* of the worker's checks, reported in file order */
	int bad_point;
	uint8_t tracker[32];
	uint8_t rec[URN_RECORD_MAX];
	char detail[160];
};

struct urn_reader {
	const struct election *e;
	urn_ballot_fn fn;
	void *arg;
	enum urn_state state;
	uint8_t buf[URN_RECORD_MAX];
	size_t have, need;
	uint64_t declared, framed, seen;
	uint8_t prev[32];
	struct batch *b;
};

int urn_tracker(const uint8_t *record, size_t len, uint8_t out[32])
{
	struct hash_part part = { record, len };

	return hash_tagged(URN_TRACKER_TAG, &part, 1, out);
}

static const struct bin_header urn_hdr = {
	"ballots.bin", URN_MAGIC, URN_VERSION, URN_MAX_BALLOTS
};
_Static_assert(URN_HEADER_LEN == BIN_HEADER_LEN, "the binary files' common header");

void urn_header_encode(uint32_t count, uint8_t out[URN_HEADER_LEN])
{
	bin_header_encode(&urn_hdr, count, out);
}

int urn_record_encode(uint16_t scrutin, const uint8_t R[65], const uint8_t *ct,
		      size_t ct_len, uint8_t *out, size_t *len)
{
	if (ct_len < BALLOT_TAG_LEN || 2 + 65 + ct_len > URN_RECORD_MAX)
		return ERR_RANGE;
	out[0] = (uint8_t)(scrutin >> 8);
	out[1] = (uint8_t)scrutin;
	memcpy(out + 2, R, 65);
	memcpy(out + 67, ct, ct_len);
	*len = 67 + ct_len;
	return 0;
}

static void urn_work(void *item, void *arg);
static int urn_deliver(void *item, void *arg);

int urn_reader_new_jobs(const struct election *e, urn_ballot_fn fn, void *arg,
			unsigned jobs, struct urn_reader **out)
{
	struct urn_reader *r = calloc(1, sizeof(*r));
	int ret;

	*out = NULL;
	if (!r)
		return ERR_NOMEM;
	r->e = e;
	r->fn = fn;
	r->arg = arg;
	r->state = URN_HEADER;
	r->need = URN_HEADER_LEN;
	ret = batch_new(sizeof(struct urn_item), URN_BATCH, jobs, urn_work, urn_deliver, r,
			&r->b);
	if (ret) {
		free(r);
		return ret;
	}
	*out = r;
	return 0;
}

int urn_reader_new(const struct election *e, urn_ballot_fn fn, void *arg,
		   struct urn_reader **out)
{
	return urn_reader_new_jobs(e, fn, arg, 0, out);
}

void urn_reader_free(struct urn_reader *r)
{
	if (!r)
		return;
	batch_free(r->b);
	free(r);
}

static int urn_header(struct urn_reader *r)
{
	uint32_t n;
	int ret = bin_header_decode(&urn_hdr, r->buf, &n);

	if (ret)
		return ret;
	r->declared = n;
	r->state = URN_LEN;
	r->need = 2;
	return 0;
}

static int urn_length(struct urn_reader *r)
{
	size_t len = (size_t)r->buf[0] << 8 | r->buf[1];

	if (r->framed >= r->declared) {
		err_detail("ballots.bin, record %llu: more records than the %llu declared",
			   (unsigned long long)r->framed + 1, (unsigned long long)r->declared);
		return ERR_FORMAT;
	}
	if (len < 2 + 65 + BALLOT_TAG_LEN + 1 || len > URN_RECORD_MAX) {
		err_detail("ballots.bin, record %llu: length %zu out of bounds",
			   (unsigned long long)r->framed + 1, len);
		return ERR_FORMAT;
	}
	r->state = URN_RECORD;
	r->need = len;
	return 0;
}

/* The cheap checks, in the reading thread: the record's frame. */
static int urn_record(struct urn_reader *r)
{
	struct urn_item *it;
	const struct scrutin *s;
	unsigned long long n = (unsigned long long)r->framed + 1;
	uint16_t scrutin = (uint16_t)(r->buf[0] << 8 | r->buf[1]);
	size_t ct_len = r->need - 67;
	int ret;

	s = election_scrutin(r->e, scrutin);
	if (!s) {
		err_detail("ballots.bin, record %llu: scrutin %u does not exist", n, scrutin);
		return ERR_FORMAT;
	}
	if (ct_len != s->pt_len + BALLOT_TAG_LEN) {
		err_detail("ballots.bin, record %llu: ciphertext of %zu bytes, scrutin %u "
			   "needs %u", n, ct_len, scrutin, s->pt_len + BALLOT_TAG_LEN);
		return ERR_FORMAT;
	}
	it = batch_slot(r->b, &ret);
	if (!it)
		return ret;
	it->number = n;
	it->err = 0;
	it->bad_point = 0;
	it->detail[0] = '\0';
	it->scrutin = scrutin;
	it->len = (uint16_t)r->need;
	memcpy(it->rec, r->buf, r->need);
	r->framed++;
	r->state = URN_LEN;
	r->need = 2;
	return batch_push(r->b);
}

/* The costly checks, in a worker: the point and the tracker. */
static void urn_work(void *item, void *arg)
{
	struct urn_item *it = item;

	(void)arg;
	if (group_point_check(it->rec + 2) != 0) {
		it->bad_point = 1;
		it->err = ERR_FORMAT;
		return;
	}
	it->err = urn_tracker(it->rec, it->len, it->tracker);
	if (it->err)
		snprintf(it->detail, sizeof(it->detail), "%s", err_last_detail());
}

/* In file order, in the reading thread: outcome, sort order, then fn. */
static int urn_deliver(void *item, void *arg)
{
	struct urn_item *it = item;
	struct urn_reader *r = arg;
	unsigned long long n = (unsigned long long)it->number;
	struct urn_ballot b;

	if (it->bad_point) {
		err_detail("ballots.bin, record %llu: R is not a valid P-256 point", n);
		return ERR_FORMAT;
	}
	if (it->err) {
		err_detail("%s", it->detail);
		return it->err;
	}
	if (r->seen > 0 && memcmp(it->tracker, r->prev, 32) <= 0) {
		/* Two formats, not one with an English argument: the bureau reads
		 * either in its language (ui/msg_detail.h). */
		if (memcmp(it->tracker, r->prev, 32) == 0)
			err_detail("ballots.bin, record %llu: duplicate tracker", n);
		else
			err_detail("ballots.bin, record %llu: not sorted by tracker", n);
		return ERR_FORMAT;
	}
	memcpy(r->prev, it->tracker, 32);
	r->seen++;
	memset(&b, 0, sizeof(b));
	b.number = it->number;
	b.scrutin = it->scrutin;
	b.record = it->rec;
	b.record_len = it->len;
	b.R = it->rec + 2;
	b.ct = it->rec + 67;
	b.ct_len = it->len - 67u;
	memcpy(b.tracker, it->tracker, 32);
	return r->fn(&b, r->arg);
}

int urn_reader_feed(struct urn_reader *r, const uint8_t *data, size_t len)
{
	int ret = 0;

	while (len > 0 && ret == 0) {
		size_t take = r->need - r->have;
		if (take > len)
			take = len;
		memcpy(r->buf + r->have, data, take);
		r->have += take;
		data += take;
		len -= take;
		if (r->have < r->need)
			break;
		r->have = 0;
		if (r->state == URN_HEADER)
			ret = urn_header(r);
		else if (r->state == URN_LEN)
			ret = urn_length(r);
		else
			ret = urn_record(r);
	}
	return ret ? batch_frame_error(r->b, ret) : 0;
}

int urn_reader_finish(struct urn_reader *r, uint64_t *count)
{
	int ret = batch_drain(r->b);

	if (ret)
		return ret;
	if (r->state == URN_HEADER) {
		err_detail("ballots.bin: shorter than its header");
		return ERR_FORMAT;
	}
	if (r->have != 0 || r->state == URN_RECORD) {
		err_detail("ballots.bin, record %llu: truncated",
			   (unsigned long long)r->seen + 1);
		return ERR_FORMAT;
	}
	if (r->seen != r->declared) {
		err_detail("ballots.bin: %llu records, the header declares %llu",
			   (unsigned long long)r->seen, (unsigned long long)r->declared);
		return ERR_FORMAT;
	}
	if (count)
		*count = r->seen;
	return 0;
}
