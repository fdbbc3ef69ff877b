/* Streaming reader and encoder of the émargement's entries; see emargement.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/err.h"
#include "format/bin_header.h"
#include "format/emargement.h"
#include "format/urn.h"

_Static_assert(EMARG_MAX_ENTRIES == URN_MAX_BALLOTS,
	       "an émargement may list as many signatures as an urn holds ballots");
_Static_assert(EMARG_HEADER_LEN <= EMARG_VOTER_MAX && EMARG_FIXED_LEN <= EMARG_VOTER_MAX,
	       "the reader's buffer holds every part of the file");

enum emarg_state { EMARG_HEADER, EMARG_FIXED, EMARG_VOTER };

struct emarg_reader {
	const struct election *e;
	emarg_entry_fn fn;
	void *arg;
	enum emarg_state state;
	uint8_t buf[EMARG_VOTER_MAX]; /* the largest part: header 16, fixed 13 */
	size_t have, need;
	uint64_t declared, seen;
	int err; /* sticky */
	struct emarg_entry cur, prev;
};

static unsigned emarg_u16(const uint8_t *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static int emarg_i16(const uint8_t *p)
{
	unsigned u = emarg_u16(p);

	return u >= 0x8000u ? (int)u - 0x10000 : (int)u;
}

static int64_t emarg_i64(const uint8_t *p)
{
	uint64_t u = 0;

	for (int i = 0; i < 8; i++)
		u = u << 8 | p[i];
	return u > (uint64_t)INT64_MAX ? -(int64_t)~u - 1 : (int64_t)u;
}

static int emarg_time_ok(int64_t t)
{
	return t >= EMARG_TIME_MIN && t < EMARG_TIME_END;
}

static int emarg_offset_ok(int off)
{
	return off >= EMARG_OFFSET_MIN && off <= EMARG_OFFSET_MAX && off % 15 == 0;
}

static int emarg_voter_byte_ok(uint8_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-';
}

/* The position (1-based) of the first byte not allowed, 0 if none. */
static size_t emarg_voter_bad(const uint8_t *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!emarg_voter_byte_ok(v[i]))
			return i + 1;
	return 0;
}

int emarg_reader_new(const struct election *e, emarg_entry_fn fn, void *arg,
		     struct emarg_reader **out)
{
	struct emarg_reader *r = calloc(1, sizeof(*r));

	*out = NULL;
	if (!r)
		return ERR_NOMEM;
	r->e = e;
	r->fn = fn;
	r->arg = arg;
	r->state = EMARG_HEADER;
	r->need = EMARG_HEADER_LEN;
	*out = r;
	return 0;
}

void emarg_reader_free(struct emarg_reader *r)
{
	free(r);
}

static const struct bin_header emarg_hdr = {
	"entries.bin", EMARG_MAGIC, EMARG_VERSION, EMARG_MAX_ENTRIES
};
_Static_assert(EMARG_HEADER_LEN == BIN_HEADER_LEN, "the binary files' common header");

static int emarg_header(struct emarg_reader *r, const uint8_t *h)
{
	uint32_t n;
	int ret = bin_header_decode(&emarg_hdr, h, &n);

	if (ret)
		return ret;
	r->declared = n;
	r->state = EMARG_FIXED;
	r->need = EMARG_FIXED_LEN;
	return 0;
}

/* scrutin, time, offset and voter length: each checked as soon as read. */
static int emarg_fixed(struct emarg_reader *r, const uint8_t *p)
{
	struct emarg_entry *en = &r->cur;
	unsigned long long n = (unsigned long long)r->seen + 1;
	unsigned len = p[12];

	en->number = n;
	en->scrutin = (uint16_t)emarg_u16(p);
	en->time = emarg_i64(p + 2);
	en->offset_min = (int16_t)emarg_i16(p + 10);
	if (!election_scrutin(r->e, en->scrutin)) {
		err_detail("entries.bin, entry %llu: scrutin %u does not exist", n, en->scrutin);
		return ERR_FORMAT;
	}
	if (!emarg_time_ok(en->time)) {
		err_detail("entries.bin, entry %llu: time %lld is not within "
			   "[2000-01-01T00:00:00Z, 2100-01-01T00:00:00Z)", n, (long long)en->time);
		return ERR_FORMAT;
	}
	if (!emarg_offset_ok(en->offset_min)) {
		err_detail("entries.bin, entry %llu: UTC offset of %d minutes (a multiple of 15 "
			   "from -720 to +840)", n, en->offset_min);
		return ERR_FORMAT;
	}
	if (len < 1 || len > EMARG_VOTER_MAX) {
		err_detail("entries.bin, entry %llu: voter reference of %u bytes (1 to %u)", n,
			   len, EMARG_VOTER_MAX);
		return ERR_FORMAT;
	}
	r->state = EMARG_VOTER;
	r->need = len;
	return 0;
}

/* The voter reference, the sort order, then fn. */
static int emarg_voter(struct emarg_reader *r, const uint8_t *p)
{
	struct emarg_entry *en = &r->cur;
	unsigned long long n = (unsigned long long)en->number;
	size_t bad = emarg_voter_bad(p, r->need);
	int order;

	if (bad) {
		err_detail("entries.bin, entry %llu: voter reference byte %zu is 0x%02x, "
			   "only A-Z a-z 0-9 _ - allowed", n, bad, p[bad - 1]);
		return ERR_FORMAT;
	}
	memcpy(en->voter, p, r->need);
	en->voter[r->need] = '\0';
	/* No NUL in a reference: strcmp is the documented byte order. */
	order = en->scrutin != r->prev.scrutin ? (en->scrutin > r->prev.scrutin ? 1 : -1)
					       : strcmp(en->voter, r->prev.voter);
	if (r->seen > 0 && order <= 0) {
		/* Two formats, not one with an English argument: the bureau reads
		 * either in its language (ui/msg_detail.h). */
		if (order == 0)
			err_detail("entries.bin, entry %llu: the same voter signs twice for "
				   "this scrutin", n);
		else
			err_detail("entries.bin, entry %llu: not sorted by scrutin then voter", n);
		return ERR_FORMAT;
	}
	r->prev = *en;
	r->seen++;
	r->state = EMARG_FIXED;
	r->need = EMARG_FIXED_LEN;
	return r->fn(en, r->arg);
}

static int emarg_step(struct emarg_reader *r, const uint8_t *p)
{
	if (r->state == EMARG_HEADER)
		return emarg_header(r, p);
	if (r->state == EMARG_FIXED)
		return emarg_fixed(r, p);
	return emarg_voter(r, p);
}

/* A byte where the next entry would start, once the count is met. */
static int emarg_extra(const struct emarg_reader *r)
{
	err_detail("entries.bin, entry %llu: more entries than the %llu declared",
		   (unsigned long long)r->seen + 1, (unsigned long long)r->declared);
	return ERR_FORMAT;
}

int emarg_reader_feed(struct emarg_reader *r, const uint8_t *data, size_t len)
{
	while (len > 0 && !r->err) {
		const uint8_t *p = data;
		size_t take = r->need - r->have;

		if (r->state == EMARG_FIXED && r->have == 0 && r->seen >= r->declared) {
			r->err = emarg_extra(r);
			break;
		}
		if (take > len)
			take = len;
		if (r->have > 0 || take < r->need) { /* across chunks: gather in buf */
			memcpy(r->buf + r->have, data, take);
			r->have += take;
			p = r->buf;
		}
		data += take;
		len -= take;
		if (r->have > 0 && r->have < r->need)
			break;
		r->have = 0;
		r->err = emarg_step(r, p);
	}
	return r->err;
}

int emarg_reader_finish(struct emarg_reader *r, uint64_t *count)
{
	if (r->err)
		return r->err;
	if (r->state == EMARG_HEADER) {
		err_detail("entries.bin: header truncated (%zu of %u bytes)", r->have,
			   EMARG_HEADER_LEN);
		return ERR_FORMAT;
	}
	if (r->have != 0 || r->state == EMARG_VOTER) {
		err_detail("entries.bin, entry %llu: truncated", (unsigned long long)r->seen + 1);
		return ERR_FORMAT;
	}
	if (r->seen != r->declared) {
		err_detail("entries.bin: %llu entries, the header declares %llu",
			   (unsigned long long)r->seen, (unsigned long long)r->declared);
		return ERR_FORMAT;
	}
	if (count)
		*count = r->seen;
	return 0;
}

void emarg_header_encode(uint32_t count, uint8_t out[EMARG_HEADER_LEN])
{
	bin_header_encode(&emarg_hdr, count, out);
}

int emarg_entry_encode(const struct emarg_entry *e, uint8_t *out, size_t cap,
		       size_t *len)
{
	size_t n = strnlen(e->voter, sizeof(e->voter));
	uint64_t t = (uint64_t)e->time;
	uint16_t off = (uint16_t)e->offset_min;

	if (n < 1 || n > EMARG_VOTER_MAX || emarg_voter_bad((const uint8_t *)e->voter, n) ||
	    !emarg_time_ok(e->time) || !emarg_offset_ok(e->offset_min)) {
		err_detail("émargement entry of scrutin %u: voter, time or offset not allowed",
			   e->scrutin);
		return ERR_FORMAT;
	}
	if (cap < EMARG_FIXED_LEN + n)
		return ERR_RANGE;
	out[0] = (uint8_t)(e->scrutin >> 8);
	out[1] = (uint8_t)e->scrutin;
	for (int i = 0; i < 8; i++)
		out[2 + i] = (uint8_t)(t >> (56 - 8 * i));
	out[10] = (uint8_t)(off >> 8);
	out[11] = (uint8_t)off;
	out[12] = (uint8_t)n;
	memcpy(out + EMARG_FIXED_LEN, e->voter, n);
	*len = EMARG_FIXED_LEN + n;
	return 0;
}
