/*
 * crypto/ballot: the ECIES of docs/FORMATS.md "Ballot encryption (v1)",
 * byte-compatible with WebCrypto.
 * The fixed ballot was sealed by tests/crypto/gen-vectors.mjs with Node's
 * crypto.subtle (importKey jwk, ECDH deriveBits 256, HKDF SHA-256 with
 * salt = election_id and info = "sceau/ballot/v1" || scrutin_id || R,
 * AES-GCM with aad = "sceau/ballot/v1" || election_id || scrutin_id), the
 * way the voting platform seals every ballot.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/err.h"
#include "crypto/ballot.h"
#include "crypto/rng.h"
#include "testutil.h"

#define WC_SECRET "33a6fa1422683631c3446c2f76a680c3e20615039de71ef500c600d2902181bd"
#define WC_PK "04e2cc62c6c196c76a98fbf3cffdffed9e4c1c3d6dbd064f0b60f89292ff9ee64c" \
	"560a9a3365e63ca38074b62af28f7cabec8aac59a732d786db19fe931f59b72c"
#define WC_EID "ff541029785fed0a4cd69a0718eac702b3e4aaeec223c0afe2fdb99f424669a5"
#define WC_SID 0x0102
#define WC_PT "0103050000000000000000000000000000000000000000000000000000000000"
#define WC_R "04f9e91a7a84e8e03f9f57f52a17878ce2186565eaac5f663ab5e9d58cfbdbb9cc" \
	"ae976e51b5e9ed84033e4d530770d568cf40deccacd8d0821b8903df33d55173"
#define WC_S "044c0ae8d2bfa52b7af0c485ccc8d1095f6fc9db046c8f52000df1222759a7e294" \
	"4f8a17edd07c0f7ad1db8cf120c2ba3295553bb32dceecdeb265593456e85f66"
#define WC_CT "4a6d7dac51b9244ff51c63f2210fef6116e7d8b63ce5f1641ffbc2ec2acba0e4" \
	"549cd94dad93fb7ba26ffdb9f985197d"

struct wc {
	uint8_t secret[32], pk[GROUP_POINT_LEN], eid[32], pt[32], R[GROUP_POINT_LEN];
	uint8_t S[GROUP_POINT_LEN], ct[48], out[48];
};

static struct wc wc_load(void)
{
	struct wc w;

	th_unhex(WC_SECRET, w.secret, 32);
	th_unhex(WC_PK, w.pk, sizeof(w.pk));
	th_unhex(WC_EID, w.eid, 32);
	th_unhex(WC_PT, w.pt, 32);
	th_unhex(WC_R, w.R, sizeof(w.R));
	th_unhex(WC_S, w.S, sizeof(w.S));
	th_unhex(WC_CT, w.ct, sizeof(w.ct));
	return w;
}

static void webcrypto_ballot_opens(void **state)
{
	struct wc w = wc_load();
	uint8_t S[GROUP_POINT_LEN];

	(void)state;
	assert_int_equal(ballot_open(w.secret, w.eid, WC_SID, w.R, w.ct, 48, w.out, S), 0);
	th_expect_hex("WebCrypto ballot, opened with the key", w.out, 32, WC_PT);
	th_expect_hex("S = sR (BigInt)", S, sizeof(S), WC_S);
	memset(w.out, 0, sizeof(w.out));
	assert_int_equal(ballot_open_point(w.S, w.eid, WC_SID, w.R, w.ct, 48, w.out), 0);
	th_expect_hex("WebCrypto ballot, opened with S alone", w.out, 32, WC_PT);
	assert_int_equal(ballot_open(w.secret, w.eid, WC_SID, w.R, w.ct, 48, w.out, NULL), 0);
}

/* Each row changes one thing the ballot is bound to: ERR_VERIFY, no plaintext. */
static void webcrypto_ballot_refused(void **state)
{
	static const struct {
		const char *title;
		uint16_t sid;
		int eid_byte, ct_byte, key_bit;
	} rows[] = {
		{ "another scrutin id (0x0103)", 0x0103, -1, -1, 0 },
		{ "scrutin id byte-swapped (0x0201)", 0x0201, -1, -1, 0 },
		{ "another election id (last byte flipped)", WC_SID, 31, -1, 0 },
		{ "another election id (first byte flipped)", WC_SID, 0, -1, 0 },
		{ "first ciphertext byte flipped", WC_SID, -1, 0, 0 },
		{ "last ciphertext byte before the tag flipped", WC_SID, -1, 31, 0 },
		{ "first tag byte flipped", WC_SID, -1, 32, 0 },
		{ "last tag byte flipped", WC_SID, -1, 47, 0 },
		{ "another secret key (s + 1)", WC_SID, -1, -1, 1 },
	};
	struct wc w;
	size_t i, k;
	int ret;

	(void)state;
	for (i = 0; i < TH_ROWS(rows); i++) {
		w = wc_load();
		if (rows[i].eid_byte >= 0)
			w.eid[rows[i].eid_byte] ^= 0x01;
		if (rows[i].ct_byte >= 0)
			w.ct[rows[i].ct_byte] ^= 0x01;
		w.secret[31] = (uint8_t)(w.secret[31] + rows[i].key_bit);
		memset(w.out, 0x77, sizeof(w.out));
		ret = ballot_open(w.secret, w.eid, rows[i].sid, w.R, w.ct, 48, w.out, NULL);
		if (ret != ERR_VERIFY)
			fail_msg("%s: ballot_open returned %d", rows[i].title, ret);
		for (k = 0; k < 32; k++)
			if (w.out[k] != 0)
				fail_msg("%s: plaintext left in the buffer", rows[i].title);
		if (!rows[i].key_bit &&
		    ballot_open_point(w.S, w.eid, rows[i].sid, w.R, w.ct, 48, w.out) != ERR_VERIFY)
			fail_msg("%s: ballot_open_point accepted", rows[i].title);
	}
}

static void malformed_ballots(void **state)
{
	struct wc w = wc_load();
	uint8_t badR[GROUP_POINT_LEN], zero[32] = { 0 };

	(void)state;
	/* shorter than the tag */
	assert_int_equal(ballot_open(w.secret, w.eid, WC_SID, w.R, w.ct, 15, w.out, NULL),
			 ERR_FORMAT);
	assert_int_equal(ballot_open_point(w.S, w.eid, WC_SID, w.R, w.ct, 0, w.out), ERR_FORMAT);
	/* truncated but still >= 16 bytes: the tag cannot verify */
	assert_int_equal(ballot_open(w.secret, w.eid, WC_SID, w.R, w.ct, 47, w.out, NULL),
			 ERR_VERIFY);
	assert_int_equal(ballot_open(w.secret, w.eid, WC_SID, w.R, w.ct, 16, w.out, NULL),
			 ERR_VERIFY);
	/* longer than any scrutin's plaintext */
	assert_int_equal(ballot_open_point(w.S, w.eid, WC_SID, w.R, w.ct,
					   BALLOT_PT_MAX + BALLOT_TAG_LEN + 1, w.out), ERR_FORMAT);
	/* R or S not on the curve */
	memcpy(badR, w.R, sizeof(badR));
	badR[64] ^= 1;
	assert_int_equal(ballot_open(w.secret, w.eid, WC_SID, badR, w.ct, 48, w.out, NULL),
			 ERR_FORMAT);
	assert_int_equal(ballot_open_point(w.S, w.eid, WC_SID, badR, w.ct, 48, w.out), ERR_FORMAT);
	assert_int_equal(ballot_open_point(badR, w.eid, WC_SID, w.R, w.ct, 48, w.out), ERR_FORMAT);
	badR[0] = 0x00;
	assert_int_equal(ballot_open_point(badR, w.eid, WC_SID, w.R, w.ct, 48, w.out), ERR_FORMAT);
	/* a secret that is no scalar */
	assert_int_equal(ballot_open(zero, w.eid, WC_SID, w.R, w.ct, 48, w.out, NULL), ERR_RANGE);
}

static void seal_open_roundtrip(void **state)
{
	struct wc w = wc_load();
	struct rng *r;
	uint8_t pt[BALLOT_PT_MAX], out[BALLOT_PT_MAX], ct[BALLOT_PT_MAX + BALLOT_TAG_LEN];
	uint8_t R[GROUP_POINT_LEN], R2[GROUP_POINT_LEN], ct2[sizeof(ct)], S[GROUP_POINT_LEN];
	size_t len, i;
	static const size_t lens[] = { 0, 1, 32, 100, BALLOT_PT_MAX };

	(void)state;
	assert_int_equal(rng_new(&r, "sceau/test/v1", NULL), 0);
	for (i = 0; i < sizeof(pt); i++)
		pt[i] = (uint8_t)(i * 7 + 1);
	for (i = 0; i < TH_ROWS(lens); i++) {
		len = lens[i];
		assert_int_equal(ballot_seal(r, w.pk, w.eid, 7, pt, len, R, ct), 0);
		assert_int_equal(ballot_open(w.secret, w.eid, 7, R, ct, len + BALLOT_TAG_LEN, out, S), 0);
		assert_memory_equal(out, pt, len);
		assert_int_equal(ballot_open_point(S, w.eid, 7, R, ct, len + BALLOT_TAG_LEN, out), 0);
		assert_int_equal(ballot_open(w.secret, w.eid, 8, R, ct, len + BALLOT_TAG_LEN, out, NULL),
				 ERR_VERIFY);
	}
	/* a fresh ephemeral key every time: same plaintext, different ballots */
	assert_int_equal(ballot_seal(r, w.pk, w.eid, 7, pt, 32, R, ct), 0);
	assert_int_equal(ballot_seal(r, w.pk, w.eid, 7, pt, 32, R2, ct2), 0);
	assert_memory_not_equal(R, R2, sizeof(R));
	assert_memory_not_equal(ct, ct2, 32);
	/* refused: plaintext too long, key not a point */
	assert_int_equal(ballot_seal(r, w.pk, w.eid, 7, pt, BALLOT_PT_MAX + 1, R, ct), ERR_RANGE);
	w.pk[0] = 0x02;
	assert_int_equal(ballot_seal(r, w.pk, w.eid, 7, pt, 32, R, ct), ERR_FORMAT);
	rng_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(webcrypto_ballot_opens),
		cmocka_unit_test(webcrypto_ballot_refused),
		cmocka_unit_test(malformed_ballots),
		cmocka_unit_test(seal_open_roundtrip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
