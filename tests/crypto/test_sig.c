/* crypto/sig: ECDSA P-256 / SHA-256, deterministic (RFC 6979), raw r || s,
 * and the low-s form the box stores. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/err.h"
#include "crypto/hash.h"
#include "crypto/rng.h"
#include "crypto/sig.h"
#include "testutil.h"

/* RFC 6979 appendix A.2.5 (ECDSA, 256 bits, prime field): key pair. */
#define A25_X "c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721"
#define A25_U "0460fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6" \
	"7903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299"
#define HEX_N "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551"

static const struct {
	const char *title, *msg, *sig;
} rfc6979_rows[] = {
	{ "RFC 6979 A.2.5, SHA-256, message \"sample\"", "sample",
	  "efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716"
	  "f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8" },
	{ "RFC 6979 A.2.5, SHA-256, message \"test\"", "test",
	  "f1abb023518351cd71d881567b1ea663ed3efcf6c5132b354f28d3b0b7d38367"
	  "019f4113742a2b14bd25926b49c649155f267e60d3814b4c0cc84250e46f0083" },
};

static void rfc6979_public_key(void **state)
{
	uint8_t x[32], pub[GROUP_POINT_LEN];

	(void)state;
	th_unhex(A25_X, x, 32);
	assert_int_equal(sig_public(x, pub), 0);
	th_expect_hex("RFC 6979 A.2.5 public key U = xG", pub, sizeof(pub), A25_U);
}

static void rfc6979_deterministic_signatures(void **state)
{
	uint8_t x[32], digest[32], sig[SIG_LEN];
	size_t i;

	(void)state;
	th_unhex(A25_X, x, 32);
	for (i = 0; i < TH_ROWS(rfc6979_rows); i++) {
		assert_int_equal(hash_sha256(rfc6979_rows[i].msg, strlen(rfc6979_rows[i].msg), digest),
				 0);
		assert_int_equal(sig_sign(x, digest, sig), 0);
		th_expect_hex(rfc6979_rows[i].title, sig, sizeof(sig), rfc6979_rows[i].sig);
	}
}

/* The RFC signatures verify (they were also checked with Node/OpenSSL). */
static void rfc6979_signatures_verify(void **state)
{
	uint8_t U[GROUP_POINT_LEN], digest[32], sig[SIG_LEN];
	size_t i;

	(void)state;
	th_unhex(A25_U, U, sizeof(U));
	for (i = 0; i < TH_ROWS(rfc6979_rows); i++) {
		assert_int_equal(hash_sha256(rfc6979_rows[i].msg, strlen(rfc6979_rows[i].msg), digest),
				 0);
		th_unhex(rfc6979_rows[i].sig, sig, sizeof(sig));
		if (sig_verify(U, digest, sig) != 0)
			fail_msg("does not verify: %s", rfc6979_rows[i].title);
	}
}

static void altered_signatures_refused(void **state)
{
	static const struct {
		const char *title;
		int what; /* 0 digest bit, 1 r bit, 2 s bit, 3 r = 0, 4 s = n, 5 other message */
	} rows[] = {
		{ "digest bit flipped", 0 }, { "r bit flipped", 1 }, { "s bit flipped", 2 },
		{ "r = 0", 3 }, { "s = n", 4 }, { "signature of \"test\" on \"sample\"", 5 },
	};
	uint8_t U[GROUP_POINT_LEN], digest[32], sig[SIG_LEN];
	size_t i;
	int ret;

	(void)state;
	th_unhex(A25_U, U, sizeof(U));
	for (i = 0; i < TH_ROWS(rows); i++) {
		assert_int_equal(hash_sha256("sample", 6, digest), 0);
		th_unhex(rfc6979_rows[0].sig, sig, sizeof(sig));
		switch (rows[i].what) {
		case 0: digest[5] ^= 0x10; break;
		case 1: sig[10] ^= 0x01; break;
		case 2: sig[40] ^= 0x01; break;
		case 3: memset(sig, 0, 32); break;
		case 4: th_unhex(HEX_N, sig + 32, 32); break;
		default: th_unhex(rfc6979_rows[1].sig, sig, sizeof(sig)); break;
		}
		ret = sig_verify(U, digest, sig);
		if (ret != ERR_VERIFY)
			fail_msg("%s: sig_verify returned %d", rows[i].title, ret);
	}
	/* a public key that is not a point */
	th_unhex(rfc6979_rows[0].sig, sig, sizeof(sig));
	U[64] ^= 1;
	assert_int_equal(sig_verify(U, digest, sig), ERR_FORMAT);
}

/* (r, s) and (r, n - s) both verify; the box keeps the one with s <= (n-1)/2.
 * RFC 6979's "sample" signature has the high s, "test" the low one. */
#define SAMPLE_LOW_S "0834e36ad29a83bf2bc9385e491d6099c8fdf9d1ed67aa7ea5f51f93782857a9"
#define HALF_N "7fffffff800000007fffffffffffffffde737d56d38bcf4279dce5617e3192a8"
#define HALF_N_1 "7fffffff800000007fffffffffffffffde737d56d38bcf4279dce5617e3192a9"

static void low_s_form(void **state)
{
	static const struct {
		const char *title, *s;
		int low, ret;
	} rows[] = {
		{ "s = (n-1)/2 is low", HALF_N, 1, 0 },
		{ "s = (n+1)/2 is high", HALF_N_1, 0, 0 },
		{ "s = 1 is low", "0000000000000000000000000000000000000000000000000000000000000001",
		  1, 0 },
		{ "s = 0 is no signature", "00000000000000000000000000000000"
					   "00000000000000000000000000000000", 0, ERR_FORMAT },
		{ "s = n is no signature", HEX_N, 0, ERR_FORMAT },
	};
	uint8_t U[GROUP_POINT_LEN], digest[32], sig[SIG_LEN], low[SIG_LEN];
	size_t i;

	(void)state;
	th_unhex(A25_U, U, sizeof(U));
	assert_int_equal(hash_sha256("sample", 6, digest), 0);
	th_unhex(rfc6979_rows[0].sig, sig, sizeof(sig));
	assert_int_equal(sig_is_low_s(sig), 0);
	memcpy(low, sig, sizeof(sig));
	assert_int_equal(sig_normalize(low), 0);
	assert_memory_equal(low, sig, 32); /* r kept */
	th_expect_hex("n - s of RFC 6979 \"sample\"", low + 32, 32, SAMPLE_LOW_S);
	assert_int_equal(sig_is_low_s(low), 1);
	assert_int_equal(sig_verify(U, digest, sig), 0); /* both forms verify */
	assert_int_equal(sig_verify(U, digest, low), 0);
	memcpy(sig, low, sizeof(sig));
	assert_int_equal(sig_normalize(low), 0); /* the low form is kept */
	assert_memory_equal(low, sig, sizeof(sig));
	th_unhex(rfc6979_rows[1].sig, sig, sizeof(sig));
	assert_int_equal(sig_is_low_s(sig), 1);
	for (i = 0; i < TH_ROWS(rows); i++) {
		th_unhex(rfc6979_rows[1].sig, sig, sizeof(sig));
		th_unhex(rows[i].s, sig + 32, 32);
		if (sig_is_low_s(sig) != rows[i].low)
			fail_msg("sig_is_low_s: %s", rows[i].title);
		if (sig_normalize(sig) != rows[i].ret)
			fail_msg("sig_normalize: %s", rows[i].title);
		if (rows[i].ret == 0 && !sig_is_low_s(sig))
			fail_msg("not low after sig_normalize: %s", rows[i].title);
	}
	memset(sig, 0, 32); /* r = 0 */
	th_unhex(HALF_N, sig + 32, 32);
	assert_int_equal(sig_normalize(sig), ERR_FORMAT);
}

static void keygen_sign_verify(void **state)
{
	struct rng *r;
	uint8_t priv[32], pub[GROUP_POINT_LEN], pub2[GROUP_POINT_LEN], digest[32];
	uint8_t sig[SIG_LEN], sig2[SIG_LEN];

	(void)state;
	assert_int_equal(rng_new(&r, NULL, NULL), 0);
	assert_int_equal(sig_keygen(r, priv, pub), 0);
	assert_int_equal(sig_public(priv, pub2), 0);
	assert_memory_equal(pub, pub2, sizeof(pub));
	assert_int_equal(hash_sha256("manifest", 8, digest), 0);
	assert_int_equal(sig_sign(priv, digest, sig), 0);
	assert_int_equal(sig_sign(priv, digest, sig2), 0);
	assert_memory_equal(sig, sig2, sizeof(sig)); /* deterministic */
	assert_int_equal(sig_verify(pub, digest, sig), 0);
	memset(priv, 0, sizeof(priv));
	assert_int_equal(sig_sign(priv, digest, sig), ERR_RANGE);
	rng_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rfc6979_public_key),
		cmocka_unit_test(rfc6979_deterministic_signatures),
		cmocka_unit_test(rfc6979_signatures_verify),
		cmocka_unit_test(altered_signatures_refused),
		cmocka_unit_test(low_s_form),
		cmocka_unit_test(keygen_sign_verify),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
