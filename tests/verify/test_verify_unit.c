/*
 * The verifier's parts one by one: one decryption checked (v2); typed QR payloads; the
 * Netpbm parser; the sampler and its detection probability; the JSON
 * comparison's paths; the set of points; the one valid form of the platform's
 * seal and of a card signature. (The final manifest's reader is
 * tested with its writer in tests/format/test_archive_manifest.c.)
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "format/decrypted.h"
#include "lib/err.h"
#include "crypto/group.h"
#include "crypto/ballot.h"
#include "crypto/dleq.h"
#include "crypto/hash.h"
#include "crypto/rng.h"
#include "crypto/sig.h"
#include "format/media_manifest.h"
#include "format/signatures.h"
#include "verify/verify_dupset.h"
#include "verify/verify_jdiff.h"
#include "verify/verify_proofs.h"
#include "verify/verify_qr.h"
#include "verify/verify_sample.h"
#include "verify/verify_scan.h"
#include "../support/testlib.h"

#define ROWS(a) (sizeof(a) / sizeof((a)[0]))

/* ---- one decryption checked ----------------------------------------------- */

static void point(unsigned k, uint8_t out[65])
{
	uint8_t s[32];

	scalar_from_u32(s, k);
	assert_int_equal(group_mul_base(out, s), 0);
}

/* A ciphertext of the shuffled list encrypted to s·G, published as the box
 * does: S = s·A', its proof, and the plaintext (or, with unreadable = 1, a
 * B' whose M carries none, published as unreadable). */
static void proof_item(unsigned s_int, int unreadable, uint8_t pk[65], uint8_t eid[32],
		       struct vproof_item *it)
{
	uint8_t s[32], r[32], k[32], pt[4] = { 1, 0, 1, 0 }, rec[BALLOT2_RECORD_LEN];
	struct dleq2_statement st = { pk, eid, 1, it->ct, it->ct + 65, it->d.S };

	memset(it, 0, sizeof(*it));
	memset(eid, 0x42, 32);
	scalar_from_u32(s, s_int);
	scalar_from_u32(r, 77);
	scalar_from_u32(k, 78);
	assert_int_equal(group_mul_base(pk, s), 0);
	assert_int_equal(ballot2_encrypt_fixed(r, k, pk, eid, 1, pt, sizeof(pt), rec), 0);
	memcpy(it->ct, rec + BALLOT2_OFF_A, 130);
	it->has_ct = 1;
	if (unreadable) { /* B' = G + r PK: M = G */
		uint8_t G[65], rpk[65];
		point(1, G);
		assert_int_equal(group_mul(rpk, r, pk), 0);
		assert_int_equal(group_add(it->ct + 65, G, rpk), 0);
	}
	it->d.scrutin = 1;
	it->d.idx = 1;
	assert_int_equal(group_mul(it->d.S, s, it->ct), 0);
	assert_int_equal(dleq2_prove(s, &st, it->d.proof), 0);
	it->d.status = unreadable ? DECFILE_UNREADABLE : DECFILE_READ;
	it->d.pt_len = sizeof(pt);
	if (!unreadable)
		memcpy(it->d.pt, pt, sizeof(pt));
}

static void proof_one(const struct crypto_checks *ck)
{
	struct vproof_item it;
	uint8_t pk[65], eid[32], other[32];

	proof_item(12345, 0, pk, eid, &it);
	verify_proof_one(ck, pk, eid, &it);
	assert_int_equal(it.outcome, VPROOF_OK);
	it.d.pt[2] = 2; /* another list published */
	verify_proof_one(ck, pk, eid, &it);
	assert_int_equal(it.outcome, VPROOF_PLAINTEXT);
	proof_item(12345, 0, pk, eid, &it);
	it.d.status = DECFILE_UNREADABLE; /* said to be unreadable */
	memset(it.d.pt, 0, sizeof(it.d.pt));
	verify_proof_one(ck, pk, eid, &it);
	assert_int_equal(it.outcome, VPROOF_OPENED);
	proof_item(12345, 0, pk, eid, &it);
	it.d.proof[40] ^= 1;
	verify_proof_one(ck, pk, eid, &it);
	assert_int_equal(it.outcome, VPROOF_BAD_PROOF);
	/* another key's S, with its own valid proof, does not prove this PK */
	proof_item(12345, 0, pk, eid, &it);
	scalar_from_u32(other, 777);
	assert_int_equal(group_mul(it.d.S, other, it.ct), 0);
	verify_proof_one(ck, pk, eid, &it);
	assert_int_equal(it.outcome, VPROOF_BAD_PROOF);
	/* unreadable, published as such: holds; published as read: not */
	proof_item(999, 1, pk, eid, &it);
	verify_proof_one(ck, pk, eid, &it);
	assert_int_equal(it.outcome, VPROOF_OK);
	it.d.status = DECFILE_READ;
	verify_proof_one(ck, pk, eid, &it);
	assert_int_equal(it.outcome, VPROOF_OPENED);
	/* no shuffled ciphertext to check it against: never a pass */
	proof_item(12345, 0, pk, eid, &it);
	it.has_ct = 0;
	verify_proof_one(ck, pk, eid, &it);
	assert_int_equal(it.outcome, VPROOF_NO_CT);
}

/* Each implementation of the checks this build has, the same answers. */
static void test_proof_one(void **state)
{
	unsigned n = 0;

	(void)state;
	for (int b = 0; b < CRYPTO_BACKENDS; b++)
		if (crypto_checks((enum crypto_backend)b)) {
			proof_one(crypto_checks((enum crypto_backend)b));
			n++;
		}
	assert_true(n >= 1);
}

/* ---- QR payloads as typed ------------------------------------------------ */

static void test_qr_normalize(void **state)
{
	char out[16];
	const char *in = "  sceau1:s:1:r:ab\r\n";

	(void)state;
	assert_int_equal(verify_qr_normalize(in, strlen(in), out, sizeof(out)), 0);
	assert_string_equal(out, "SCEAU1:S:1:R:AB");
	assert_int_equal(verify_qr_normalize("ABC", 3, out, 3), ERR_RANGE);
	assert_int_equal(verify_qr_normalize(" \t ", 3, out, 1), 0);
	assert_string_equal(out, "");
}

/* ---- Netpbm -------------------------------------------------------------- */

#define D(s) s, sizeof(s) - 1

static const struct {
	const char *title;
	const char *data;
	size_t len;          /* the literal's bytes, NULs included */
	int ok;
	uint8_t px0, px3;    /* first and last pixel when ok */
} pnm_rows[] = {
	{ "P1 2x2", D("P1\n# c\n2 2\n1 0\n0 1\n"), 1, 0, 0 },
	{ "P1 packed digits", D("P1 2 2 1001"), 1, 0, 0 },
	{ "P4 2x2", D("P4\n2 2\n\x80\x40"), 1, 0, 0 },
	{ "P5 2x2", D("P5 2 2 255\n\x00\x10\x20\xff"), 1, 0, 255 },
	{ "P5 16-bit", D("P5 2 1 65535\n\x00\x00\xff\xff"), 1, 0, 255 },
	{ "P2 maxval 4", D("P2 2 2 4\n0 1 2 4\n"), 1, 0, 255 },
	{ "P6 white and black", D("P6 2 1 255\n\xff\xff\xff\x00\x00\x00"), 1, 255, 0 },
	{ "P3 (plain colour) is not read", D("P3 1 1 255\n0 0 0\n"), 0, 0, 0 },
	{ "width 0", D("P5 0 2 255\n"), 0, 0, 0 },
	{ "too wide", D("P5 99999 2 255\n"), 0, 0, 0 },
	{ "maxval 0", D("P5 1 1 0\n\x00"), 0, 0, 0 },
	{ "sample above maxval", D("P5 1 1 10\n\x0b"), 0, 0, 0 },
	{ "raster cut short", D("P5 2 2 255\n\x00\x10\x20"), 0, 0, 0 },
	{ "bytes after the raster", D("P5 1 1 255\n\x00\x00"), 0, 0, 0 },
	{ "P1 with a 2", D("P1 2 1 12"), 0, 0, 0 },
	{ "no space before raster", D("P5 1 1 255\x00"), 0, 0, 0 },
	{ "not a number", D("P5 a 1 255\n\x00"), 0, 0, 0 },
};

static void test_pnm(void **state)
{
	(void)state;
	for (size_t i = 0; i < ROWS(pnm_rows); i++) {
		struct vgray g;
		int ret = verify_pnm_parse((const uint8_t *)pnm_rows[i].data, pnm_rows[i].len, &g);
		if ((ret == 0) != pnm_rows[i].ok)
			fail_msg("%s: %s (%d)", pnm_rows[i].title, ret ? "refused" : "accepted", ret);
		if (ret == 0 && (g.px[0] != pnm_rows[i].px0 ||
				 g.px[(size_t)g.w * g.h - 1] != pnm_rows[i].px3))
			fail_msg("%s: pixels %u %u", pnm_rows[i].title, g.px[0],
				 g.px[(size_t)g.w * g.h - 1]);
		verify_gray_free(&g);
	}
}

/* ---- sample -------------------------------------------------------------- */

static void test_sample_exact(void **state)
{
	uint64_t counts[50] = { 0 };

	(void)state;
	for (uint64_t seed = 1; seed <= 2000; seed++) {
		struct vsample s;
		unsigned chosen = 0;
		vsample_init(&s, 50, 7, seed);
		for (unsigned i = 0; i < 50; i++)
			if (vsample_take(&s)) {
				chosen++;
				counts[i]++;
			}
		assert_int_equal(chosen, 7);
	}
	/* Each ballot is in 7/50 of the samples: 280 of 2000, give or take. */
	for (unsigned i = 0; i < 50; i++)
		if (counts[i] < 200 || counts[i] > 360)
			fail_msg("ballot %u chosen %llu times of 2000", i, (unsigned long long)counts[i]);
}

static void test_sample_seeded(void **state)
{
	struct vsample a, b;

	(void)state;
	vsample_init(&a, 1000, 10, 42);
	vsample_init(&b, 1000, 10, 42);
	for (unsigned i = 0; i < 1000; i++)
		assert_int_equal(vsample_take(&a), vsample_take(&b));
	vsample_init(&a, 10, 0, 1);
	for (unsigned i = 0; i < 10; i++)
		assert_true(vsample_take(&a));
	assert_false(vsample_take(&a));
}

static void test_detect_prob(void **state)
{
	(void)state;
	/* k = 1: N / n exactly. */
	assert_true(fabsl(verify_detect_prob(1000, 100, 1) - 0.1L) < 1e-15L);
	/* n = 100, N = 10, k = 10: 1 - C(90,10)/C(100,10) = 0.66952...
	 * (C(90,10) = 5720645481903, C(100,10) = 17310309456440). */
	assert_true(fabsl(verify_detect_prob(100, 10, 10) -
			  (1.0L - 5720645481903.0L / 17310309456440.0L)) < 1e-15L);
	assert_true(verify_detect_prob(100, 91, 10) == 1.0L);
	assert_true(verify_detect_prob(100, 100, 1) == 1.0L);
	assert_true(verify_detect_prob(100, 10, 0) == 0.0L);
	/* A million ballots, 3000 sampled, 1 % forged: certain in practice. */
	assert_true(verify_detect_prob(1000000, 3000, 10000) > 0.999999999L);
}

/* ---- JSON comparison ----------------------------------------------------- */

static void test_jdiff(void **state)
{
	const char *a = "{\"format\": \"x\", \"scrutins\": [{\"n\": 1}, {\"n\": 2}, "
			"{\"lists\": [{\"seats\": {\"quotient\": 1, \"average\": 2}}]}]}";
	const char *b = "{\"format\": \"x\", \"scrutins\": [{\"n\": 1}, {\"n\": 2}, "
			"{\"lists\": [{\"seats\": {\"quotient\": 1, \"average\": 1}}]}]}";
	const char *c = "{\"scrutins\": [{\"n\": 1}, {\"n\": 2}, "
			"{\"lists\": [{\"seats\": {\"quotient\": 1, \"average\": 2}}]}], \"format\": \"x\"}";
	json_t *ja = json_loads(a, JSON_PRESERVE_ORDER, NULL), *jb = json_loads(b, 0, NULL),
	       *jc = json_loads(c, 0, NULL);
	struct vdiff d;

	(void)state;
	verify_jdiff(ja, ja, "", &d);
	assert_int_equal(d.n, 0);
	verify_jdiff(ja, jb, "", &d);
	assert_int_equal(d.n, 1);
	assert_string_equal(d.path, "scrutins[2].lists[0].seats.average");
	assert_string_equal(d.expected, "2");
	assert_string_equal(d.found, "1");
	verify_jdiff(ja, jc, "", &d);
	assert_int_equal(d.n, 1);
	assert_string_equal(d.path, "(document) (key order)");
	json_decref(ja);
	json_decref(jb);
	json_decref(jc);
}

/* ---- set of points ------------------------------------------------------- */

static void test_dupset(void **state)
{
	struct vdup *d = NULL;
	uint8_t p[65];
	int seen = 0;

	(void)state;
	assert_int_equal(vdup_new(4, &d), 0);
	for (unsigned k = 1; k <= 3000; k++) { /* grows well past 4 */
		point(k, p);
		assert_int_equal(vdup_insert(d, p, &seen), 0);
		assert_false(seen);
	}
	point(1234, p);
	assert_int_equal(vdup_insert(d, p, &seen), 0);
	assert_true(seen);
	/* -P has the same x: another point, not a duplicate. */
	p[64] ^= 1;
	assert_int_equal(vdup_insert(d, p, &seen), 0);
	assert_false(seen);
	vdup_free(d);
}

/* ---- the forms of a signature --------------------------------------------- */

/* A key and the two valid signatures (low s, high s) of digest. */
static void sig_pair(const uint8_t digest[32], uint8_t pub[65], uint8_t low[64],
		     uint8_t high[64])
{
	uint8_t priv[32];
	uint8_t s[32];

	memset(priv, 0x42, sizeof(priv));
	assert_int_equal(sig_public(priv, pub), 0);
	assert_int_equal(sig_sign(priv, digest, low), 0);
	assert_int_equal(sig_normalize(low), 0);
	/* high = (r, n - s): n - s = 0 - s mod n */
	memset(s, 0, sizeof(s));
	assert_int_equal(scalar_sub(s, s, low + 32), 0);
	memcpy(high, low, 32);
	memcpy(high + 32, s, 32);
	assert_false(sig_is_low_s(high));
	assert_int_equal(sig_verify(pub, digest, high), 0);
}

/* The platform's seal: ECDSA-SHA256 of manifest.json's bytes (SHA-256 once,
 * then ECDSA over that digest), either s, 128 lower-case hex digits and a
 * newline, nothing else. */
static void test_seal_forms(void **state)
{
	static const char man[] = "{\"format\": \"sceau-urn/2\"}\n";
	uint8_t pub[65], digest[32], low[64], high[64], twice[32];
	char text[130], bad[130];

	(void)state;
	assert_int_equal(hash_sha256(man, sizeof(man) - 1, digest), 0);
	sig_pair(digest, pub, low, high);
	manifest_sig_encode(low, text);
	assert_int_equal(manifest_check_sig((const uint8_t *)man, sizeof(man) - 1,
					    (const uint8_t *)text, 129, pub), 0);
	manifest_sig_encode(high, text);
	assert_int_equal(manifest_check_sig((const uint8_t *)man, sizeof(man) - 1,
					    (const uint8_t *)text, 129, pub), 0);
	for (size_t i = 0; i < 128; i++) /* one digit in upper case */
		if (text[i] >= 'a' && text[i] <= 'f') {
			memcpy(bad, text, sizeof(bad));
			bad[i] = (char)(bad[i] - 'a' + 'A');
			assert_int_equal(manifest_check_sig((const uint8_t *)man, sizeof(man) - 1,
							    (const uint8_t *)bad, 129, pub),
					 ERR_FORMAT);
			break;
		}
	memcpy(bad, text, sizeof(bad));
	bad[128] = '\r';
	assert_int_equal(manifest_check_sig((const uint8_t *)man, sizeof(man) - 1,
					    (const uint8_t *)bad, 129, pub), ERR_FORMAT);
	/* a signature over SHA-256(SHA-256(file)) is not the seal */
	assert_int_equal(hash_sha256(digest, 32, twice), 0);
	sig_pair(twice, pub, low, high);
	manifest_sig_encode(low, text);
	assert_int_equal(manifest_check_sig((const uint8_t *)man, sizeof(man) - 1,
					    (const uint8_t *)text, 129, pub), ERR_VERIFY);
}

/* The cards' signatures: the low-s form only, lower-case hex only. */
static void test_card_sig_forms(void **state)
{
	static struct record rec;
	struct signing_set set, back;
	uint8_t low[64], high[64];
	char *json = NULL;
	size_t len = 0;

	(void)state;
	memset(&rec, 0, sizeof(rec));
	memset(&set, 0, sizeof(set));
	rec.pub.m = 1;
	snprintf(set.subject, sizeof(set.subject), "results");
	assert_int_equal(signing_digest("results", (const uint8_t *)"x", 1, set.digest), 0);
	sig_pair(set.digest, rec.cards[0].sign_pub, low, high);
	set.n = 1;
	set.sigs[0].card = 1;
	memcpy(set.sigs[0].sig, low, 64);
	assert_int_equal(signing_check(&set, &rec), 0);
	memcpy(set.sigs[0].sig, high, 64);
	assert_int_equal(signing_check(&set, &rec), ERR_VERIFY);
	assert_non_null(strstr(err_last_detail(), "not in its low-s form"));
	memcpy(set.sigs[0].sig, low, 64);
	assert_int_equal(signing_write(&set, &json, &len), 0);
	assert_int_equal(signing_parse((const uint8_t *)json, len, &back), 0);
	for (char *p = strstr(json, "\"signature\": \"") + 14; *p != '"'; p++)
		if (*p >= 'a' && *p <= 'f') {
			*p = (char)(*p - 'a' + 'A');
			break;
		}
	assert_int_equal(signing_parse((const uint8_t *)json, len, &back), ERR_FORMAT);
	free(json);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_proof_one),	  cmocka_unit_test(test_qr_normalize),
		cmocka_unit_test(test_pnm),		  cmocka_unit_test(test_sample_exact),
		cmocka_unit_test(test_sample_seeded),	  cmocka_unit_test(test_detect_prob),
		cmocka_unit_test(test_jdiff),		  cmocka_unit_test(test_dupset),
		cmocka_unit_test(test_seal_forms),	  cmocka_unit_test(test_card_sig_forms),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
