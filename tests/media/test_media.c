/* Read-only media and the urn / émargement formats (firmware/media/):
 * the device checks, the streaming readers and their every rule, the
 * manifests and their seals. */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "format/election.h"
#include "lib/err.h"
#include "lib/file.h"
#include "crypto/ballot.h"
#include "crypto/group.h"
#include "crypto/hash.h"
#include "crypto/rng.h"
#include "crypto/sig.h"
#include "format/emargement.h"
#include "format/media_manifest.h"
#include "media/media.h"
#include "format/urn.h"
#include "../format/json_mutate.h"
#include "../support/testlib.h"

static struct election *demo;

/* A sorted urn of n ballots alternating scrutins 1 and 3, as bytes. */
struct urn_buf {
	uint8_t *b;
	size_t len;
	uint8_t rec[64][URN_RECORD_LEN];
	uint8_t trk[64][32];
	unsigned n;
};

static int cmp_idx(const void *a, const void *b, void *arg)
{
	struct urn_buf *u = arg;

	return memcmp(u->trk[*(const unsigned *)a], u->trk[*(const unsigned *)b], 32);
}

/* alter, if not NULL, changes record i before its tracker is taken. */
static void make_urn_with(struct urn_buf *u, unsigned n, void (*alter)(unsigned i, uint8_t *rec))
{
	struct rng *r = NULL;
	uint8_t pk[65], k[32], pt[PTENC_PT_MAX] = { 1, 0, 1 };
	unsigned order[64];

	memset(u, 0, sizeof(*u));
	assert_true(n <= 64);
	assert_int_equal(rng_new(&r, "test", NULL), 0);
	assert_int_equal(scalar_random(r, k), 0);
	assert_int_equal(group_mul_base(pk, k), 0);
	for (unsigned i = 0; i < n; i++) {
		uint16_t sid = i % 2 ? 3 : 1;
		const struct scrutin *s = election_scrutin(demo, sid);
		uint8_t rec[URN_RECORD_LEN];
		assert_int_equal(ballot2_encrypt(r, pk, demo->id, sid, pt, s->pt_len, rec), 0);
		if (alter)
			alter(i, rec);
		memcpy(u->rec[i], rec, URN_RECORD_LEN);
		assert_int_equal(ballot2_tracker(u->rec[i], u->trk[i]), 0);
		order[i] = i;
	}
	rng_free(r);
	qsort_r(order, n, sizeof(order[0]), cmp_idx, u);
	u->b = malloc(urn_file_size(n));
	urn_header_encode(n, u->b);
	u->len = URN_HEADER_LEN;
	for (unsigned j = 0; j < n; j++) {
		memcpy(u->b + u->len, u->rec[order[j]], URN_RECORD_LEN);
		u->len += URN_RECORD_LEN;
	}
	u->n = n;
}

static void make_urn(struct urn_buf *u, unsigned n)
{
	make_urn_with(u, n, NULL);
}

/* Worker threads of the readers (0: all checks inline); the rules must
 * give the same outcome and the same message either way. */
static unsigned test_jobs;

struct seen {
	uint64_t n;
	uint64_t per[4];
	uint64_t proof_failed;
	uint64_t last_failed; /* number of the last ballot whose proof failed */
};

static int on_ballot(const struct urn_ballot *b, void *arg)
{
	struct seen *s = arg;

	s->n++;
	s->per[b->scrutin - 1]++;
	if (!b->proof_ok) {
		s->proof_failed++;
		s->last_failed = b->number;
	}
	return 0;
}

/* Feeds the bytes in chunks of `chunk` and finishes. */
static int read_urn(const uint8_t *b, size_t len, size_t chunk, struct seen *s)
{
	struct urn_reader *r = NULL;
	int ret;

	memset(s, 0, sizeof(*s));
	assert_int_equal(urn_reader_new(demo, on_ballot, s, test_jobs, &r), 0);
	ret = 0;
	for (size_t off = 0; !ret && off < len; off += chunk)
		ret = urn_reader_feed(r, b + off, len - off < chunk ? len - off : chunk);
	if (!ret)
		ret = urn_reader_finish(r, NULL);
	urn_reader_free(r);
	return ret;
}

static void test_urn_reads_in_any_chunks(void **state)
{
	struct urn_buf *u = malloc(sizeof(*u));
	struct seen s;
	static const size_t chunks[] = { 1, 2, 7, 100, 196, 4096, 1 << 20 };

	(void)state;
	make_urn(u, 10);
	assert_int_equal(u->len, 16 + 196 * 10);
	for (size_t i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++) {
		assert_int_equal(read_urn(u->b, u->len, chunks[i], &s), 0);
		assert_int_equal(s.n, 10);
		assert_int_equal(s.per[0], 5);
		assert_int_equal(s.per[2], 5);
		assert_int_equal(s.proof_failed, 0);
	}
	free(u->b);
	free(u);
}

/* Offset of record k (1-based) of a ballots file. */
static size_t rec_off(unsigned k)
{
	return URN_HEADER_LEN + (size_t)(k - 1) * URN_RECORD_LEN;
}

/* The file with one record made malformed (in place), still sorted: the
 * trackers of the other records do not move. */
static int read_broken(const struct urn_buf *u, uint8_t *b, unsigned k, size_t field,
		       uint8_t value)
{
	struct seen s;

	memcpy(b, u->b, u->len);
	if (field == BALLOT2_OFF_C || field == BALLOT2_OFF_Z)
		memset(b + rec_off(k) + field, value, 32);
	else
		b[rec_off(k) + field + 40] ^= value;
	return read_urn(b, u->len, 64, &s);
}

/* Each row breaks one rule of the ballots file (docs/FORMATS.md "The urn"):
 * the whole urn is refused, the error names the record and the rule. */
static void test_urn_rules(void **state)
{
	struct urn_buf *u = malloc(sizeof(*u));
	struct seen s;
	uint8_t *b;

	(void)state;
	make_urn(u, 6);
	b = malloc(u->len + 2 * URN_RECORD_LEN);

	/* bad magic */
	memcpy(b, u->b, u->len);
	b[0] = 'X';
	assert_int_equal(read_urn(b, u->len, 64, &s), ERR_FORMAT);
	assert_non_null(strstr(err_last_detail(), "magic"));
	/* version 1 (the ECIES urn, gone) */
	memcpy(b, u->b, u->len);
	b[9] = 1;
	assert_int_equal(read_urn(b, u->len, 64, &s), ERR_FORMAT);
	assert_non_null(strstr(err_last_detail(), "version"));
	/* header count lies (more declared) */
	memcpy(b, u->b, u->len);
	b[15] = 7;
	assert_int_equal(read_urn(b, u->len, 64, &s), ERR_FORMAT);
	assert_non_null(strstr(err_last_detail(), "declares 7"));
	/* size not 16 + 196 count: the last record one byte short, or a byte more */
	assert_int_equal(read_urn(u->b, u->len - 1, 64, &s), ERR_FORMAT);
	assert_non_null(strstr(err_last_detail(), "record 6: truncated"));
	memcpy(b, u->b, u->len);
	b[u->len] = 0;
	assert_int_equal(read_urn(b, u->len + 1, 64, &s), ERR_FORMAT);
	assert_non_null(strstr(err_last_detail(), "record 7: truncated"));
	/* a whole record more than declared */
	memcpy(b, u->b, u->len);
	memcpy(b + u->len, u->b + rec_off(6), URN_RECORD_LEN);
	assert_int_equal(read_urn(b, u->len + URN_RECORD_LEN, 64, &s), ERR_FORMAT);
	assert_non_null(strstr(err_last_detail(), "record 7: more records than the 6 declared"));
	/* unknown scrutin id in record 1 */
	memcpy(b, u->b, u->len);
	b[rec_off(1) + 1] = 9;
	assert_int_equal(read_urn(b, u->len, 64, &s), ERR_FORMAT);
	assert_non_null(strstr(err_last_detail(), "record 1: scrutin 9 does not exist"));
	/* A, then B, not on the curve; c, then z, not below n */
	assert_int_equal(read_broken(u, b, 2, BALLOT2_OFF_A, 1), ERR_FORMAT);
	assert_non_null(strstr(err_last_detail(), "record 2: A is not a valid P-256 point"));
	assert_int_equal(read_broken(u, b, 3, BALLOT2_OFF_B, 1), ERR_FORMAT);
	assert_non_null(strstr(err_last_detail(), "record 3: B is not a valid P-256 point"));
	assert_int_equal(read_broken(u, b, 4, BALLOT2_OFF_C, 0xff), ERR_FORMAT);
	assert_non_null(strstr(err_last_detail(), "record 4: c is not below the group order n"));
	assert_int_equal(read_broken(u, b, 5, BALLOT2_OFF_Z, 0xff), ERR_FORMAT);
	assert_non_null(strstr(err_last_detail(), "record 5: z is not below the group order n"));
	/* two faults, a bad point then a bad frame: the first in the file wins
	 * (with workers, the point is still being checked when the frame fails) */
	memcpy(b, u->b, u->len);
	b[rec_off(2) + BALLOT2_OFF_A + 40] ^= 1;
	b[rec_off(5) + 1] = 9;
	assert_int_equal(read_urn(b, u->len, 64, &s), ERR_FORMAT);
	assert_non_null(strstr(err_last_detail(), "record 2: A is not a valid"));
	/* records swapped: not sorted */
	memcpy(b, u->b, u->len);
	memcpy(b + rec_off(1), u->b + rec_off(2), URN_RECORD_LEN);
	memcpy(b + rec_off(2), u->b + rec_off(1), URN_RECORD_LEN);
	assert_int_equal(read_urn(b, u->len, 64, &s), ERR_FORMAT);
	assert_non_null(strstr(err_last_detail(), "record 2: not sorted by tracker"));
	/* a record twice: duplicate tracker */
	memcpy(b, u->b, rec_off(2));
	memcpy(b + rec_off(2), u->b + rec_off(1), URN_RECORD_LEN);
	memcpy(b + rec_off(3), u->b + rec_off(2), u->len - rec_off(2));
	b[15] = 7;
	assert_int_equal(read_urn(b, u->len + URN_RECORD_LEN, 64, &s), ERR_FORMAT);
	assert_non_null(strstr(err_last_detail(), "record 2: duplicate tracker"));
	free(b);
	free(u->b);
	free(u);
}

/* Record 2 of the cast: z one more (its proof fails); record 4: c = z = 0,
 * well formed, its proof fails too. */
static void break_proofs(unsigned i, uint8_t *rec)
{
	uint8_t one[32];

	scalar_from_u32(one, 1);
	if (i == 2)
		assert_int_equal(scalar_add(rec + BALLOT2_OFF_Z, rec + BALLOT2_OFF_Z, one), 0);
	if (i == 4)
		memset(rec + BALLOT2_OFF_C, 0, 64);
}

/* A proof that fails is not a malformed record: the ballot is read and
 * handed over with proof_ok = 0 (the caller sets it aside), the others
 * with proof_ok = 1. */
static void test_urn_proof_failed(void **state)
{
	struct urn_buf *u = malloc(sizeof(*u));
	struct seen s;

	(void)state;
	make_urn_with(u, 6, break_proofs);
	assert_int_equal(read_urn(u->b, u->len, 100, &s), 0);
	assert_int_equal(s.n, 6);
	assert_int_equal(s.proof_failed, 2);
	free(u->b);
	free(u);
}

/* ---- the émargement ---------------------------------------------------------- */

/* One entry as raw bytes, written here from FORMATS.md rather than by
 * emarg_entry_encode, so that rows can break any rule. */
struct emarg_raw {
	uint16_t scrutin;
	int64_t time;
	int16_t offset;
	const char *voter; /* NULL: no entry */
};

#define T0 INT64_C(1796289164) /* 2026-12-03T09:12:44Z */

static size_t put_be(uint8_t *p, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * (n - 1 - i)));
	return n;
}

/* Header declaring `declared` (-1: the number of entries), the entries,
 * then `cut` bytes removed (or, negative, -cut zero bytes added). */
static size_t emarg_file(uint8_t *b, const struct emarg_raw *en, int64_t declared, int cut)
{
	size_t len = EMARG_HEADER_LEN, n = 0;

	for (; n < 3 && en[n].voter; n++) {
		size_t vl = strlen(en[n].voter);
		len += put_be(b + len, en[n].scrutin, 2);
		len += put_be(b + len, (uint64_t)en[n].time, 8);
		len += put_be(b + len, (uint16_t)en[n].offset, 2);
		b[len++] = (uint8_t)vl;
		memcpy(b + len, en[n].voter, vl);
		len += vl;
	}
	memcpy(b, "SCEAUEMG\0\1\0\0", 12);
	put_be(b + 12, declared < 0 ? n : (uint64_t)declared, 4);
	if (cut < 0) {
		memset(b + len, 0, (size_t)-cut);
		return len + (size_t)-cut;
	}
	return len - (size_t)cut;
}

struct emarg_got {
	uint64_t n;
	struct emarg_entry last;
	int fail_at; /* the callback fails on this entry (0: never) */
};

static int on_entry(const struct emarg_entry *e, void *arg)
{
	struct emarg_got *g = arg;

	assert_int_equal(e->number, ++g->n);
	g->last = *e;
	return g->fail_at && e->number == (uint64_t)g->fail_at ? ERR_STATE : 0;
}

/* Field by field: a struct's padding bytes are unspecified. */
static int entry_equal(const struct emarg_entry *a, const struct emarg_entry *b)
{
	return a->number == b->number && a->scrutin == b->scrutin &&
	       strcmp(a->voter, b->voter) == 0 && a->time == b->time &&
	       a->offset_min == b->offset_min;
}

/* Reads b in chunks of `chunk` bytes; the detail of an error in *detail. */
static int read_emarg(const uint8_t *b, size_t len, size_t chunk, struct emarg_got *g,
		      char detail[256])
{
	struct emarg_reader *r = NULL;
	int ret = 0;

	memset(g, 0, sizeof(*g));
	err_clear();
	assert_int_equal(emarg_reader_new(demo, on_entry, g, &r), 0);
	for (size_t at = 0; !ret && at < len; at += chunk)
		ret = emarg_reader_feed(r, b + at, len - at < chunk ? len - at : chunk);
	if (!ret)
		ret = emarg_reader_finish(r, NULL);
	emarg_reader_free(r);
	snprintf(detail, 256, "%s", err_last_detail());
	return ret;
}

/* Every byte a voter reference may hold, 64 of them. */
#define V64 "abcdefghijklmnopqrstuvwxyz" "ABCDEFGHIJKLMNOPQRSTUVWXYZ" "0123456789_-"

static void test_emargement_rules(void **state)
{
	static const char v64[] = V64, v65[] = V64 "Z";
	static const struct {
		const char *title;
		struct emarg_raw en[3];
		int64_t declared;
		int cut, patch_at, patch; /* header byte patch_at (> 0) set to patch */
		int err;
		const char *detail;
		uint64_t n; /* entries delivered */
	} rows[] = {
		{ "two scrutins, sorted, a prefix before its extension",
		  { { 1, T0, 60, "V1" }, { 1, T0 + 1, 60, "V10" }, { 2, T0, 60, "V1" } },
		  -1, 0, 0, 0, 0, NULL, 3 },
		{ "no entry at all", { { 0 } }, -1, 0, 0, 0, 0, NULL, 0 },
		{ "the bounds: 64-byte voter, first and last second, offsets -720 and +840",
		  { { 1, EMARG_TIME_MIN, -720, "a" }, { 1, EMARG_TIME_END - 1, 840, v64 },
		    { 4, T0, -210, "-" } }, -1, 0, 0, 0, 0, NULL, 3 },
		{ "bad magic", { { 1, T0, 60, "V1" } }, -1, 0, 7, 'L', ERR_FORMAT,
		  "entries.bin: header: not a Sceau file of this kind", 0 },
		{ "version 2", { { 1, T0, 60, "V1" } }, -1, 0, 9, 2, ERR_FORMAT,
		  "entries.bin: header: version 2 is not supported", 0 },
		{ "version 257 (high byte)", { { 1, T0, 60, "V1" } }, -1, 0, 8, 1, ERR_FORMAT,
		  "version 257", 0 },
		{ "reserved field not 0", { { 1, T0, 60, "V1" } }, -1, 0, 11, 1, ERR_FORMAT,
		  "entries.bin: header: reserved field is 1", 0 },
		{ "count over the maximum", { { 1, T0, 60, "V1" } }, EMARG_MAX_ENTRIES + 1, 0,
		  0, 0, ERR_RANGE, "entries.bin: header: 100000001 records declared, at most", 0 },
		{ "header truncated", { { 0 } }, 0, 10, 0, 0, ERR_FORMAT,
		  "entries.bin: header truncated (6 of 16 bytes)", 0 },
		{ "scrutin 5 does not exist", { { 1, T0, 60, "V1" }, { 5, T0, 60, "V1" } }, -1,
		  0, 0, 0, ERR_FORMAT, "entries.bin, entry 2: scrutin 5 does not exist", 1 },
		{ "scrutin 0 does not exist", { { 0, T0, 60, "V1" } }, -1, 0, 0, 0, ERR_FORMAT,
		  "entries.bin, entry 1: scrutin 0 does not exist", 0 },
		{ "time before 2000", { { 1, EMARG_TIME_MIN - 1, 60, "V1" } }, -1, 0, 0, 0,
		  ERR_FORMAT, "entries.bin, entry 1: time 946684799 is not within", 0 },
		{ "time at 2100", { { 1, EMARG_TIME_END, 60, "V1" } }, -1, 0, 0, 0, ERR_FORMAT,
		  "entry 1: time 4102444800 is not within", 0 },
		{ "negative time", { { 1, -T0, 60, "V1" } }, -1, 0, 0, 0, ERR_FORMAT,
		  "entry 1: time -1796289164 is not within", 0 },
		{ "offset not a multiple of 15", { { 1, T0, 61, "V1" } }, -1, 0, 0, 0, ERR_FORMAT,
		  "entries.bin, entry 1: UTC offset of 61 minutes", 0 },
		{ "offset over +840", { { 1, T0, 855, "V1" } }, -1, 0, 0, 0, ERR_FORMAT,
		  "UTC offset of 855 minutes", 0 },
		{ "offset under -720", { { 1, T0, -735, "V1" } }, -1, 0, 0, 0, ERR_FORMAT,
		  "UTC offset of -735 minutes", 0 },
		{ "voter of 0 bytes", { { 1, T0, 60, "" } }, -1, 0, 0, 0, ERR_FORMAT,
		  "entries.bin, entry 1: voter reference of 0 bytes (1 to 64)", 0 },
		{ "voter of 65 bytes", { { 1, T0, 60, v65 } }, -1, 0, 0, 0, ERR_FORMAT,
		  "entries.bin, entry 1: voter reference of 65 bytes (1 to 64)", 0 },
		{ "voter with a space", { { 1, T0, 60, "V 1" } }, -1, 0, 0, 0, ERR_FORMAT,
		  "entries.bin, entry 1: voter reference byte 2 is 0x20", 0 },
		{ "voter with an accent (UTF-8)", { { 1, T0, 60, "Vé" } }, -1, 0, 0, 0, ERR_FORMAT,
		  "voter reference byte 2 is 0xc3", 0 },
		{ "unsorted voters", { { 1, T0, 60, "V2" }, { 1, T0, 60, "V1" } }, -1, 0, 0, 0,
		  ERR_FORMAT, "entries.bin, entry 2: not sorted by scrutin then voter", 1 },
		{ "an extension before its prefix", { { 1, T0, 60, "V10" }, { 1, T0, 60, "V1" } },
		  -1, 0, 0, 0, ERR_FORMAT, "entry 2: not sorted", 1 },
		{ "unsorted scrutins", { { 2, T0, 60, "V1" }, { 1, T0, 60, "V2" } }, -1, 0, 0, 0,
		  ERR_FORMAT, "entry 2: not sorted", 1 },
		{ "the same voter twice in a scrutin",
		  { { 1, T0, 60, "V1" }, { 1, T0 + 60, 60, "V1" } }, -1, 0, 0, 0, ERR_FORMAT,
		  "entries.bin, entry 2: the same voter signs twice for this scrutin", 1 },
		{ "truncated entry", { { 1, T0, 60, "V1" }, { 1, T0, 60, "V2" } }, -1, 1, 0, 0,
		  ERR_FORMAT, "entries.bin, entry 2: truncated", 1 },
		{ "truncated fixed part", { { 1, T0, 60, "V1" }, { 1, T0, 60, "V2" } }, -1, 5, 0,
		  0, ERR_FORMAT, "entries.bin, entry 2: truncated", 1 },
		{ "an entry more than declared", { { 1, T0, 60, "V1" }, { 1, T0, 60, "V2" } }, 1,
		  0, 0, 0, ERR_FORMAT, "entries.bin, entry 2: more entries than the 1 declared", 1 },
		{ "one byte after the last entry", { { 1, T0, 60, "V1" } }, -1, -1, 0, 0,
		  ERR_FORMAT, "entries.bin, entry 2: more entries than the 1 declared", 1 },
		{ "fewer entries than declared", { { 1, T0, 60, "V1" }, { 1, T0, 60, "V2" } }, 3,
		  0, 0, 0, ERR_FORMAT, "entries.bin: 2 entries, the header declares 3", 2 },
	};
	uint8_t b[512];
	char one[256], each[256];
	struct emarg_got g1, g2;

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		size_t len = emarg_file(b, rows[i].en, rows[i].declared, rows[i].cut);
		int ret;

		if (rows[i].patch_at)
			b[rows[i].patch_at] = (uint8_t)rows[i].patch;
		ret = read_emarg(b, len, len ? len : 1, &g1, one);
		if (ret != rows[i].err || g1.n != rows[i].n ||
		    (rows[i].detail && !strstr(one, rows[i].detail)))
			fail_msg("row '%s': got %d after %llu entries (%s)", rows[i].title, ret,
				 (unsigned long long)g1.n, one);
		/* byte by byte, and in chunks across the parts: the same outcome */
		for (size_t chunk = 1; chunk <= 14; chunk += 13) {
			int again = read_emarg(b, len, chunk, &g2, each);
			if (again != ret || g2.n != g1.n || strcmp(one, each) != 0 ||
			    !entry_equal(&g1.last, &g2.last))
				fail_msg("row '%s' in chunks of %zu: got %d (%s)", rows[i].title,
					 chunk, again, each);
		}
	}
}

/* The writer's encoding reads back field for field. */
static void test_emargement_encode(void **state)
{
	struct emarg_entry in[2], bad;
	struct emarg_got g;
	uint8_t b[EMARG_HEADER_LEN + 2 * EMARG_ENTRY_MAX];
	size_t len = EMARG_HEADER_LEN, n = 0;
	char detail[256];
	static const uint8_t one[] = { 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x6b, 0x11, 0x32,
				       0x8c, 0x00, 0x3c, 0x02, 'V', '1' };

	(void)state;
	memset(in, 0, sizeof(in));
	in[0] = (struct emarg_entry){ 0, 1, "V1", T0, 60 };
	in[1] = (struct emarg_entry){ 0, 3, "Zz_-9", EMARG_TIME_MIN, -210 };
	emarg_header_encode(2, b);
	assert_memory_equal(b, "SCEAUEMG\0\1\0\0\0\0\0\2", EMARG_HEADER_LEN);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(emarg_entry_encode(&in[i], b + len, sizeof(b) - len, &n), 0);
		if (i == 0) /* the example of docs/FORMATS.md */
			assert_memory_equal(b + len, one, sizeof(one));
		len += n;
	}
	assert_int_equal(read_emarg(b, len, len, &g, detail), 0);
	assert_int_equal(g.n, 2);
	in[1].number = 2;
	assert_true(entry_equal(&g.last, &in[1]));
	/* what the reader refuses, the writer does not write */
	bad = in[0];
	bad.offset_min = 50;
	assert_int_equal(emarg_entry_encode(&bad, b, sizeof(b), &n), ERR_FORMAT);
	bad = in[0];
	bad.time = EMARG_TIME_END;
	assert_int_equal(emarg_entry_encode(&bad, b, sizeof(b), &n), ERR_FORMAT);
	bad = in[0];
	snprintf(bad.voter, sizeof(bad.voter), "V.1");
	assert_int_equal(emarg_entry_encode(&bad, b, sizeof(b), &n), ERR_FORMAT);
	bad.voter[0] = '\0';
	assert_int_equal(emarg_entry_encode(&bad, b, sizeof(b), &n), ERR_FORMAT);
	assert_int_equal(emarg_entry_encode(&in[0], b, EMARG_FIXED_LEN + 1, &n), ERR_RANGE);
	/* a failing callback stops the reading, and the failure stays */
	{
		struct emarg_reader *r = NULL;
		memset(&g, 0, sizeof(g));
		g.fail_at = 1;
		len = emarg_file(b, (const struct emarg_raw[]){ { 1, T0, 60, "V1" }, { 1, T0, 60, "V2" },
								 { 0 } }, -1, 0);
		assert_int_equal(emarg_reader_new(demo, on_entry, &g, &r), 0);
		assert_int_equal(emarg_reader_feed(r, b, len), ERR_STATE);
		assert_int_equal(emarg_reader_feed(r, b, len), ERR_STATE);
		assert_int_equal(emarg_reader_finish(r, NULL), ERR_STATE);
		assert_int_equal(g.n, 1);
		emarg_reader_free(r);
	}
}

static void make_manifest(struct manifest *m)
{
	memset(m, 0, sizeof(*m));
	m->kind = MANIFEST_KIND_URN;
	memcpy(m->election_id, demo->id, 32);
	memset(m->record_sha256, 0x5A, 32);
	snprintf(m->closed_at, sizeof(m->closed_at), "2026-12-08T17:00+01:00");
	m->file_size = 1234;
	memset(m->file_sha256, 0xC3, 32);
	m->n_scrutins = 4;
	m->counts[0] = 10;
	m->counts[2] = 5;
	m->total = 15;
}

static void test_manifest_round_trip_and_seal(void **state)
{
	struct manifest m, back;
	struct rng *r = NULL;
	uint8_t priv[32], pub[65], other[65], digest[32], sig[64];
	char *json = NULL, sigtext[130];
	size_t len = 0;

	(void)state;
	make_manifest(&m);
	assert_int_equal(manifest_write(&m, &json, &len), 0);
	assert_int_equal(manifest_parse((uint8_t *)json, len, MANIFEST_KIND_URN, &back), 0);
	assert_int_equal(back.total, 15);
	assert_int_equal(back.counts[2], 5);
	assert_string_equal(back.file_name, "ballots.bin");
	/* an urn manifest is not an émargement manifest */
	assert_int_equal(manifest_parse((uint8_t *)json, len, MANIFEST_KIND_EMARGEMENT,
					&back), ERR_FORMAT);
	assert_int_equal(rng_new(&r, "test", NULL), 0);
	assert_int_equal(sig_keygen(r, priv, pub), 0);
	assert_int_equal(sig_keygen(r, priv + 0, other), 0);
	assert_int_equal(sig_keygen(r, priv, pub), 0);
	rng_free(r);
	hash_sha256(json, len, digest);
	assert_int_equal(sig_sign(priv, digest, sig), 0);
	manifest_sig_encode(sig, sigtext);
	assert_int_equal(manifest_check_sig((uint8_t *)json, len, (uint8_t *)sigtext, 129,
					    pub), 0);
	/* another key, another byte of the manifest, a damaged signature file */
	assert_int_equal(manifest_check_sig((uint8_t *)json, len, (uint8_t *)sigtext, 129,
					    other), ERR_VERIFY);
	json[20] ^= 1;
	assert_int_equal(manifest_check_sig((uint8_t *)json, len, (uint8_t *)sigtext, 129,
					    pub), ERR_VERIFY);
	assert_int_equal(manifest_check_sig((uint8_t *)json, len, (uint8_t *)sigtext, 128,
					    pub), ERR_FORMAT);
	free(json);
}

static void test_manifest_rules(void **state)
{
	static const struct {
		const char *title, *path, *value, *detail;
	} rows[] = {
		{ "total not the sum", "total", "16", "total" },
		{ "counts out of order", "counts[0].scrutin", "2", "counts[0].scrutin" },
		{ "two data files", "files[1]", "{\"name\": \"x\", \"size\": 1, \"sha256\": \"00\"}",
		  "files" },
		{ "another data file name", "files[0].name", "\"ballots.zip\"", "files[0].name" },
		{ "unknown field", "platform", "\"x\"", "platform" },
		{ "bad closing time", "closed_at", "\"demain\"", "closed_at" },
	};
	struct manifest m, back;
	char *json = NULL;
	size_t len = 0;

	(void)state;
	make_manifest(&m);
	assert_int_equal(manifest_write(&m, &json, &len), 0);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		json_t *doc = jm_load(json);
		char *text;
		int ret;
		assert_int_equal(jm_set(doc, rows[i].path, rows[i].value), 0);
		text = jm_dump(doc);
		json_decref(doc);
		ret = manifest_parse((uint8_t *)text, strlen(text), MANIFEST_KIND_URN, &back);
		free(text);
		if (ret == 0 || !strstr(err_last_detail(), rows[i].detail))
			fail_msg("row '%s': got %d (%s)", rows[i].title, ret, err_last_detail());
	}
	free(json);
}

static int fake_blockdev(int fd)
{
	(void)fd;
	return 1;
}

static int fake_writable(int fd, int *ro)
{
	(void)fd;
	*ro = 0;
	return 0;
}

static int fake_readonly(int fd, int *ro)
{
	(void)fd;
	*ro = 1;
	return 0;
}

/* A block device the kernel reports writable is refused; a read-only one
 * is accepted (the kernel's answer is faked: no device in CI). */
static void test_writable_device_refused(void **state)
{
	int (*saved_blk)(int) = media_is_blockdev;
	int (*saved_ro)(int, int *) = media_ro_flag;
	struct medium m;
	char dir[64], path[128];

	(void)state;
	testlib_tmpdir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/disc", dir);
	assert_int_equal(file_write_atomic(path, "x", 1, 0), 0);
	media_is_blockdev = fake_blockdev;
	media_ro_flag = fake_writable;
	assert_int_equal(media_open(path, &m), ERR_MEDIA_WRITABLE);
	assert_non_null(strstr(err_last_detail(), "writable"));
	media_ro_flag = fake_readonly;
	assert_int_equal(media_open(path, &m), 0);
	assert_true(m.is_device);
	media_close(&m);
	media_is_blockdev = saved_blk;
	media_ro_flag = saved_ro;
	/* a plain file: accepted only because this test build allows images */
	assert_int_equal(media_open(path, &m), 0);
	assert_false(m.is_device);
	media_close(&m);
	assert_int_equal(media_open("/nonexistent/urn.iso", &m), ERR_NOTFOUND);
	testlib_rmdir(dir);
}

static int setup(void **state)
{
	char path[4096];

	(void)state;
	snprintf(path, sizeof(path), "%s/tests/data/demo-election.json",
		 getenv("SCEAU_TOP") ? getenv("SCEAU_TOP") : ".");
	return election_load(path, &demo);
}

static int teardown(void **state)
{
	(void)state;
	election_free(demo);
	return 0;
}

static void test_same_rules_with_workers(void **state)
{
	test_jobs = 2;
	test_urn_reads_in_any_chunks(state);
	test_urn_rules(state);
	test_urn_proof_failed(state);
	test_jobs = 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_urn_reads_in_any_chunks),
		cmocka_unit_test(test_urn_proof_failed),
		cmocka_unit_test(test_urn_rules),
		cmocka_unit_test(test_emargement_rules),
		cmocka_unit_test(test_emargement_encode),
		cmocka_unit_test(test_same_rules_with_workers),
		cmocka_unit_test(test_manifest_round_trip_and_seal),
		cmocka_unit_test(test_manifest_rules),
		cmocka_unit_test(test_writable_device_refused),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
