/* crypto/aead: AES-256-GCM against the GCM specification's vectors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/err.h"
#include "crypto/aead.h"
#include "testutil.h"

#define K0 "0000000000000000000000000000000000000000000000000000000000000000"
#define K15 "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308"
#define P15 "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72" \
	"1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255"
#define P16 "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72" \
	"1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39"

/* McGrew & Viega, "The Galois/Counter Mode of Operation (GCM)", appendix B,
 * test cases 13-16 (256-bit keys, 96-bit IVs); also checked with Node. */
static const struct {
	const char *title, *key, *iv, *aad, *pt, *ct_tag;
} gcm_rows[] = {
	{ "GCM spec test case 13: zero key, empty plaintext", K0, "000000000000000000000000", "",
	  "", "530f8afbc74536b9a963b4f1c4cb738b" },
	{ "GCM spec test case 14: zero key, one zero block", K0, "000000000000000000000000", "",
	  "00000000000000000000000000000000",
	  "cea7403d4d606b6e074ec5d3baf39d18" "d0d1c8a799996bf0265b98b5d48ab919" },
	{ "GCM spec test case 15: four blocks, no AAD", K15, "cafebabefacedbaddecaf888", "", P15,
	  "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
	  "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad"
	  "b094dac5d93471bdec1a502270e3cc6c" },
	{ "GCM spec test case 16: 60 bytes, 20 bytes of AAD", K15, "cafebabefacedbaddecaf888",
	  "feedfacedeadbeeffeedfacedeadbeefabaddad2", P16,
	  "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
	  "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662"
	  "76fc6ece0f4e1768cddf8853bb2d551b" },
};

struct gcm_case {
	uint8_t key[32], iv[12], aad[20], pt[64], ct[80], out[80];
	size_t aadlen, ptlen;
};

static void gcm_load(size_t i, struct gcm_case *c)
{
	c->aadlen = strlen(gcm_rows[i].aad) / 2;
	c->ptlen = strlen(gcm_rows[i].pt) / 2;
	th_unhex(gcm_rows[i].key, c->key, 32);
	th_unhex(gcm_rows[i].iv, c->iv, 12);
	th_unhex(gcm_rows[i].aad, c->aad, c->aadlen);
	th_unhex(gcm_rows[i].pt, c->pt, c->ptlen);
	th_unhex(gcm_rows[i].ct_tag, c->ct, c->ptlen + AEAD_TAG_LEN);
}

static void gcm_spec_seal(void **state)
{
	struct gcm_case c;
	size_t i;

	(void)state;
	for (i = 0; i < TH_ROWS(gcm_rows); i++) {
		gcm_load(i, &c);
		assert_int_equal(aead_seal(c.key, c.iv, c.aad, c.aadlen, c.pt, c.ptlen, c.out), 0);
		th_expect_hex(gcm_rows[i].title, c.out, c.ptlen + AEAD_TAG_LEN, gcm_rows[i].ct_tag);
	}
}

static void gcm_spec_open(void **state)
{
	struct gcm_case c;
	size_t i;

	(void)state;
	for (i = 0; i < TH_ROWS(gcm_rows); i++) {
		gcm_load(i, &c);
		if (aead_open(c.key, c.iv, c.aad, c.aadlen, c.ct, c.ptlen + AEAD_TAG_LEN, c.out) != 0 ||
		    memcmp(c.out, c.pt, c.ptlen) != 0)
			fail_msg("open: %s", gcm_rows[i].title);
	}
}

/* Any change to the ciphertext, tag or AAD is refused, and nothing of the
 * plaintext is left in the output buffer. */
static void gcm_tamper_refused(void **state)
{
	struct gcm_case c;
	size_t len, j, k;

	(void)state;
	gcm_load(3, &c); /* test case 16, with AAD */
	len = c.ptlen + AEAD_TAG_LEN;
	for (j = 0; j < len; j++) {
		c.ct[j] ^= 0x01;
		memset(c.out, 0x77, sizeof(c.out));
		if (aead_open(c.key, c.iv, c.aad, c.aadlen, c.ct, len, c.out) != ERR_VERIFY)
			fail_msg("byte %zu flipped: accepted", j);
		for (k = 0; k < c.ptlen; k++)
			assert_int_equal(c.out[k], 0);
		c.ct[j] ^= 0x01;
	}
	c.aad[0] ^= 0x80;
	assert_int_equal(aead_open(c.key, c.iv, c.aad, c.aadlen, c.ct, len, c.out), ERR_VERIFY);
	c.aad[0] ^= 0x80;
	assert_int_equal(aead_open(c.key, c.iv, c.aad, c.aadlen - 1, c.ct, len, c.out), ERR_VERIFY);
	c.iv[11] ^= 1;
	assert_int_equal(aead_open(c.key, c.iv, c.aad, c.aadlen, c.ct, len, c.out), ERR_VERIFY);
	c.iv[11] ^= 1;
	assert_int_equal(aead_open(c.key, c.iv, c.aad, c.aadlen, c.ct, len - 1, c.out), ERR_VERIFY);
	assert_int_equal(aead_open(c.key, c.iv, c.aad, c.aadlen, c.ct, len, c.out), 0);
}

static void gcm_short_ciphertext(void **state)
{
	uint8_t key[32] = { 0 }, iv[12] = { 0 }, ct[16] = { 0 }, pt[16];

	(void)state;
	assert_int_equal(aead_open(key, iv, NULL, 0, ct, 15, pt), ERR_FORMAT);
	assert_int_equal(aead_open(key, iv, NULL, 0, ct, 0, pt), ERR_FORMAT);
	assert_int_equal(aead_open(key, iv, NULL, 0, ct, 16, pt), ERR_VERIFY);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(gcm_spec_seal),
		cmocka_unit_test(gcm_spec_open),
		cmocka_unit_test(gcm_tamper_refused),
		cmocka_unit_test(gcm_short_ciphertext),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
