/*
 * card/share_obj: the 104-byte share object of DO 0103 (layout in
 * format/share_obj.h). Decoding is strict: every truncation, a bad magic or
 * version, out-of-range numbers and any single damaged byte are refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "format/share_obj.h"
#include "crypto/hash.h"
#include "cardtest.h"

static void sample(struct share_obj *s)
{
	memset(s, 0, sizeof(*s));
	for (int i = 0; i < 32; i++) {
		s->election_id[i] = (uint8_t)(0xA0 + i);
		s->share[i] = (uint8_t)(0x11 * (i % 7) + 1);
	}
	s->index = 2;
	s->t = 2;
	s->m = 3;
}

/* Re-seals bytes 0..71 with a correct checksum, as an editor would. */
static void reseal(uint8_t b[SHARE_OBJ_LEN])
{
	assert_int_equal(hash_sha256(b, 72, b + 72), 0);
}

static void roundtrip_and_layout(void **state)
{
	struct share_obj s, d;
	uint8_t b[SHARE_OBJ_LEN], sum[32];

	(void)state;
	sample(&s);
	assert_int_equal(share_obj_encode(&s, b), 0);
	assert_memory_equal(b, "SCSH", 4);
	assert_int_equal(b[4], 1);
	assert_memory_equal(b + 5, s.election_id, 32);
	assert_int_equal(b[37], 2);
	assert_int_equal(b[38], 2);
	assert_int_equal(b[39], 3);
	assert_memory_equal(b + 40, s.share, 32);
	assert_int_equal(hash_sha256(b, 72, sum), 0);
	assert_memory_equal(b + 72, sum, 32);
	assert_int_equal(share_obj_decode(b, sizeof(b), &d), 0);
	assert_memory_equal(d.election_id, s.election_id, 32);
	assert_memory_equal(d.share, s.share, 32);
	assert_int_equal(d.index, 2);
	assert_int_equal(d.t, 2);
	assert_int_equal(d.m, 3);
}

static void every_truncation_and_extension_refused(void **state)
{
	struct share_obj s, d;
	uint8_t b[SHARE_OBJ_LEN + 1];

	(void)state;
	sample(&s);
	assert_int_equal(share_obj_encode(&s, b), 0);
	b[SHARE_OBJ_LEN] = 0;
	for (size_t len = 0; len <= SHARE_OBJ_LEN + 1; len++) {
		if (len == SHARE_OBJ_LEN)
			continue;
		err_clear();
		assert_int_equal(share_obj_decode(b, len, &d), ERR_FORMAT);
		assert_non_null(strstr(err_last_detail(), "bytes"));
	}
}

static void bad_magic_and_version(void **state)
{
	static const struct {
		const char *title;
		size_t off;
		uint8_t val;
		const char *detail;
	} rows[] = {
		{ "magic SCSH -> XCSH", 0, 'X', "magic" },
		{ "magic lower case", 3, 'h', "magic" },
		{ "version 0", 4, 0, "version" },
		{ "version 2", 4, 2, "version" },
		{ "version 255", 4, 255, "version" },
	};
	struct share_obj s, d;
	uint8_t b[SHARE_OBJ_LEN];

	(void)state;
	for (size_t i = 0; i < CT_ROWS(rows); i++) {
		sample(&s);
		assert_int_equal(share_obj_encode(&s, b), 0);
		b[rows[i].off] = rows[i].val;
		reseal(b);
		if (share_obj_decode(b, sizeof(b), &d) != ERR_FORMAT ||
		    !strstr(err_last_detail(), rows[i].detail))
			fail_msg("%s: not refused (%s)", rows[i].title,
				 err_last_detail());
	}
}

static void ranges(void **state)
{
	static const struct {
		const char *title;
		unsigned index, t, m;
		int ok;
	} rows[] = {
		{ "2-of-3, share 1", 1, 2, 3, 1 },
		{ "2-of-3, share 3", 3, 2, 3, 1 },
		{ "1-of-1", 1, 1, 1, 1 },
		{ "9-of-9, share 9", 9, 9, 9, 1 },
		{ "index 0", 0, 2, 3, 0 },
		{ "index above m", 4, 2, 3, 0 },
		{ "t 0", 1, 0, 3, 0 },
		{ "t above m", 1, 4, 3, 0 },
		{ "m 10", 1, 2, 10, 0 },
		{ "m 0", 0, 0, 0, 0 },
		{ "m 255", 1, 2, 255, 0 },
	};
	struct share_obj s, d;
	uint8_t b[SHARE_OBJ_LEN];

	(void)state;
	for (size_t i = 0; i < CT_ROWS(rows); i++) {
		sample(&s);
		s.index = rows[i].index;
		s.t = rows[i].t;
		s.m = rows[i].m;
		if (rows[i].ok) {
			assert_int_equal(share_obj_encode(&s, b), 0);
			assert_int_equal(share_obj_decode(b, sizeof(b), &d), 0);
			assert_int_equal(d.index, rows[i].index);
			continue;
		}
		if (share_obj_encode(&s, b) != ERR_RANGE)
			fail_msg("%s: encoded", rows[i].title);
		/* the same numbers written by hand with a valid checksum */
		sample(&s);
		assert_int_equal(share_obj_encode(&s, b), 0);
		b[37] = (uint8_t)rows[i].index;
		b[38] = (uint8_t)rows[i].t;
		b[39] = (uint8_t)rows[i].m;
		reseal(b);
		if (share_obj_decode(b, sizeof(b), &d) != ERR_FORMAT ||
		    !strstr(err_last_detail(), "range"))
			fail_msg("%s: decoded", rows[i].title);
	}
}

static void share_must_be_a_scalar(void **state)
{
	static const uint8_t n[32] = {
		0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF,
		0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xBC, 0xE6, 0xFA, 0xAD, 0xA7, 0x17,
		0x9E, 0x84, 0xF3, 0xB9, 0xCA, 0xC2, 0xFC, 0x63, 0x25, 0x51
	};
	struct share_obj s, d;
	uint8_t b[SHARE_OBJ_LEN];

	(void)state;
	sample(&s);
	memset(s.share, 0, 32);
	assert_int_equal(share_obj_encode(&s, b), ERR_RANGE);
	memcpy(s.share, n, 32);
	assert_int_equal(share_obj_encode(&s, b), ERR_RANGE);
	sample(&s);
	assert_int_equal(share_obj_encode(&s, b), 0);
	memcpy(b + 40, n, 32); /* the group order itself, sealed */
	reseal(b);
	assert_int_equal(share_obj_decode(b, sizeof(b), &d), ERR_FORMAT);
}

static void any_flipped_byte_refused(void **state)
{
	static const uint8_t flips[] = { 0x01, 0x80, 0xFF };
	struct share_obj s, d;
	uint8_t b[SHARE_OBJ_LEN], good[SHARE_OBJ_LEN];

	(void)state;
	sample(&s);
	assert_int_equal(share_obj_encode(&s, good), 0);
	for (size_t off = 0; off < SHARE_OBJ_LEN; off++) {
		for (size_t f = 0; f < sizeof(flips); f++) {
			memcpy(b, good, sizeof(b));
			b[off] ^= flips[f];
			memset(&d, 0x5A, sizeof(d));
			if (share_obj_decode(b, sizeof(b), &d) != ERR_FORMAT)
				fail_msg("byte %zu ^ %02x accepted", off, flips[f]);
			/* nothing of the refused object is left behind */
			for (size_t k = 0; k < sizeof(d.share); k++)
				assert_int_equal(d.share[k], 0);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(roundtrip_and_layout),
		cmocka_unit_test(every_truncation_and_extension_refused),
		cmocka_unit_test(bad_magic_and_version),
		cmocka_unit_test(ranges),
		cmocka_unit_test(share_must_be_a_scalar),
		cmocka_unit_test(any_flipped_byte_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
