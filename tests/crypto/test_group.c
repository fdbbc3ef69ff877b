/* crypto/group: P-256 points and scalars. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>

#include "lib/err.h"
#include "crypto/group.h"
#include "lib/hex.h"
#include "testutil.h"

/* Multiples of G from Node's OpenSSL (createECDH().setPrivateKey(k)). */
#define HEX_G "046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296" \
	"4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5"
#define HEX_2G "047cf27b188d034f7e8a52380304b51ac3c08969e277f21b35a60b48fc47669978" \
	"07775510db8ed040293d9ac69f7430dbba7dade63ce982299e04b79d227873d1"
#define HEX_3G "045ecbe4d1a6330a44c8f7ef951d4bf165e6c6b721efada985fb41661bc6e7fd6c" \
	"8734640c4998ff7e374b06ce1a64a2ecd82ab036384fb83d9a79b127a27d5032"
#define HEX_7G "048e533b6fa0bf7b4625bb30667c01fb607ef9f8b8a80fef5b300628703187b2a3" \
	"73eb1dbde03318366d069f83a6f5900053c73633cb041b21c55e1a86c1f400b4"
#define HEX_NEG_G "046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296" \
	"b01cbd1c01e58065711814b583f061e9d431cca994cea1313449bf97c840ae0a"
#define HEX_N "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551"
#define HEX_N_1 "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632550"
#define HEX_N_P1 "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632552"

/* NIST CAVS 14.1, KAS ECC CDH primitive test vectors (SP 800-56A section
 * 5.7.1.2), [P-256] COUNT = 0. */
#define CAVS_QX "700c48f77f56584c5cc632ca65640db91b6bacce3a4df6b42ce7cc838833d287"
#define CAVS_QY "db71e509e3fd9b060ddb20ba5c51dcc5948d46fbf640dfe0441782cab85fa4ac"
#define CAVS_D "7d7dc5f71eb29ddaf80d6214632eeae03d9058af1fb6d22ed80badb62bc1a534"
#define CAVS_QIUT "04ead218590119e8876b29146ff89ca61770c4edbbf97d38ce385ed281d8a6b230" \
	"28af61281fd35e2fa7002523acc85a429cb06ee6648325389f59edfce1405141"
#define CAVS_Z "46fc62106420ff012e54a434fbdd2d25ccc5852060561e68040dd7778997bd7b"

static void ecdh_nist_cavs_p256_count0(void **state)
{
	uint8_t d[32], Q[GROUP_POINT_LEN], S[GROUP_POINT_LEN], Z[32], pub[GROUP_POINT_LEN];

	(void)state;
	th_unhex(CAVS_D, d, 32);
	th_unhex("04" CAVS_QX CAVS_QY, Q, sizeof(Q));
	assert_int_equal(group_mul(S, d, Q), 0);
	group_point_x(S, Z);
	th_expect_hex("CAVS KAS ECC CDH P-256 count 0: ZIUT = x(dIUT QCAVS)", Z, 32, CAVS_Z);
	assert_int_equal(group_mul_base(pub, d), 0);
	th_expect_hex("CAVS KAS ECC CDH P-256 count 0: QIUT = dIUT G", pub, sizeof(pub), CAVS_QIUT);
}

static void mul_base_small_multiples(void **state)
{
	static const struct {
		const char *title, *k, *want;
	} rows[] = {
		{ "1 G = G (SEC 2 generator)", "01", HEX_G },
		{ "2 G (Node/OpenSSL)", "02", HEX_2G },
		{ "7 G (Node/OpenSSL)", "07", HEX_7G },
		{ "(n-1) G = -G", HEX_N_1, HEX_NEG_G },
	};
	uint8_t k[32], out[GROUP_POINT_LEN];
	size_t i, len;

	(void)state;
	for (i = 0; i < TH_ROWS(rows); i++) {
		len = strlen(rows[i].k) / 2;
		memset(k, 0, sizeof(k));
		th_unhex(rows[i].k, k + 32 - len, len);
		assert_int_equal(group_mul_base(out, k), 0);
		th_expect_hex(rows[i].title, out, sizeof(out), rows[i].want);
	}
}

static void point_validation(void **state)
{
	static const struct {
		const char *title, *hex;
		int ret;
	} rows[] = {
		{ "G is accepted", HEX_G, 0 },
		{ "x = 0 is a valid x on P-256 (y from sqrt)",
		  "04" "0000000000000000000000000000000000000000000000000000000000000000"
		  "66485c780e2f83d72433bd5d84a06bb6541c2af31dae871728bf856a174f93f4", 0 },
		{ "prefix 0x00 (infinity encoding, padded)",
		  "00" "6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296"
		  "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5", ERR_FORMAT },
		{ "all zero (the infinity byte and padding)",
		  "00" "0000000000000000000000000000000000000000000000000000000000000000"
		  "0000000000000000000000000000000000000000000000000000000000000000", ERR_FORMAT },
		{ "prefix 0x02 (compressed form is refused)",
		  "02" "6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296"
		  "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5", ERR_FORMAT },
		{ "prefix 0x03",
		  "03" "6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296"
		  "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5", ERR_FORMAT },
		{ "prefix 0x06 (hybrid form)",
		  "06" "6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296"
		  "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5", ERR_FORMAT },
		{ "off the curve: G with y + 1",
		  "04" "6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296"
		  "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f6", ERR_FORMAT },
		{ "(0, 0) is not on the curve",
		  "04" "0000000000000000000000000000000000000000000000000000000000000000"
		  "0000000000000000000000000000000000000000000000000000000000000000", ERR_FORMAT },
		{ "x = p: (x + p, y) for the valid (0, y), would pass if reduced mod p",
		  "04" "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff"
		  "66485c780e2f83d72433bd5d84a06bb6541c2af31dae871728bf856a174f93f4", ERR_FORMAT },
		{ "y = p (>= p)",
		  "04" "6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296"
		  "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff", ERR_FORMAT },
		{ "x = 2^256 - 1",
		  "04" "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
		  "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5", ERR_FORMAT },
	};
	uint8_t pt[GROUP_POINT_LEN], out[GROUP_POINT_LEN], k[32];
	size_t i;

	(void)state;
	scalar_from_u32(k, 3);
	for (i = 0; i < TH_ROWS(rows); i++) {
		th_unhex(rows[i].hex, pt, sizeof(pt));
		if (group_point_check(pt) != rows[i].ret)
			fail_msg("group_point_check: %s", rows[i].title);
		/* every function taking a point validates it the same way */
		if (rows[i].ret != 0 && (group_mul(out, k, pt) != rows[i].ret ||
					 group_muladd(out, k, pt, k, pt) != rows[i].ret ||
					 group_add(out, pt, pt) != rows[i].ret ||
					 group_sub(out, pt, pt) != rows[i].ret ||
					 group_neg(out, pt) != rows[i].ret ||
					 group_muladd_base(out, k, k, pt) != rows[i].ret))
			fail_msg("mul/muladd/add/sub/neg accepted: %s", rows[i].title);
	}
}

static void scalar_range_of_mul(void **state)
{
	uint8_t k[32], G[GROUP_POINT_LEN], out[GROUP_POINT_LEN];

	(void)state;
	th_unhex(HEX_G, G, sizeof(G));
	memset(k, 0, sizeof(k));
	assert_int_equal(group_mul_base(out, k), ERR_RANGE);
	assert_int_equal(group_mul(out, k, G), ERR_RANGE);
	th_unhex(HEX_N, k, 32);
	assert_int_equal(group_mul_base(out, k), ERR_RANGE);
	assert_int_equal(group_mul(out, k, G), ERR_RANGE);
	assert_int_equal(group_muladd(out, k, G, k, G), ERR_RANGE);
}

static void muladd_and_add(void **state)
{
	uint8_t G[GROUP_POINT_LEN], G2[GROUP_POINT_LEN], G3[GROUP_POINT_LEN];
	uint8_t negG[GROUP_POINT_LEN], out[GROUP_POINT_LEN], zero[32] = { 0 }, one[32], two[32];
	uint8_t nm1[32];

	(void)state;
	th_unhex(HEX_G, G, sizeof(G));
	th_unhex(HEX_2G, G2, sizeof(G2));
	th_unhex(HEX_3G, G3, sizeof(G3));
	th_unhex(HEX_NEG_G, negG, sizeof(negG));
	th_unhex(HEX_N_1, nm1, 32);
	scalar_from_u32(one, 1);
	scalar_from_u32(two, 2);
	assert_int_equal(group_add(out, G, G2), 0);
	assert_memory_equal(out, G3, sizeof(out)); /* G + 2G = 3G */
	assert_int_equal(group_add(out, G, G), 0);
	assert_memory_equal(out, G2, sizeof(out)); /* doubling through add */
	assert_int_equal(group_muladd(out, two, G, zero, G2), 0);
	assert_memory_equal(out, G2, sizeof(out)); /* b = 0 */
	assert_int_equal(group_muladd(out, zero, G2, one, G), 0);
	assert_memory_equal(out, G, sizeof(out)); /* a = 0 */
	assert_int_equal(group_muladd(out, nm1, G, one, G2), 0);
	assert_memory_equal(out, G, sizeof(out)); /* -G + 2G */
	/* sums at infinity are refused */
	assert_int_equal(group_add(out, G, negG), ERR_VERIFY);
	assert_int_equal(group_muladd(out, zero, G, zero, G2), ERR_VERIFY);
	assert_int_equal(group_muladd(out, two, G, nm1, G2), ERR_VERIFY);
	/* out may alias an input */
	memcpy(out, G, sizeof(out));
	assert_int_equal(group_add(out, out, G2), 0);
	assert_memory_equal(out, G3, sizeof(out));
}

/* The v2 helpers: P - Q, -P, aG + bQ (the multiples of G are OpenSSL's). */
static void sub_neg_and_muladd_base(void **state)
{
	uint8_t G[GROUP_POINT_LEN], G2[GROUP_POINT_LEN], G3[GROUP_POINT_LEN], G7[GROUP_POINT_LEN];
	uint8_t negG[GROUP_POINT_LEN], out[GROUP_POINT_LEN], zero[32] = { 0 }, one[32], two[32];
	uint8_t nm1[32], nm2[32];

	(void)state;
	th_unhex(HEX_G, G, sizeof(G));
	th_unhex(HEX_2G, G2, sizeof(G2));
	th_unhex(HEX_3G, G3, sizeof(G3));
	th_unhex(HEX_7G, G7, sizeof(G7));
	th_unhex(HEX_NEG_G, negG, sizeof(negG));
	th_unhex(HEX_N_1, nm1, 32);
	scalar_from_u32(one, 1);
	scalar_from_u32(two, 2);
	assert_int_equal(scalar_sub(nm2, nm1, one), 0);
	assert_int_equal(group_sub(out, G3, G2), 0);
	th_expect_hex("3G - 2G = G", out, sizeof(out), HEX_G);
	assert_int_equal(group_sub(out, G2, G3), 0);
	th_expect_hex("2G - 3G = -G", out, sizeof(out), HEX_NEG_G);
	assert_int_equal(group_sub(out, G, negG), 0);
	th_expect_hex("G - (-G) = 2G (a doubling)", out, sizeof(out), HEX_2G);
	assert_int_equal(group_sub(out, G3, G3), ERR_VERIFY); /* infinity */
	assert_int_equal(group_neg(out, G), 0);
	th_expect_hex("-G: y -> p - y", out, sizeof(out), HEX_NEG_G);
	assert_int_equal(group_neg(out, out), 0); /* out may alias the input */
	th_expect_hex("-(-G) = G", out, sizeof(out), HEX_G);
	assert_int_equal(group_muladd_base(out, two, one, G), 0);
	th_expect_hex("2G + 1G = 3G", out, sizeof(out), HEX_3G);
	assert_int_equal(group_muladd_base(out, one, two, G3), 0);
	th_expect_hex("G + 2(3G) = 7G", out, sizeof(out), HEX_7G);
	assert_int_equal(group_muladd_base(out, zero, nm1, G), 0);
	th_expect_hex("0G + (n-1)G = -G", out, sizeof(out), HEX_NEG_G);
	assert_int_equal(group_muladd_base(out, nm2, one, G3), 0);
	th_expect_hex("(n-2)G + 3G = G", out, sizeof(out), HEX_G);
	assert_int_equal(group_muladd_base(out, one, nm1, G), ERR_VERIFY);
	assert_int_equal(group_muladd_base(out, zero, zero, G), ERR_VERIFY);
	th_unhex(HEX_N, nm2, 32);
	assert_int_equal(group_muladd_base(out, nm2, one, G), ERR_RANGE); /* a = n */
	assert_int_equal(group_muladd_base(out, one, nm2, G), ERR_RANGE); /* b = n */
}

/* Expected values from tests/crypto/gen-vectors.mjs (BigInt mod n). */
#define SC_X "25c2df67835dc13a404f3e8aa943e22a621591714a54687d16aafacbdc2f4731"
#define SC_Y "22963dfb98042a82c510a4c733d28a051b42a90ea3d1e4194d0eb5a4798ee13e"

static void scalar_arithmetic(void **state)
{
	enum { ADD, SUB, MUL, INV };
	static const struct {
		const char *title;
		int op;
		const char *a, *b, *want;
	} rows[] = {
		{ "x + y (BigInt)", ADD, SC_X, SC_Y,
		  "48591d631b61ebbd055fe351dd166c2f7d583a7fee264c9663b9b07055be286f" },
		{ "x - y (BigInt)", SUB, SC_X, SC_Y,
		  "032ca16beb5996b77b3e99c37571582546d2e862a6828463c99c452762a065f3" },
		{ "y - x wraps below 0 (BigInt)", SUB, SC_Y, SC_X,
		  "fcd35e9314a6694984c1663c8a8ea7da7614124b00951a212a1d859b99c2bf5e" },
		{ "x * y (BigInt)", MUL, SC_X, SC_Y,
		  "34bb7c5ba02b450a2d0f5d003458a4fe5890c4cf8936df9276cdf6bec667757f" },
		{ "1 / x (BigInt, Fermat)", INV, SC_X, SC_X,
		  "428a173fd6d407e93e6e1b41a97ad4a6c4e0f5465f28c764f757c24124048d6a" },
		{ "(n - 1) + 2 = 1 wraps above n", ADD, HEX_N_1,
		  "0000000000000000000000000000000000000000000000000000000000000002",
		  "0000000000000000000000000000000000000000000000000000000000000001" },
		{ "0 - 1 = n - 1", SUB, "0000000000000000000000000000000000000000000000000000000000000000",
		  "0000000000000000000000000000000000000000000000000000000000000001", HEX_N_1 },
		{ "inputs >= n are reduced: n + 1 + 0 = 1", ADD, HEX_N_P1,
		  "0000000000000000000000000000000000000000000000000000000000000000",
		  "0000000000000000000000000000000000000000000000000000000000000001" },
		{ "(n - 1)^2 = 1", MUL, HEX_N_1, HEX_N_1,
		  "0000000000000000000000000000000000000000000000000000000000000001" },
	};
	uint8_t a[32], b[32], r[32];
	size_t i;

	(void)state;
	for (i = 0; i < TH_ROWS(rows); i++) {
		th_unhex(rows[i].a, a, 32);
		th_unhex(rows[i].b, b, 32);
		switch (rows[i].op) {
		case ADD: assert_int_equal(scalar_add(r, a, b), 0); break;
		case SUB: assert_int_equal(scalar_sub(r, a, b), 0); break;
		case MUL: assert_int_equal(scalar_mul(r, a, b), 0); break;
		default: assert_int_equal(scalar_inv(r, a), 0); break;
		}
		th_expect_hex(rows[i].title, r, 32, rows[i].want);
		/* the output may alias the first input */
		switch (rows[i].op) {
		case ADD: assert_int_equal(scalar_add(a, a, b), 0); break;
		case SUB: assert_int_equal(scalar_sub(a, a, b), 0); break;
		case MUL: assert_int_equal(scalar_mul(a, a, b), 0); break;
		default: assert_int_equal(scalar_inv(a, a), 0); break;
		}
		assert_memory_equal(a, r, 32);
	}
	memset(a, 0, sizeof(a));
	assert_int_equal(scalar_inv(r, a), ERR_RANGE);
	th_unhex(HEX_N, a, 32);
	assert_int_equal(scalar_inv(r, a), ERR_RANGE); /* n = 0 mod n */
}

static void scalar_reduce_and_from_u32(void **state)
{
	uint8_t wide[64], r[32];

	(void)state;
	th_unhex("60c5590f72eef292f9545afc28bf63ca91d2016a0a288f90f9a32f89d3fffcaf"
		 "06f8faea3b5f697691b6d063a07ba4ffaf1ece9a1d473c588565231cdc8e59cc", wide, 64);
	assert_int_equal(scalar_reduce(r, wide, 64), 0);
	th_expect_hex("512-bit value mod n (BigInt)", r, 32,
		      "fc509aa45f12e1855bafd663c05e4752b3710ff9bdde9afcde9a6695f8112bba");
	th_unhex(HEX_N_P1, wide, 32);
	assert_int_equal(scalar_reduce(r, wide, 32), 0);
	th_expect_hex("n + 1 mod n", r, 32,
		      "0000000000000000000000000000000000000000000000000000000000000001");
	assert_int_equal(scalar_reduce(r, wide, 0), 0);
	assert_true(scalar_is_zero(r));
	scalar_from_u32(r, 0x01020304);
	th_expect_hex("scalar_from_u32 is big-endian", r, 32,
		      "0000000000000000000000000000000000000000000000000000000001020304");
}

static void scalar_predicates(void **state)
{
	static const struct {
		const char *title, *hex;
		int zero, valid;
	} rows[] = {
		{ "0", "0000000000000000000000000000000000000000000000000000000000000000", 1, 0 },
		{ "1", "0000000000000000000000000000000000000000000000000000000000000001", 0, 1 },
		{ "2^255 (top bit only)",
		  "8000000000000000000000000000000000000000000000000000000000000000", 0, 1 },
		{ "n - 1", HEX_N_1, 0, 1 },
		{ "n", HEX_N, 0, 0 },
		{ "n + 1", HEX_N_P1, 0, 0 },
		{ "n with a lower middle byte (below n)",
		  "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fb632551", 0, 1 },
		{ "n with a higher middle byte (above n)",
		  "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fd632551", 0, 0 },
		{ "2^256 - 1", "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", 0, 0 },
	};
	uint8_t a[32];
	size_t i;

	(void)state;
	for (i = 0; i < TH_ROWS(rows); i++) {
		th_unhex(rows[i].hex, a, 32);
		if (scalar_is_zero(a) != rows[i].zero || scalar_is_valid(a) != rows[i].valid)
			fail_msg("scalar predicates: %s", rows[i].title);
	}
}

static void point_x_is_ecdh_secret(void **state)
{
	uint8_t G[GROUP_POINT_LEN], x[32];

	(void)state;
	th_unhex(HEX_G, G, sizeof(G));
	group_point_x(G, x);
	th_expect_hex("x(G)", x, 32, "6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296");
}

/* Each thread loads its own group and blinding DRBG on first use. */
static void *thread_cavs(void *arg)
{
	uint8_t d[32], Q[GROUP_POINT_LEN], S[GROUP_POINT_LEN], Z[32], want[32];
	long ok = 1;
	int i;

	(void)arg;
	if (hex_decode(CAVS_D, d, 32) || hex_decode("04" CAVS_QX CAVS_QY, Q, sizeof(Q)) ||
	    hex_decode(CAVS_Z, want, 32))
		return NULL;
	for (i = 0; i < 20 && ok; i++) {
		ok = group_mul(S, d, Q) == 0;
		group_point_x(S, Z);
		ok = ok && memcmp(Z, want, 32) == 0;
	}
	return (void *)ok;
}

static void threads_agree(void **state)
{
	pthread_t th[4];
	void *ok;
	int i;

	(void)state;
	for (i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&th[i], NULL, thread_cavs, NULL), 0);
	for (i = 0; i < 4; i++) {
		assert_int_equal(pthread_join(th[i], &ok), 0);
		assert_true(ok == (void *)1);
	}
}

static void bench_raw_runs(void **state)
{
	(void)state;
	assert_int_equal(group_bench_raw(3, 0), 0);
	assert_int_equal(group_bench_raw(3, 1), 0);
	assert_int_equal(group_bench_raw(0, 0), 0);
	assert_int_equal(group_bench_codec(3), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ecdh_nist_cavs_p256_count0),
		cmocka_unit_test(mul_base_small_multiples),
		cmocka_unit_test(point_validation),
		cmocka_unit_test(scalar_range_of_mul),
		cmocka_unit_test(muladd_and_add),
		cmocka_unit_test(sub_neg_and_muladd_base),
		cmocka_unit_test(scalar_arithmetic),
		cmocka_unit_test(scalar_reduce_and_from_u32),
		cmocka_unit_test(scalar_predicates),
		cmocka_unit_test(point_x_is_ecdh_secret),
		cmocka_unit_test(threads_agree),
		cmocka_unit_test(bench_raw_runs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
