/*
 * format/decrypted: the decrypted-ballots file v2 (docs/FORMATS.md "The
 * decrypted ballots"): the writer's bytes read back by the reader, the
 * writer's refusals, and the reader against each malformation.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "crypto/group.h"
#include "crypto/hash.h"
#include "format/decrypted.h"
#include "format/election.h"
#include "lib/err.h"
#include "../support/testlib.h"

#define ROWS(a) (sizeof(a) / sizeof((a)[0]))

/* The demo election: every scrutin has a plaintext of 4 bytes. */
static struct election *e;

static void point(unsigned k, uint8_t out[65])
{
	uint8_t s[32];

	scalar_from_u32(s, k);
	assert_int_equal(group_mul_base(out, s), 0);
}

/* Scrutin 1: ballots 1 (read), 2 (unreadable); scrutin 3: ballot 1 (read). */
static void ballots(struct decrypted_ballot d[3])
{
	static const uint16_t scrutin[3] = { 1, 1, 3 };
	static const uint32_t idx[3] = { 1, 2, 1 };

	memset(d, 0, 3 * sizeof(*d));
	for (int i = 0; i < 3; i++) {
		const struct scrutin *s = election_scrutin(e, scrutin[i]);
		d[i].scrutin = scrutin[i];
		d[i].idx = idx[i];
		point((unsigned)i + 2, d[i].S);
		memset(d[i].proof, 0x10 + i, 64);
		d[i].status = i == 1 ? DECFILE_UNREADABLE : DECFILE_READ;
		d[i].pt_len = s->pt_len;
		if (i != 1)
			memcpy(d[i].pt, "\x01\x00\x01\x00\x00", s->pt_len);
	}
}

static uint8_t *file_of(size_t *len)
{
	struct decrypted_ballot d[3];
	struct decfile_writer *w = NULL;
	char *buf = NULL;
	uint8_t sha[32], h[32];
	FILE *f = open_memstream(&buf, len);

	ballots(d);
	assert_int_equal(decfile_stream(f, 3, &w), 0);
	for (int i = 0; i < 3; i++)
		assert_int_equal(decfile_add(w, &d[i]), 0);
	assert_int_equal(decfile_close(w, sha), 0);
	fclose(f);
	assert_int_equal(hash_sha256(buf, *len, h), 0);
	assert_memory_equal(sha, h, 32);
	return (uint8_t *)buf;
}

/* Reads buf to the end: 0 if it is a valid file, else the first error. */
static int read_all(const uint8_t *buf, size_t len, unsigned *n)
{
	FILE *f = fmemopen((void *)buf, len, "rb");
	struct decfile_reader *r = NULL;
	struct decrypted_ballot d;
	uint8_t sha[32];
	int ret;

	*n = 0;
	assert_non_null(f);
	ret = decfile_reader_new(f, e, &r);
	while (!ret && (ret = decfile_reader_next(r, &d)) == 0)
		(*n)++;
	if (ret == 1)
		ret = decfile_reader_finish(r, sha, NULL);
	decfile_reader_free(r);
	fclose(f);
	return ret;
}

/* The documented layout, and the ballots read back as written. */
static void round_trip(void **state)
{
	struct decrypted_ballot want[3], got;
	size_t len = 0;
	uint8_t *buf = file_of(&len), sha[32], h[32];
	FILE *f = fmemopen(buf, len, "rb");
	struct decfile_reader *r = NULL;
	uint64_t size = 0;
	size_t pt1 = election_scrutin(e, 1)->pt_len, pt3 = election_scrutin(e, 3)->pt_len;

	(void)state;
	assert_int_equal(len, 16 + 3 * 136 + 2 * pt1 + pt3);
	assert_memory_equal(buf, "SCEAUDEC\x00\x02\x00\x00\x00\x00\x00\x03", 16);
	/* entry 1: scrutin 1, i = 1, S, c || z, status 0, plaintext */
	assert_memory_equal(buf + 16, "\x00\x01\x00\x00\x00\x01\x04", 7);
	assert_int_equal(buf[16 + 135], 0);
	assert_int_equal(buf[16 + 136 + pt1 + 135], 1);
	ballots(want);
	assert_int_equal(decfile_reader_new(f, e, &r), 0);
	assert_int_equal(decfile_reader_count(r), 3);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(decfile_reader_next(r, &got), 0);
		assert_int_equal(got.scrutin, want[i].scrutin);
		assert_int_equal(got.idx, want[i].idx);
		assert_memory_equal(got.S, want[i].S, 65);
		assert_memory_equal(got.proof, want[i].proof, 64);
		assert_int_equal(got.status, want[i].status);
		assert_int_equal(got.pt_len, want[i].pt_len);
		assert_memory_equal(got.pt, want[i].pt, want[i].pt_len);
	}
	assert_int_equal(decfile_reader_next(r, &got), 1);
	assert_int_equal(decfile_reader_finish(r, sha, &size), 0);
	assert_int_equal(size, len);
	assert_int_equal(hash_sha256(buf, len, h), 0);
	assert_memory_equal(sha, h, 32);
	decfile_reader_free(r);
	fclose(f);
	free(buf);
}

/* The writer refuses what the reader would: order, status, an unreadable
 * ballot's plaintext, c or z out of range, S not a point. */
static void writer_refuses(void **state)
{
	struct decrypted_ballot d[3], x;
	struct decfile_writer *w = NULL;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	ballots(d);
	assert_int_equal(decfile_stream(f, 3, &w), 0);
	x = d[1];
	assert_int_equal(decfile_add(w, &x), ERR_INTERNAL);   /* i = 2 first */
	x = d[0];
	x.status = 2;
	assert_int_equal(decfile_add(w, &x), ERR_INTERNAL);
	x = d[0];
	memset(x.proof + 32, 0xff, 32);
	assert_int_equal(decfile_add(w, &x), ERR_INTERNAL);
	x = d[0];
	x.S[10] ^= 1;
	assert_int_equal(decfile_add(w, &x), ERR_INTERNAL);
	assert_int_equal(decfile_add(w, &d[0]), 0);
	x = d[1];
	x.pt[0] = 1;
	assert_int_equal(decfile_add(w, &x), ERR_INTERNAL);   /* unreadable with a plaintext */
	assert_int_equal(decfile_add(w, &d[1]), 0);
	x = d[2];
	x.scrutin = 1;
	x.idx = 4;
	assert_int_equal(decfile_add(w, &x), ERR_INTERNAL);   /* i = 3 skipped */
	x.scrutin = 3;
	x.idx = 2;
	assert_int_equal(decfile_add(w, &x), ERR_INTERNAL);   /* a new scrutin starts at 1 */
	assert_int_equal(decfile_close(w, (uint8_t[32]){ 0 }), ERR_INTERNAL); /* 2 of 3 */
	fclose(f);
	free(buf);
}

struct fault {
	const char *title;
	size_t off;        /* byte changed (SIZE_MAX: the file is cut at len - cut) */
	uint8_t value;
	size_t cut;
	int append;        /* one byte added at the end */
};

/* Entry 1 at 16, entry 2 at 16 + 140 = 156, entry 3 at 296 (pt_len 4). */
static const struct fault faults[] = {
	{ "magic", 0, 'X', 0, 0 },
	{ "version 1", 9, 1, 0, 0 },
	{ "reserved byte", 11, 1, 0, 0 },
	{ "count above the ballots", 15, 4, 0, 0 },
	{ "unknown scrutin", 16 + 1, 9, 0, 0 },
	{ "scrutin going back", 296 + 1, 0, 0, 0 },
	{ "i = 0", 16 + 5, 0, 0, 0 },
	{ "i skipping one", 156 + 5, 3, 0, 0 },
	{ "new scrutin not from 1", 296 + 5, 2, 0, 0 },
	{ "status 2", 16 + 135, 2, 0, 0 },
	{ "a plaintext for an unreadable ballot", 156 + 136, 1, 0, 0 },
	{ "S not on the curve", 16 + 6 + 64, 0x55, 0, 0 },
	{ "S with a bad prefix", 16 + 6, 0x02, 0, 0 },
	{ "c not below n", 16 + 71, 0xff, 0, 0 },
	{ "cut in the last plaintext", SIZE_MAX, 0, 1, 0 },
	{ "cut in the header", SIZE_MAX, 0, 436 - 10, 0 },
	{ "a byte after the last ballot", SIZE_MAX, 0, 0, 1 },
};

static void reader_refuses(void **state)
{
	size_t len = 0;
	uint8_t *good = file_of(&len);
	unsigned n;

	(void)state;
	assert_int_equal(len, 436);
	assert_int_equal(read_all(good, len, &n), 0);
	assert_int_equal(n, 3);
	for (size_t i = 0; i < ROWS(faults); i++) {
		const struct fault *f = &faults[i];
		uint8_t *b = malloc(len + 1);
		size_t l;
		int ret;

		memcpy(b, good, len);
		if (f->off != SIZE_MAX && f->off == 16 + 71)
			memset(b + f->off, 0xff, 32);
		else if (f->off != SIZE_MAX)
			b[f->off] = f->value;
		l = f->append ? len + 1 : len - f->cut;
		b[len] = 0;
		ret = read_all(b, l, &n);
		if (ret != ERR_FORMAT && ret != ERR_RANGE)
			fail_msg("%s: accepted (%d)", f->title, ret);
		free(b);
	}
	free(good);
}

static int setup(void **state)
{
	char path[4096];

	(void)state;
	snprintf(path, sizeof(path), "%s/tests/data/demo-election.json",
		 getenv("SCEAU_TOP") ? getenv("SCEAU_TOP") : ".");
	return election_load(path, &e);
}

static int teardown(void **state)
{
	(void)state;
	election_free(e);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(round_trip),
		cmocka_unit_test(writer_refuses),
		cmocka_unit_test(reader_refuses),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
