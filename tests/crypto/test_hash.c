/* crypto/hash: SHA-256, SHA-1, hash_tagged, HMAC, HKDF (RFC 5869), strict hex. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/err.h"
#include "crypto/hash.h"
#include "lib/hex.h"
#include "testutil.h"

static void sha256_known_answers(void **state)
{
	static const struct {
		const char *title, *msg, *want;
	} rows[] = {
		{ "empty string (FIPS 180-2 / NIST CSRC examples)", "",
		  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
		{ "\"abc\", FIPS 180-2 appendix B.1", "abc",
		  "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
		{ "448-bit message, FIPS 180-2 appendix B.2",
		  "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
	};
	uint8_t out[HASH_LEN];
	size_t i;

	(void)state;
	for (i = 0; i < TH_ROWS(rows); i++) {
		assert_int_equal(hash_sha256(rows[i].msg, strlen(rows[i].msg), out), 0);
		th_expect_hex(rows[i].title, out, sizeof(out), rows[i].want);
	}
}

/* SHA-1 names the cards' OpenPGP keys (their v4 fingerprints), nothing else. */
static void sha1_known_answers(void **state)
{
	static const struct {
		const char *title, *msg, *want;
	} rows[] = {
		{ "empty string (RFC 3174 / NIST CSRC examples)", "",
		  "da39a3ee5e6b4b0d3255bfef95601890afd80709" },
		{ "\"abc\", FIPS 180-2 appendix A.1", "abc",
		  "a9993e364706816aba3e25717850c26c9cd0d89d" },
		{ "448-bit message, FIPS 180-2 appendix A.2",
		  "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		  "84983e441c3bd26ebaae4aa1f95129e5e54670f1" },
	};
	uint8_t out[HASH_SHA1_LEN];
	size_t i;

	(void)state;
	for (i = 0; i < TH_ROWS(rows); i++) {
		assert_int_equal(hash_sha1(rows[i].msg, strlen(rows[i].msg), out), 0);
		th_expect_hex(rows[i].title, out, sizeof(out), rows[i].want);
	}
}

/* FIPS 180-2 appendix B.3 (one million 'a'), fed in uneven pieces. */
static void sha256_streaming_million_a(void **state)
{
	static char block[1000];
	struct hash_ctx *ctx;
	uint8_t out[HASH_LEN];
	size_t done = 0, piece = 1;

	(void)state;
	memset(block, 'a', sizeof(block));
	assert_int_equal(hash_begin(&ctx), 0);
	while (done < 1000000) {
		piece = piece % 997 + 1;
		if (piece > 1000000 - done)
			piece = 1000000 - done;
		assert_int_equal(hash_update(ctx, block, piece), 0);
		done += piece;
	}
	assert_int_equal(hash_final(ctx, out), 0);
	th_expect_hex("one million 'a', FIPS 180-2 B.3", out, sizeof(out),
		      "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

static void sha256_streaming_matches_oneshot(void **state)
{
	static const char msg[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	uint8_t want[HASH_LEN], got[HASH_LEN];
	struct hash_ctx *ctx;
	size_t cut, len = sizeof(msg) - 1;

	(void)state;
	assert_int_equal(hash_sha256(msg, len, want), 0);
	for (cut = 0; cut <= len; cut++) {
		assert_int_equal(hash_begin(&ctx), 0);
		assert_int_equal(hash_update(ctx, msg, cut), 0);
		assert_int_equal(hash_update(ctx, msg + cut, len - cut), 0);
		assert_int_equal(hash_final(ctx, got), 0);
		assert_memory_equal(got, want, HASH_LEN);
	}
	assert_int_equal(hash_begin(&ctx), 0);
	hash_abort(ctx); /* frees without output */
	hash_abort(NULL);
}

/* Computed independently by tests/crypto/gen-vectors.mjs (Node's SHA-256). */
static void hash_tagged_known_answer(void **state)
{
	const struct hash_part parts[] = { { "ab", 2 }, { "c", 1 } };
	uint8_t out[HASH_LEN];

	(void)state;
	assert_int_equal(hash_tagged("sceau/test", parts, 2, out), 0);
	th_expect_hex("SHA-256(u32be 10 'sceau/test' u32be 2 'ab' u32be 1 'c')", out, sizeof(out),
		      "356988838b40544195d0062251d57c08d1ed695531b066a43949c9729896f975");
}

/* Moving a boundary between parts, or between the tag and a part, changes
 * the hash: the length prefixes do their job. */
static void hash_tagged_boundaries_matter(void **state)
{
	static const struct {
		const char *title, *tag;
		struct hash_part parts[3];
		size_t n;
	} rows[] = {
		{ "reference: ab | c", "t", { { "ab", 2 }, { "c", 1 } }, 2 },
		{ "split moved: a | bc", "t", { { "a", 1 }, { "bc", 2 } }, 2 },
		{ "one part: abc", "t", { { "abc", 3 } }, 1 },
		{ "empty part appended: abc | ''", "t", { { "abc", 3 }, { "", 0 } }, 2 },
		{ "empty part first: '' | abc", "t", { { "", 0 }, { "abc", 3 } }, 2 },
		{ "tag absorbs a byte: tag 'ta', part bc", "ta", { { "bc", 2 } }, 1 },
		{ "tag alone, no part", "tabc", { { NULL, 0 } }, 0 },
	};
	uint8_t h[TH_ROWS(rows)][HASH_LEN];
	size_t i, j;

	(void)state;
	for (i = 0; i < TH_ROWS(rows); i++)
		assert_int_equal(hash_tagged(rows[i].tag, rows[i].parts, rows[i].n, h[i]), 0);
	for (i = 0; i < TH_ROWS(rows); i++)
		for (j = 0; j < i; j++)
			if (memcmp(h[i], h[j], HASH_LEN) == 0)
				fail_msg("'%s' collides with '%s'", rows[i].title, rows[j].title);
}

static void hmac_rfc4231(void **state)
{
	static const struct {
		const char *title, *key, *data, *want;
	} rows[] = {
		{ "RFC 4231 test case 1", "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "Hi There",
		  "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7" },
		{ "RFC 4231 test case 2 (key shorter than the block)", "4a656665",
		  "what do ya want for nothing?",
		  "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843" },
	};
	uint8_t key[32], out[HASH_LEN];
	size_t i, klen;

	(void)state;
	for (i = 0; i < TH_ROWS(rows); i++) {
		klen = strlen(rows[i].key) / 2;
		th_unhex(rows[i].key, key, klen);
		assert_int_equal(hmac_sha256(key, klen, rows[i].data, strlen(rows[i].data), out), 0);
		th_expect_hex(rows[i].title, out, sizeof(out), rows[i].want);
	}
}

static void hkdf_rfc5869(void **state)
{
	static const struct {
		const char *title, *ikm, *salt, *info, *okm;
	} rows[] = {
		{ "RFC 5869 A.1: basic test case with SHA-256",
		  "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "000102030405060708090a0b0c",
		  "f0f1f2f3f4f5f6f7f8f9",
		  "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf"
		  "34007208d5b887185865" },
		{ "RFC 5869 A.2: longer inputs/outputs",
		  "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
		  "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
		  "404142434445464748494a4b4c4d4e4f",
		  "606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f"
		  "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"
		  "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf",
		  "b0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecf"
		  "d0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6e7e8e9eaebecedeeef"
		  "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff",
		  "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c"
		  "59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71"
		  "cc30c58179ec3e87c14c01d5c1f3434f1d87" },
		{ "RFC 5869 A.3: zero-length salt and info",
		  "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "", "",
		  "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d"
		  "9d201395faa4b61a96c8" },
	};
	uint8_t ikm[80], salt[80], info[80], okm[82];
	size_t i, li, ls, lf, lo;

	(void)state;
	for (i = 0; i < TH_ROWS(rows); i++) {
		li = strlen(rows[i].ikm) / 2;
		ls = strlen(rows[i].salt) / 2;
		lf = strlen(rows[i].info) / 2;
		lo = strlen(rows[i].okm) / 2;
		th_unhex(rows[i].ikm, ikm, li);
		th_unhex(rows[i].salt, salt, ls);
		th_unhex(rows[i].info, info, lf);
		assert_int_equal(hkdf_sha256(ls ? salt : NULL, ls, ikm, li, lf ? info : NULL, lf,
					     okm, lo), 0);
		th_expect_hex(rows[i].title, okm, lo, rows[i].okm);
	}
}

static void hkdf_output_bounds(void **state)
{
	static uint8_t okm[255 * 32 + 1];

	(void)state;
	assert_int_equal(hkdf_sha256("s", 1, "k", 1, "i", 1, okm, 255 * 32), 0);
	assert_int_equal(hkdf_sha256("s", 1, "k", 1, "i", 1, okm, 255 * 32 + 1), ERR_RANGE);
	assert_int_equal(hkdf_sha256("s", 1, "k", 1, "i", 1, okm, 0), ERR_RANGE);
}

static void hex_encode_all_bytes(void **state)
{
	uint8_t in[256], back[256];
	char out[513];
	size_t i;

	(void)state;
	for (i = 0; i < 256; i++)
		in[i] = (uint8_t)i;
	hex_encode(in, sizeof(in), out);
	assert_int_equal(strlen(out), 512);
	assert_memory_equal(out, "000102", 6);
	assert_string_equal(out + 500, "fafbfcfdfeff");
	assert_int_equal(hex_decode(out, back, sizeof(back)), 0);
	assert_memory_equal(back, in, sizeof(in));
	hex_encode(in, 0, out);
	assert_string_equal(out, "");
}

static void hex_decode_strict(void **state)
{
	static const struct {
		const char *title, *in;
		size_t len;
		int ret;
		uint8_t want[2];
	} rows[] = {
		{ "lower case", "a0ff", 2, 0, { 0xa0, 0xff } },
		{ "upper case (one form only: lower case)", "A0FF", 2, ERR_FORMAT, { 0 } },
		{ "mixed case", "aBcD", 2, ERR_FORMAT, { 0 } },
		{ "one upper-case digit last", "abcD", 2, ERR_FORMAT, { 0 } },
		{ "digits only", "0919", 2, 0, { 0x09, 0x19 } },
		{ "empty for 0 bytes", "", 0, 0, { 0 } },
		{ "odd length (3 digits for 2 bytes)", "abc", 2, ERR_FORMAT, { 0 } },
		{ "odd length (3 digits for 1 byte)", "abc", 1, ERR_FORMAT, { 0 } },
		{ "too long (6 digits for 2 bytes)", "abcdef", 2, ERR_FORMAT, { 0 } },
		{ "too short (2 digits for 2 bytes)", "ab", 2, ERR_FORMAT, { 0 } },
		{ "'g' is not a digit", "abcg", 2, ERR_FORMAT, { 0 } },
		{ "'G' is not a digit", "Gbcd", 2, ERR_FORMAT, { 0 } },
		{ "'@' (just below 'A')", "@bcd", 2, ERR_FORMAT, { 0 } },
		{ "'`' (just below 'a')", "`bcd", 2, ERR_FORMAT, { 0 } },
		{ "'/' and ':' (around the digits)", "/:00", 2, ERR_FORMAT, { 0 } },
		{ "space", "ab d", 2, ERR_FORMAT, { 0 } },
		{ "0x prefix", "0xab", 2, ERR_FORMAT, { 0 } },
		{ "sign", "-1ab", 2, ERR_FORMAT, { 0 } },
		{ "byte with the high bit", "ab\xc1" "1", 2, ERR_FORMAT, { 0 } },
		{ "trailing newline", "abcd\n", 2, ERR_FORMAT, { 0 } },
	};
	uint8_t out[2];
	size_t i;

	(void)state;
	for (i = 0; i < TH_ROWS(rows); i++) {
		if (hex_decode(rows[i].in, out, rows[i].len) != rows[i].ret)
			fail_msg("hex_decode: %s", rows[i].title);
		if (rows[i].ret == 0 && memcmp(out, rows[i].want, rows[i].len) != 0)
			fail_msg("hex_decode value: %s", rows[i].title);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sha256_known_answers),
		cmocka_unit_test(sha1_known_answers),
		cmocka_unit_test(sha256_streaming_million_a),
		cmocka_unit_test(sha256_streaming_matches_oneshot),
		cmocka_unit_test(hash_tagged_known_answer),
		cmocka_unit_test(hash_tagged_boundaries_matter),
		cmocka_unit_test(hmac_rfc4231),
		cmocka_unit_test(hkdf_rfc5869),
		cmocka_unit_test(hkdf_output_bounds),
		cmocka_unit_test(hex_encode_all_bytes),
		cmocka_unit_test(hex_decode_strict),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
