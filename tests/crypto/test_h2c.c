/*
 * crypto/h2c: RFC 9380 hash_to_curve P256_XMD:SHA-256_SSWU_RO_, on every
 * vector the RFC prints for the suite (appendix J.1.1: u0, u1, Q0, Q1, P of
 * each message) and for expand_message_xmd with SHA-256 (appendix K.1, short
 * and long DST), read from tests/data/h2c (README.md there gives the source).
 * The exceptional branch of the map (u = 0: tv1 = 0) is not in the RFC's
 * vectors; its point was computed by tests/crypto/sceau_v2_ref.py, a
 * separate Python implementation of section 6.6.2. The OpenSSL map and
 * hash_to_curve (crypto/ossl.h: the RFC's straight-line map of appendix
 * F.2, a different computation) must give the same points, when built.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>
#include <jansson.h>

#include "lib/err.h"
#include "crypto/h2c.h"
#ifdef CONFIG_CRYPTO_OPENSSL
#include "crypto/ossl.h"
#endif
#include "testutil.h"

#define DATA "tests/data/h2c/"

static json_t *load(const char *name)
{
	json_error_t e;
	json_t *j = json_load_file(name, 0, &e);

	if (j == NULL)
		fail_msg("%s: %s (run from the repository's root)", name, e.text);
	return j;
}

/* "0x..." (a field element) as 32 bytes. */
static void unhex0x(const char *s, uint8_t out[32])
{
	assert_true(strncmp(s, "0x", 2) == 0);
	th_unhex(s + 2, out, 32);
}

static void point_of(json_t *xy, uint8_t out[GROUP_POINT_LEN])
{
	out[0] = 0x04;
	unhex0x(json_string_value(json_object_get(xy, "x")), out + 1);
	unhex0x(json_string_value(json_object_get(xy, "y")), out + 33);
}

static void expect_point(const char *title, const uint8_t got[GROUP_POINT_LEN], json_t *xy)
{
	uint8_t want[GROUP_POINT_LEN];
	char hex[2 * GROUP_POINT_LEN + 1];

	point_of(xy, want);
	hex_encode(want, sizeof(want), hex);
	th_expect_hex(title, got, GROUP_POINT_LEN, hex);
}

static void expand_file(const char *name)
{
	json_t *j = load(name), *t;
	const char *dst = json_string_value(json_object_get(j, "DST"));
	uint8_t out[256];
	size_t i, len;
	char title[160];

	assert_non_null(dst);
	json_array_foreach(json_object_get(j, "tests"), i, t) {
		const char *msg = json_string_value(json_object_get(t, "msg"));

		len = strtoul(json_string_value(json_object_get(t, "len_in_bytes")), NULL, 16);
		assert_true(len <= sizeof(out));
		assert_int_equal(h2c_expand_xmd(msg, strlen(msg), dst, strlen(dst), out, len), 0);
		snprintf(title, sizeof(title), "%s, test %zu (msg %.20s..., %zu bytes)", name, i,
			 msg, len);
		th_expect_hex(title, out, len,
			      json_string_value(json_object_get(t, "uniform_bytes")));
	}
	assert_int_equal(i, 10);
	json_decref(j);
}

/* RFC 9380 K.1: expand_message_xmd(SHA-256), DST of 38 bytes and of 255+. */
static void expand_message_xmd_rfc_vectors(void **state)
{
	(void)state;
	expand_file(DATA "expand_message_xmd_SHA256_38.json");
	expand_file(DATA "expand_message_xmd_SHA256_256.json");
}

/* RFC 9380 J.1.1: every message of P256_XMD:SHA-256_SSWU_RO_, every stage. */
static void hash_to_curve_rfc_vectors(void **state)
{
	json_t *j = load(DATA "P256_XMD_SHA-256_SSWU_RO_.json"), *v;
	const char *dst = json_string_value(json_object_get(j, "dst"));
	uint8_t u[2][32], q[GROUP_POINT_LEN];
	char title[96];
	size_t i;

	(void)state;
	assert_string_equal(json_string_value(json_object_get(j, "ciphersuite")),
			    "P256_XMD:SHA-256_SSWU_RO_");
	json_array_foreach(json_object_get(j, "vectors"), i, v) {
		const char *msg = json_string_value(json_object_get(v, "msg"));
		json_t *uj = json_object_get(v, "u");

		assert_int_equal(h2c_hash_to_field(msg, strlen(msg), dst, strlen(dst), u), 0);
		for (int k = 0; k < 2; k++) {
			snprintf(title, sizeof(title), "vector %zu: u%d", i, k);
			th_expect_hex(title, u[k], 32,
				      json_string_value(json_array_get(uj, (size_t)k)) + 2);
			assert_int_equal(h2c_map_to_curve(u[k], q), 0);
			snprintf(title, sizeof(title), "vector %zu: Q%d = map_to_curve(u%d)", i, k, k);
			expect_point(title, q, json_object_get(v, k ? "Q1" : "Q0"));
#ifdef CONFIG_CRYPTO_OPENSSL
			assert_int_equal(h2c_map_to_curve_ossl(u[k], q), 0);
			snprintf(title, sizeof(title), "vector %zu: Q%d, OpenSSL", i, k);
			expect_point(title, q, json_object_get(v, k ? "Q1" : "Q0"));
#endif
		}
		assert_int_equal(h2c_hash_to_curve(msg, strlen(msg), dst, strlen(dst), q), 0);
		snprintf(title, sizeof(title), "vector %zu: P = hash_to_curve(msg)", i);
		expect_point(title, q, json_object_get(v, "P"));
		assert_int_equal(group_point_check(q), 0);
#ifdef CONFIG_CRYPTO_OPENSSL
		assert_int_equal(h2c_hash_to_curve_ossl(msg, strlen(msg), dst, strlen(dst), q), 0);
		snprintf(title, sizeof(title), "vector %zu: P, OpenSSL", i);
		expect_point(title, q, json_object_get(v, "P"));
#endif
	}
	assert_int_equal(i, 5);
	json_decref(j);
}

/* The branches the RFC's vectors do not reach, against sceau_v2_ref.py. */
static void map_edge_cases(void **state)
{
	static const struct {
		const char *title, *u, *q;
	} rows[] = {
		{ "u = 0: tv1 = inv0(0) = 0, x1 = B / (Z*A) (section 6.6.2 step 3)",
		  "0000000000000000000000000000000000000000000000000000000000000000",
		  "04a528bd8696bdaf996c65b982d94959d3146fe6a020693090bdba13132375f224"
		  "0e5fb73d16791ce358fb5adb2d33668a3b24099fd8d401f6685e0e994fb4d756" },
		{ "u = 1: sgn0(u) = 1",
		  "0000000000000000000000000000000000000000000000000000000000000001",
		  "04db4698c8497def7b647653b93facc51d5cdd384d642795b77e596b889f6facc7"
		  "27e86f687ca94e26b655508b3bfec36e3e73a474c9f7914931f09c6e91d3fa5b" },
		{ "u = p - 1 = -1: the same x as u = 1, y of the other sign",
		  "ffffffff00000001000000000000000000000000fffffffffffffffffffffffe",
		  "04db4698c8497def7b647653b93facc51d5cdd384d642795b77e596b889f6facc7"
		  "d81790968356b1da49aaaf74c4013c91c18c5b8c36086eb6ce0f63916e2c05a4" },
	};
	uint8_t u[32], q[GROUP_POINT_LEN];

	(void)state;
	for (size_t i = 0; i < TH_ROWS(rows); i++) {
		th_unhex(rows[i].u, u, 32);
		assert_int_equal(h2c_map_to_curve(u, q), 0);
		th_expect_hex(rows[i].title, q, sizeof(q), rows[i].q);
#ifdef CONFIG_CRYPTO_OPENSSL
		memset(q, 0, sizeof(q));
		assert_int_equal(h2c_map_to_curve_ossl(u, q), 0);
		th_expect_hex(rows[i].title, q, sizeof(q), rows[i].q);
#endif
	}
}

static void bad_arguments(void **state)
{
	uint8_t u[32], q[GROUP_POINT_LEN], out[H2C_XMD_MAX + 1];

	(void)state;
	/* u = p is not a field element */
	th_unhex("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff", u, 32);
	assert_int_equal(h2c_map_to_curve(u, q), ERR_RANGE);
#ifdef CONFIG_CRYPTO_OPENSSL
	assert_int_equal(h2c_map_to_curve_ossl(u, q), ERR_RANGE);
	assert_int_equal(h2c_hash_to_curve_ossl("m", 1, "", 0, q), ERR_RANGE);
#endif
	assert_int_equal(h2c_expand_xmd("m", 1, "D", 1, out, 0), ERR_RANGE);
	assert_int_equal(h2c_expand_xmd("m", 1, "D", 1, out, H2C_XMD_MAX + 1), ERR_RANGE);
	assert_int_equal(h2c_expand_xmd("m", 1, "", 0, out, 32), ERR_RANGE);
	/* the longest output, ell = 255 blocks, is allowed */
	assert_int_equal(h2c_expand_xmd("m", 1, "D", 1, out, H2C_XMD_MAX), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(expand_message_xmd_rfc_vectors),
		cmocka_unit_test(hash_to_curve_rfc_vectors),
		cmocka_unit_test(map_edge_cases),
		cmocka_unit_test(bad_arguments),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
