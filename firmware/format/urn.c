/* Streaming reader of the urn's ballots file, and its header; see urn.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/batch.h"
#include "lib/err.h"
#include "crypto/group.h"
#include "format/bin_header.h"
#include "format/urn.h"

enum urn_state { URN_HEADER, URN_RECORD };

#define URN_BATCH 256

/* A record on its way through the workers (batch.h). */
struct urn_item {
	uint64_t number;
	int err;      /* the record is malformed: the whole urn is refused */
	int proof_ok;
	const char *bad;  /* the malformed field ("A", "B", "c", "z"), or NULL */
	int bad_point;
	uint8_t tracker[32];
	uint8_t rec[URN_RECORD_LEN];
	char detail[120];
};

struct urn_reader {
	const struct election *e;
	urn_ballot_fn fn;
	void *arg;
	enum urn_state state;
	uint8_t buf[URN_RECORD_LEN];
	size_t have, need;
	uint64_t declared, framed, seen;
	uint8_t prev[32];
	struct batch *b;
	urn_check_fn check;      /* the proof of knowledge's check */
};

static const struct bin_header urn_hdr = {
	"ballots.bin", URN_MAGIC, URN_VERSION, URN_MAX_BALLOTS
};
_Static_assert(URN_HEADER_LEN == BIN_HEADER_LEN, "the binary files' common header");

void urn_header_encode(uint32_t count, uint8_t out[URN_HEADER_LEN])
{
	bin_header_encode(&urn_hdr, count, out);
}

uint64_t urn_file_size(uint64_t count)
{
	return URN_HEADER_LEN + URN_RECORD_LEN * count;
}

static void urn_work(void *item, void *arg);
static int urn_deliver(void *item, void *arg);

int urn_reader_new(const struct election *e, urn_ballot_fn fn, void *arg, unsigned jobs,
		   struct urn_reader **out)
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
	r->check = ballot2_check;
	ret = batch_new(sizeof(struct urn_item), URN_BATCH, jobs, urn_work, urn_deliver, r,
			&r->b);
	if (ret) {
		free(r);
		return ret;
	}
	*out = r;
	return 0;
}

void urn_reader_set_check(struct urn_reader *r, urn_check_fn check)
{
	r->check = check ? check : ballot2_check;
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
	r->state = URN_RECORD;
	r->need = URN_RECORD_LEN;
	return 0;
}

/* The cheap checks, in the reading thread: the count and the scrutin. */
static int urn_record(struct urn_reader *r)
{
	struct urn_item *it;
	unsigned long long n = (unsigned long long)r->framed + 1;
	uint16_t scrutin = ballot2_scrutin(r->buf);
	int ret;

	if (r->framed >= r->declared) {
		err_detail("ballots.bin, record %llu: more records than the %llu declared", n,
			   (unsigned long long)r->declared);
		return ERR_FORMAT;
	}
	if (!election_scrutin(r->e, scrutin)) {
		err_detail("ballots.bin, record %llu: scrutin %u does not exist", n, scrutin);
		return ERR_FORMAT;
	}
	it = batch_slot(r->b, &ret);
	if (!it)
		return ret;
	it->number = n;
	it->err = 0;
	it->proof_ok = 0;
	it->bad = NULL;
	it->detail[0] = '\0';
	memcpy(it->rec, r->buf, URN_RECORD_LEN);
	r->framed++;
	return batch_push(r->b);
}

/* 1 if the 32 bytes are below n (0 allowed: docs/FORMATS.md). */
static int urn_canonical(const uint8_t x[GROUP_SCALAR_LEN])
{
	return scalar_is_zero(x) || scalar_is_valid(x);
}

/* What makes a record malformed, named; 0 if it is well formed. The
 * detail is worded in the reading thread (urn_deliver), with a literal
 * format that the bureau reads in its language (ui/msg_detail.h). */
static int urn_malformed(struct urn_item *it)
{
	static const struct {
		size_t off;
		int point;
		const char *name;
	} fields[] = {
		{ BALLOT2_OFF_A, 1, "A" }, { BALLOT2_OFF_B, 1, "B" },
		{ BALLOT2_OFF_C, 0, "c" }, { BALLOT2_OFF_Z, 0, "z" },
	};

	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		const uint8_t *f = it->rec + fields[i].off;
		if (fields[i].point ? group_point_check(f) == 0 : urn_canonical(f))
			continue;
		it->bad = fields[i].name;
		it->bad_point = fields[i].point;
		return ERR_FORMAT;
	}
	return 0;
}

/* The costly checks, in a worker: points, scalars, the proof, the tracker. */
static void urn_work(void *item, void *arg)
{
	struct urn_item *it = item;
	const struct urn_reader *r = arg;
	int ret = urn_malformed(it);

	if (!ret) {
		ret = r->check(r->e->id, it->rec, URN_RECORD_LEN);
		it->proof_ok = ret == 0;
		if (ret == ERR_VERIFY)
			ret = 0;
		if (!ret)
			ret = ballot2_tracker(it->rec, it->tracker);
		if (ret)
			snprintf(it->detail, sizeof(it->detail), "%s", err_last_detail());
	}
	it->err = ret;
}

/* In file order, in the reading thread: outcome, sort order, then fn. */
static int urn_deliver(void *item, void *arg)
{
	struct urn_item *it = item;
	struct urn_reader *r = arg;
	unsigned long long n = (unsigned long long)it->number;
	struct urn_ballot b;

	if (it->bad && it->bad_point)
		err_detail("ballots.bin, record %llu: %s is not a valid P-256 point", n, it->bad);
	else if (it->bad)
		err_detail("ballots.bin, record %llu: %s is not below the group order n", n,
			   it->bad);
	else if (it->err)
		err_detail("%s", it->detail);
	if (it->err)
		return it->err;
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
	b.scrutin = ballot2_scrutin(it->rec);
	b.record = it->rec;
	b.A = it->rec + BALLOT2_OFF_A;
	b.B = it->rec + BALLOT2_OFF_B;
	b.proof_ok = it->proof_ok;
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
		ret = r->state == URN_HEADER ? urn_header(r) : urn_record(r);
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
	if (r->have != 0) {
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
