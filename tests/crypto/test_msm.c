/*
 * crypto/msm: both forms equal the sum computed with scalar arithmetic, on
 * random terms (a fixed-seed generator, so that a failure repeats) and on
 * the edge cases of a sum: zero scalars, one point many times, a point with
 * its negation, scalars 1 and n - 1, sums that pass through or end at the
 * point at infinity.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "lib/err.h"
#include "crypto/group.h"
#include "crypto/msm.h"
#include "testutil.h"

#define MAXT 300

static const enum msm_method methods[] = { MSM_NAIVE_MUL, MSM_NAIVE_MULADD };
static const char *const method_names[] = { "naive mul", "naive muladd" };

static uint64_t prng = 0x5eed5eed12345678u;

static void rand_bytes(uint8_t *out, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		prng ^= prng << 13;
		prng ^= prng >> 7;
		prng ^= prng << 17;
		out[i] = (uint8_t)(prng >> 24);
	}
}

static void rand_scalar(uint8_t k[32])
{
	uint8_t buf[40];

	rand_bytes(buf, sizeof(buf));
	assert_int_equal(scalar_reduce(k, buf, sizeof(buf)), 0);
}

struct terms {
	uint8_t k[MAXT][32];
	uint8_t p[MAXT][GROUP_POINT_LEN];
	size_t n;
};

/* The reference: sum of k_i * P_i as a scalar times G when every P_i is a
 * known multiple d_i * G: sum k_i d_i, computed with scalar arithmetic. */
static int reference(const struct terms *t, const uint8_t (*d)[32], uint8_t out[GROUP_POINT_LEN])
{
	uint8_t acc[32] = { 0 }, x[32];

	for (size_t i = 0; i < t->n; i++) {
		assert_int_equal(scalar_mul(x, t->k[i], d[i]), 0);
		assert_int_equal(scalar_add(acc, acc, x), 0);
	}
	if (scalar_is_zero(acc))
		return ERR_VERIFY;
	return group_mul_base(out, acc);
}

static void expect_all(const char *title, const struct terms *t, const uint8_t (*d)[32])
{
	uint8_t want[GROUP_POINT_LEN], got[GROUP_POINT_LEN];
	int wret = reference(t, d, want), ret;

	for (size_t m = 0; m < TH_ROWS(methods); m++) {
		ret = msm(methods[m], got, (const uint8_t(*)[32])t->k,
			  (const uint8_t(*)[GROUP_POINT_LEN])t->p, t->n);
		if (ret != wret)
			fail_msg("%s, %s: returned %d, expected %d", title, method_names[m], ret,
				 wret);
		if (ret == 0 && memcmp(got, want, sizeof(got)) != 0)
			fail_msg("%s, %s: wrong sum", title, method_names[m]);
	}
}

/* Terms whose points are d_i * G for random d_i. */
static void fill_random(struct terms *t, uint8_t (*d)[32], size_t n)
{
	t->n = n;
	for (size_t i = 0; i < n; i++) {
		rand_scalar(t->k[i]);
		do
			rand_scalar(d[i]);
		while (scalar_is_zero(d[i]));
		assert_int_equal(group_mul_base(t->p[i], d[i]), 0);
	}
}

static void random_terms(void **state)
{
	static const size_t sizes[] = { 1, 2, 3, 7, 16, 33, 100, MAXT };
	static struct terms t;
	static uint8_t d[MAXT][32];
	char title[64];

	(void)state;
	for (size_t s = 0; s < TH_ROWS(sizes); s++) {
		fill_random(&t, d, sizes[s]);
		snprintf(title, sizeof(title), "%zu random terms", sizes[s]);
		expect_all(title, &t, (const uint8_t(*)[32])d);
	}
}

static void edge_cases(void **state)
{
	static struct terms t;
	static uint8_t d[MAXT][32];
	uint8_t nm1[32], one[32], out[GROUP_POINT_LEN];

	(void)state;
	th_unhex("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632550", nm1, 32);
	scalar_from_u32(one, 1);

	/* no term at all: the empty sum is the point at infinity */
	t.n = 0;
	expect_all("no term", &t, (const uint8_t(*)[32])d);

	/* every scalar zero, then all but one */
	fill_random(&t, d, 20);
	for (size_t i = 0; i < t.n; i++)
		memset(t.k[i], 0, 32);
	expect_all("20 zero scalars", &t, (const uint8_t(*)[32])d);
	rand_scalar(t.k[13]);
	expect_all("19 zero scalars and one other", &t, (const uint8_t(*)[32])d);

	/* one point 50 times, with random scalars and with scalars 1 and n-1 */
	fill_random(&t, d, 50);
	for (size_t i = 1; i < t.n; i++) {
		memcpy(t.p[i], t.p[0], GROUP_POINT_LEN);
		memcpy(d[i], d[0], 32);
	}
	expect_all("one point 50 times", &t, (const uint8_t(*)[32])d);
	for (size_t i = 0; i < t.n; i++)
		memcpy(t.k[i], i % 2 ? nm1 : one, 32);
	expect_all("one point, scalars 1 and n-1 alternately (sum 0)", &t,
		   (const uint8_t(*)[32])d);

	/* a point and its negation with one scalar: they cancel */
	fill_random(&t, d, 2);
	assert_int_equal(scalar_sub(d[1], d[1], d[1]), 0);
	assert_int_equal(scalar_sub(d[1], d[1], d[0]), 0); /* d1 = -d0 */
	assert_int_equal(group_mul_base(t.p[1], d[1]), 0);
	memcpy(t.k[1], t.k[0], 32);
	expect_all("P and -P, same scalar", &t, (const uint8_t(*)[32])d);
	rand_scalar(t.k[1]);
	expect_all("P and -P, other scalars", &t, (const uint8_t(*)[32])d);

	/* terms that cancel, then one more: the partial sums meet infinity */
	fill_random(&t, d, 9);
	for (size_t i = 0; i + 1 < 8; i += 2) {
		memcpy(t.p[i + 1], t.p[i], GROUP_POINT_LEN);
		memcpy(d[i + 1], d[i], 32);
		assert_int_equal(scalar_sub(t.k[i + 1], t.k[i + 1], t.k[i + 1]), 0);
		assert_int_equal(scalar_sub(t.k[i + 1], t.k[i + 1], t.k[i]), 0);
	}
	expect_all("4 cancelling pairs, then a term", &t, (const uint8_t(*)[32])d);

	/* invalid input */
	fill_random(&t, d, 3);
	t.p[1][64] ^= 1;
	assert_int_equal(msm(MSM_NAIVE_MUL, out, (const uint8_t(*)[32])t.k,
			     (const uint8_t(*)[GROUP_POINT_LEN])t.p, t.n), ERR_FORMAT);
	t.p[1][64] ^= 1;
	th_unhex("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551", t.k[2], 32);
	assert_int_equal(msm(MSM_NAIVE_MULADD, out, (const uint8_t(*)[32])t.k,
			     (const uint8_t(*)[GROUP_POINT_LEN])t.p, t.n), ERR_RANGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(random_terms),
		cmocka_unit_test(edge_cases),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
