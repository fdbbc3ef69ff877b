/*
 * crypto/ptenc: plaintexts as points (docs/CRYPTO-V2-NOTES.md, section 1).
 * The known answers are in tests/data/v2-vectors.json (test_v2_vectors);
 * here, the properties: decode(encode(pt)) = pt for every length and many
 * plaintexts, the layout of x, the even y, and what decoding refuses.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/err.h"
#include "crypto/ptenc.h"
#include "crypto/rng.h"
#include "testutil.h"

#define HEX_G "046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296" \
	"4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5"
#define PER_LENGTH 150

/* x = 00 || pt || zeros || j, y even, a valid point that decodes to pt. */
static void expect_encoding(const uint8_t *pt, size_t len, const uint8_t M[GROUP_POINT_LEN],
			    unsigned j)
{
	uint8_t back[PTENC_PT_MAX];
	size_t i;

	assert_int_equal(M[0], 0x04);
	assert_int_equal(M[1], 0x00);
	assert_memory_equal(M + 2, pt, len);
	for (i = 2 + len; i < 32; i++)
		if (M[i] != 0)
			fail_msg("pt_len %zu: byte %zu of x is not padding", len, i - 1);
	assert_int_equal(M[32], j);
	assert_int_equal(M[64] & 1, 0); /* y even */
	assert_int_equal(group_point_check(M), 0);
	memset(back, 0xaa, sizeof(back));
	assert_int_equal(ptenc_decode(M, len, back), 0);
	assert_memory_equal(back, pt, len);
}

static void roundtrip_every_length(void **state)
{
	struct rng *r;
	uint8_t pt[PTENC_PT_MAX], M[GROUP_POINT_LEN];
	unsigned j, seen[256] = { 0 };
	size_t len, n;

	(void)state;
	assert_int_equal(rng_new(&r, "sceau/test/ptenc", NULL), 0);
	for (len = 1; len <= PTENC_PT_MAX; len++) {
		for (n = 0; n < PER_LENGTH; n++) {
			assert_int_equal(rng_bytes(r, pt, len), 0);
			if (n == 0)
				memset(pt, 0, len);
			else if (n == 1)
				memset(pt, 0xff, len);
			assert_int_equal(ptenc_encode(pt, len, M, &j), 0);
			expect_encoding(pt, len, M, j);
			seen[j]++;
		}
	}
	/* about half of all x are abscissas: j = 0 for about half of them */
	n = PTENC_PT_MAX * PER_LENGTH;
	if (seen[0] < n * 4 / 10 || seen[0] > n * 6 / 10 || seen[1] == 0 || seen[2] == 0)
		fail_msg("counters: %u zero, %u one, %u two out of %zu", seen[0], seen[1], seen[2], n);
	rng_free(r);
}

/* Encoding is a function: the same plaintext gives the same point. */
static void encoding_is_deterministic(void **state)
{
	static const uint8_t pt[4] = { 1, 0, 2, 5 };
	uint8_t M1[GROUP_POINT_LEN], M2[GROUP_POINT_LEN];

	(void)state;
	assert_int_equal(ptenc_encode(pt, 4, M1, NULL), 0);
	assert_int_equal(ptenc_encode(pt, 4, M2, NULL), 0);
	assert_memory_equal(M1, M2, sizeof(M1));
}

static void lengths_refused(void **state)
{
	uint8_t pt[PTENC_PT_MAX + 1] = { 1 }, M[GROUP_POINT_LEN];

	(void)state;
	assert_int_equal(ptenc_encode(pt, 0, M, NULL), ERR_RANGE);
	assert_int_equal(ptenc_encode(pt, PTENC_PT_MAX + 1, M, NULL), ERR_RANGE);
	assert_int_equal(ptenc_encode(pt, 4, M, NULL), 0);
	assert_int_equal(ptenc_decode(M, 0, pt), ERR_RANGE);
	assert_int_equal(ptenc_decode(M, PTENC_PT_MAX + 1, pt), ERR_RANGE);
}

/* What decoding reads and what it does not: rows on the point of 0102030405. */
static void decoding_rules(void **state)
{
	static const uint8_t five[5] = { 1, 2, 3, 4, 5 };
	uint8_t M[GROUP_POINT_LEN], other[GROUP_POINT_LEN], pt[PTENC_PT_MAX];

	(void)state;
	assert_int_equal(ptenc_encode(five, 5, M, NULL), 0);
	/* a longer pt_len reads the padding as plaintext zeros */
	assert_int_equal(ptenc_decode(M, 7, pt), 0);
	assert_memory_equal(pt, five, 5);
	assert_int_equal(pt[5] | pt[6], 0);
	/* a shorter one finds a non-zero byte in the padding: unreadable, zeroed */
	memset(pt, 0xaa, sizeof(pt));
	assert_int_equal(ptenc_decode(M, 4, pt), ERR_VERIFY);
	assert_int_equal(pt[0] | pt[1] | pt[2] | pt[3], 0);
	/* y odd: the parity is not checked */
	assert_int_equal(group_neg(other, M), 0);
	assert_int_equal(other[64] & 1, 1);
	assert_int_equal(ptenc_decode(other, 5, pt), 0);
	assert_memory_equal(pt, five, 5);
	/* G: leading byte 6b */
	th_unhex(HEX_G, other, sizeof(other));
	assert_int_equal(ptenc_decode(other, 29, pt), ERR_VERIFY);
	/* not a point at all */
	memcpy(other, M, sizeof(other));
	other[64] ^= 0x01;
	assert_int_equal(ptenc_decode(other, 5, pt), ERR_FORMAT);
	other[0] = 0x00;
	assert_int_equal(ptenc_decode(other, 5, pt), ERR_FORMAT);
}

/* Of random points (r G), only about 1 in 2^(8 (31 - pt_len)) decodes:
 * the leading byte and the padding reject almost all of them. */
static void random_points_unreadable(void **state)
{
	struct rng *r;
	uint8_t k[32], M[GROUP_POINT_LEN], pt[PTENC_PT_MAX];
	int i, ok = 0;

	(void)state;
	assert_int_equal(rng_new(&r, "sceau/test/ptenc", NULL), 0);
	for (i = 0; i < 200; i++) {
		assert_int_equal(scalar_random(r, k), 0);
		assert_int_equal(group_mul_base(M, k), 0);
		ok += ptenc_decode(M, 4, pt) == 0;
	}
	assert_int_equal(ok, 0);
	rng_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(roundtrip_every_length),
		cmocka_unit_test(encoding_is_deterministic),
		cmocka_unit_test(lengths_refused),
		cmocka_unit_test(decoding_rules),
		cmocka_unit_test(random_points_unreadable),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
