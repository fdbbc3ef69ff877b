/* crypto/shamir: t-of-m sharing of the election key, Feldman checks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/err.h"
#include "crypto/rng.h"
#include "crypto/shamir.h"
#include "testutil.h"

/* f(x) = s + a1 x + a2 x^2 mod n, evaluated with BigInt by
 * tests/crypto/gen-vectors.mjs (s is the fixed test secret). */
#define KS "33a6fa1422683631c3446c2f76a680c3e20615039de71ef500c600d2902181bd"
#define KPK "04e2cc62c6c196c76a98fbf3cffdffed9e4c1c3d6dbd064f0b60f89292ff9ee64c" \
	"560a9a3365e63ca38074b62af28f7cabec8aac59a732d786db19fe931f59b72c"
static const char *const f3[5] = {
	"aa8b4fa86580a1c5eee3323cd0535af2db5cb032dec4322ca411cab8bc1cd818",
	"923ce3ea319856e7edc5dd67733adc26dd9506d2b567b6d37f4f317871900aa5",
	"eabbb6d886af5598bfec6daf5f5d045fa5961390c8e94b6e8637ffd4acde3eb5",
	"b407c87464c59dd76556e31494b9d39d7678dbbf72315178c5126b0a71a44ef7",
	"ee2118bccbdb2fa4de053d97135149e00d245a0c585767772f983ddcbc4560bc",
};

static struct rng *rng;

static int setup(void **state)
{
	(void)state;
	return rng_new(&rng, "sceau/test/v1", NULL);
}

static int teardown(void **state)
{
	(void)state;
	rng_free(rng);
	return 0;
}

/* Calls fn on every subset of {1..m} of size k, as index lists. */
static void for_subsets(unsigned m, unsigned k, void (*fn)(const unsigned *idx, unsigned k, void *),
			void *arg)
{
	unsigned mask, i, n, idx[SHAMIR_MAX];

	for (mask = 0; mask < (1u << m); mask++) {
		for (i = 0, n = 0; i < m; i++)
			if (mask & (1u << i))
				idx[n++] = i + 1;
		if (n == k)
			fn(idx, k, arg);
	}
}

struct split {
	unsigned t, m;
	uint8_t secret[32], shares[SHAMIR_MAX][32];
	struct shamir_public pub;
};

/* The shares of idx, in the order given. */
static void pick(const struct split *sp, const unsigned *idx, unsigned k, uint8_t out[][32])
{
	unsigned i;

	for (i = 0; i < k; i++)
		memcpy(out[i], sp->shares[idx[i] - 1], 32);
}

static void subset_rebuilds(const unsigned *idx, unsigned k, void *arg)
{
	struct split *sp = arg;
	uint8_t chosen[SHAMIR_MAX][32], s[32];

	pick(sp, idx, k, chosen);
	assert_int_equal(shamir_combine(k, idx, chosen, s), 0);
	if (memcmp(s, sp->secret, 32) != 0 || shamir_check_secret(sp->pub.pk, s) != 0)
		fail_msg("%u-of-%u: subset starting with share %u does not rebuild", sp->t, sp->m,
			 idx[0]);
}

static void subset_too_small(const unsigned *idx, unsigned k, void *arg)
{
	struct split *sp = arg;
	uint8_t chosen[SHAMIR_MAX][32], s[32];

	pick(sp, idx, k, chosen);
	assert_int_equal(shamir_combine(k, idx, chosen, s), 0);
	if (shamir_check_secret(sp->pub.pk, s) != ERR_VERIFY)
		fail_msg("%u-of-%u: %u shares rebuilt the key", sp->t, sp->m, k);
}

static void any_t_rebuild_t_minus_1_do_not(void **state)
{
	static const unsigned tm[][2] = { { 2, 3 }, { 3, 5 }, { 2, 2 }, { 4, 9 } };
	struct split sp;
	unsigned i, j;

	(void)state;
	for (i = 0; i < TH_ROWS(tm); i++) {
		sp.t = tm[i][0];
		sp.m = tm[i][1];
		assert_int_equal(shamir_generate(rng, sp.t, sp.m, sp.secret, sp.shares, &sp.pub), 0);
		assert_int_equal(shamir_check_public(&sp.pub), 0);
		assert_int_equal(shamir_check_secret(sp.pub.pk, sp.secret), 0);
		for (j = 1; j <= sp.m; j++)
			assert_int_equal(shamir_check_share(&sp.pub, j, sp.shares[j - 1]), 0);
		for_subsets(sp.m, sp.t, subset_rebuilds, &sp);
		for_subsets(sp.m, sp.t - 1, subset_too_small, &sp);
		if (sp.t < sp.m) /* more than t shares rebuild too */
			for_subsets(sp.m, sp.t + 1, subset_rebuilds, &sp);
	}
}

/* Shares of a fixed 3-of-5 polynomial (BigInt): every 3-subset, in any
 * order, gives back s. */
static void fixed_polynomial_3_of_5(void **state)
{
	static const unsigned orders[][3] = { { 1, 2, 3 }, { 5, 3, 1 }, { 2, 4, 5 }, { 4, 1, 3 } };
	uint8_t chosen[3][32], s[32], pk[GROUP_POINT_LEN];
	size_t i, j;

	(void)state;
	th_unhex(KPK, pk, sizeof(pk));
	for (i = 0; i < TH_ROWS(orders); i++) {
		for (j = 0; j < 3; j++)
			th_unhex(f3[orders[i][j] - 1], chosen[j], 32);
		assert_int_equal(shamir_combine(3, orders[i], chosen, s), 0);
		th_expect_hex("f(0) from three shares of s + a1 x + a2 x^2", s, 32, KS);
		assert_int_equal(shamir_check_secret(pk, s), 0);
	}
}

static void modified_share_fails(void **state)
{
	struct split sp;
	uint8_t share[32];
	unsigned j;

	(void)state;
	assert_int_equal(shamir_generate(rng, 2, 3, sp.secret, sp.shares, &sp.pub), 0);
	for (j = 1; j <= 3; j++) {
		memcpy(share, sp.shares[j - 1], 32);
		share[31] ^= 1;
		assert_int_equal(shamir_check_share(&sp.pub, j, share), ERR_VERIFY);
		share[31] ^= 1;
		share[0] ^= 0x80;
		assert_int_equal(shamir_check_share(&sp.pub, j, share), ERR_VERIFY);
	}
	/* a good share presented under another index */
	assert_int_equal(shamir_check_share(&sp.pub, 2, sp.shares[0]), ERR_VERIFY);
	/* not a scalar at all */
	memset(share, 0, sizeof(share));
	assert_int_equal(shamir_check_share(&sp.pub, 1, share), ERR_VERIFY);
	memset(share, 0xff, sizeof(share));
	assert_int_equal(shamir_check_share(&sp.pub, 1, share), ERR_VERIFY);
	/* index outside 1..m */
	assert_int_equal(shamir_check_share(&sp.pub, 0, sp.shares[0]), ERR_RANGE);
	assert_int_equal(shamir_check_share(&sp.pub, 4, sp.shares[0]), ERR_RANGE);
}

/* Any change to the published record is caught; shares are then refused too. */
static void modified_public_record_fails(void **state)
{
	static const char *const rows[] = {
		"C_1 replaced by another valid point (G)",
		"C_1 moved off the curve",
		"PK (and C_0) replaced by another valid point",
		"PK alone differs from C_0",
		"Y_2 replaced by Y_3",
		"t lowered to 1",
		"m above SHAMIR_MAX",
	};
	uint8_t G[GROUP_POINT_LEN], one[32];
	struct split sp, bad;
	size_t i;

	(void)state;
	scalar_from_u32(one, 1);
	assert_int_equal(group_mul_base(G, one), 0);
	assert_int_equal(shamir_generate(rng, 2, 3, sp.secret, sp.shares, &sp.pub), 0);
	for (i = 0; i < TH_ROWS(rows); i++) {
		bad = sp;
		switch (i) {
		case 0: memcpy(bad.pub.commit[1], G, sizeof(G)); break;
		case 1: bad.pub.commit[1][64] ^= 1; break;
		case 2: memcpy(bad.pub.commit[0], G, sizeof(G));
			memcpy(bad.pub.pk, G, sizeof(G)); break;
		case 3: memcpy(bad.pub.pk, G, sizeof(G)); break;
		case 4: memcpy(bad.pub.share_pub[1], bad.pub.share_pub[2], GROUP_POINT_LEN); break;
		case 5: bad.pub.t = 1; break;
		default: bad.pub.m = SHAMIR_MAX + 1; break;
		}
		if (shamir_check_public(&bad.pub) != ERR_VERIFY)
			fail_msg("check_public accepted: %s", rows[i]);
		if (i < 3 && shamir_check_share(&bad.pub, 1, sp.shares[0]) != ERR_VERIFY)
			fail_msg("check_share accepted: %s", rows[i]);
	}
}

static void bad_parameters(void **state)
{
	static const struct {
		const char *title;
		unsigned t, m;
	} rows[] = {
		{ "1-of-3 (no sharing)", 1, 3 },
		{ "0-of-3", 0, 3 },
		{ "4-of-3 (t > m)", 4, 3 },
		{ "2-of-10 (m > SHAMIR_MAX)", 2, SHAMIR_MAX + 1 },
	};
	struct split sp;
	size_t i;

	(void)state;
	for (i = 0; i < TH_ROWS(rows); i++)
		if (shamir_generate(rng, rows[i].t, rows[i].m, sp.secret, sp.shares, &sp.pub) !=
		    ERR_RANGE)
			fail_msg("generate accepted %s", rows[i].title);
}

static void combine_refuses_bad_indices(void **state)
{
	static const struct {
		const char *title;
		unsigned k, idx[3];
	} rows[] = {
		{ "no share", 0, { 1 } },
		{ "index 0 (f(0) is the secret itself)", 2, { 0, 1 } },
		{ "index 256", 2, { 1, 256 } },
		{ "repeated index", 3, { 1, 2, 1 } },
	};
	uint8_t shares[3][32] = { { 1 }, { 2 }, { 3 } }, s[32];
	size_t i;

	(void)state;
	for (i = 0; i < TH_ROWS(rows); i++)
		if (shamir_combine(rows[i].k, rows[i].idx, shares, s) != ERR_RANGE)
			fail_msg("combine accepted: %s", rows[i].title);
	/* a share >= n is no scalar */
	memset(shares[1], 0xff, 32);
	assert_int_equal(shamir_combine(2, rows[3].idx, shares, s), ERR_RANGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(any_t_rebuild_t_minus_1_do_not),
		cmocka_unit_test(fixed_polynomial_3_of_5),
		cmocka_unit_test(modified_share_fails),
		cmocka_unit_test(modified_public_record_fails),
		cmocka_unit_test(bad_parameters),
		cmocka_unit_test(combine_refuses_bad_indices),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
