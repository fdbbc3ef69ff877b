/*
 * crypto/ballot, v2: the ElGamal ballot and its proof of knowledge
 * (docs/CRYPTO-V2-NOTES.md, section 2). The known answers are in
 * tests/data/v2-vectors.json (test_v2_vectors); here, the properties: a
 * ballot opens to its plaintext; its proof fails for a re-randomised copy,
 * under another scrutin or election, and for any changed byte; malformed
 * records are told apart from failed proofs. Every check runs on every
 * implementation of crypto/checks.h (agree.h), which must answer alike.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/err.h"
#include "crypto/ballot.h"
#include "crypto/hash.h"
#include "crypto/rng.h"
#include "agree.h"
#include "testutil.h"

#define HEX_N "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551"

struct fx {
	struct rng *rng;
	uint8_t s[32], pk[GROUP_POINT_LEN], eid[32], pt[4];
	uint8_t rec[BALLOT2_RECORD_LEN];
};

static int fx_setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	static const uint8_t pt[4] = { 1, 0, 2, 5 };

	if (f == NULL || rng_new(&f->rng, "sceau/test/ballot2", NULL) != 0 ||
	    scalar_random(f->rng, f->s) != 0 || group_mul_base(f->pk, f->s) != 0 ||
	    rng_bytes(f->rng, f->eid, 32) != 0)
		return -1;
	memcpy(f->pt, pt, 4);
	if (ballot2_encrypt(f->rng, f->pk, f->eid, 1, f->pt, 4, f->rec) != 0)
		return -1;
	*state = f;
	return 0;
}

static int fx_teardown(void **state)
{
	struct fx *f = *state;

	rng_free(f->rng);
	free(f);
	return 0;
}

static void encrypt_check_open(void **state)
{
	static const uint16_t sids[] = { 0, 1, 2, 0x0102, 0xffff };
	struct fx *f = *state;
	uint8_t pt[PTENC_PT_MAX], back[PTENC_PT_MAX], rec[BALLOT2_RECORD_LEN], S[GROUP_POINT_LEN];
	size_t len, i;

	for (len = 1; len <= PTENC_PT_MAX; len++) {
		i = len % TH_ROWS(sids);
		assert_int_equal(rng_bytes(f->rng, pt, len), 0);
		assert_int_equal(ballot2_encrypt(f->rng, f->pk, f->eid, sids[i], pt, len, rec), 0);
		assert_int_equal(ballot2_scrutin(rec), sids[i]);
		assert_int_equal(agree_ballot_check(f->eid, rec, sizeof(rec)), 0);
		assert_int_equal(ballot2_open(f->s, rec + BALLOT2_OFF_A, rec + BALLOT2_OFF_B, len, S,
					      back), 0);
		assert_memory_equal(back, pt, len);
		memset(back, 0, sizeof(back));
		assert_int_equal(agree_open_point(S, rec + BALLOT2_OFF_B, len, back), 0);
		assert_memory_equal(back, pt, len);
	}
}

/* A fresh r and k each time: the same vote gives unrelated records. */
static void fresh_randomness(void **state)
{
	struct fx *f = *state;
	uint8_t rec[BALLOT2_RECORD_LEN], t1[32], t2[32];

	assert_int_equal(ballot2_encrypt(f->rng, f->pk, f->eid, 1, f->pt, 4, rec), 0);
	assert_memory_not_equal(rec + BALLOT2_OFF_A, f->rec + BALLOT2_OFF_A, GROUP_POINT_LEN);
	assert_memory_not_equal(rec + BALLOT2_OFF_B, f->rec + BALLOT2_OFF_B, GROUP_POINT_LEN);
	assert_memory_not_equal(rec + BALLOT2_OFF_C, f->rec + BALLOT2_OFF_C, 64);
	assert_int_equal(ballot2_tracker(rec, t1), 0);
	assert_int_equal(ballot2_tracker(f->rec, t2), 0);
	assert_memory_not_equal(t1, t2, 32);
}

/* The tracker is H("sceau/tracker/v2"; record), the record as one part. */
static void tracker_definition(void **state)
{
	struct fx *f = *state;
	const struct hash_part part = { f->rec, BALLOT2_RECORD_LEN };
	uint8_t t[32], want[32];

	assert_int_equal(ballot2_tracker(f->rec, t), 0);
	assert_int_equal(hash_tagged("sceau/tracker/v2", &part, 1, want), 0);
	assert_memory_equal(t, want, 32);
}

/* A + r''G, B + r''PK with the same c and z: a valid ciphertext of the same
 * vote, but the proof (bound to A and B) no longer holds. */
static void rerandomised_copy_fails(void **state)
{
	struct fx *f = *state;
	uint8_t rec[BALLOT2_RECORD_LEN], r2[32], P[GROUP_POINT_LEN], pt[4], S[GROUP_POINT_LEN];
	int i;

	for (i = 0; i < 8; i++) {
		memcpy(rec, f->rec, sizeof(rec));
		assert_int_equal(scalar_random(f->rng, r2), 0);
		assert_int_equal(group_mul_base(P, r2), 0);
		assert_int_equal(group_add(rec + BALLOT2_OFF_A, rec + BALLOT2_OFF_A, P), 0);
		assert_int_equal(group_mul(P, r2, f->pk), 0);
		assert_int_equal(group_add(rec + BALLOT2_OFF_B, rec + BALLOT2_OFF_B, P), 0);
		assert_int_equal(ballot2_open(f->s, rec + BALLOT2_OFF_A, rec + BALLOT2_OFF_B, 4, S,
					      pt), 0);
		assert_memory_equal(pt, f->pt, 4); /* still the same vote */
		assert_int_equal(agree_ballot_check(f->eid, rec, sizeof(rec)), ERR_VERIFY);
	}
}

/* Bound to the scrutin (every other id differing in one bit) and to the
 * election (every byte of the id changed). */
static void other_scrutin_or_election_fails(void **state)
{
	struct fx *f = *state;
	uint8_t rec[BALLOT2_RECORD_LEN], eid[32];
	int bit, i;

	for (bit = 0; bit < 16; bit++) {
		memcpy(rec, f->rec, sizeof(rec));
		rec[1 - bit / 8] ^= (uint8_t)(1 << (bit % 8));
		if (agree_ballot_check(f->eid, rec, sizeof(rec)) != ERR_VERIFY)
			fail_msg("scrutin id with bit %d flipped: accepted", bit);
	}
	for (i = 0; i < 32; i++) {
		memcpy(eid, f->eid, 32);
		eid[i] ^= 0x80;
		if (agree_ballot_check(eid, f->rec, sizeof(f->rec)) != ERR_VERIFY)
			fail_msg("election id with byte %d changed: accepted", i);
	}
}

/* Every single-bit change of every byte of the record is refused: a failed
 * proof, or a malformed record (a point off the curve, a scalar >= n). */
static void every_flipped_bit_refused(void **state)
{
	struct fx *f = *state;
	uint8_t rec[BALLOT2_RECORD_LEN];
	size_t i;
	int bit, ret;

	for (i = 0; i < sizeof(rec); i++) {
		for (bit = 0; bit < 8; bit++) {
			memcpy(rec, f->rec, sizeof(rec));
			rec[i] ^= (uint8_t)(1 << bit);
			ret = agree_ballot_check(f->eid, rec, sizeof(rec));
			if (ret != ERR_VERIFY && ret != ERR_FORMAT)
				fail_msg("byte %zu bit %d flipped: ballot2_check returned %d", i, bit,
					 ret);
			/* a changed prefix or coordinate is never a valid point here */
			if (i >= BALLOT2_OFF_A && i < BALLOT2_OFF_C && ret != ERR_FORMAT)
				fail_msg("byte %zu bit %d flipped: a point accepted", i, bit);
		}
	}
}

static void malformed_records(void **state)
{
	struct fx *f = *state;
	uint8_t rec[BALLOT2_RECORD_LEN + 1];

	memcpy(rec, f->rec, BALLOT2_RECORD_LEN);
	rec[BALLOT2_RECORD_LEN] = 0;
	assert_int_equal(agree_ballot_check(f->eid, rec, 0), ERR_FORMAT);
	assert_int_equal(agree_ballot_check(f->eid, rec, BALLOT2_RECORD_LEN - 1), ERR_FORMAT);
	assert_int_equal(agree_ballot_check(f->eid, rec, BALLOT2_RECORD_LEN + 1), ERR_FORMAT);
	th_unhex(HEX_N, rec + BALLOT2_OFF_C, 32);
	assert_int_equal(agree_ballot_check(f->eid, rec, BALLOT2_RECORD_LEN), ERR_FORMAT); /* c = n */
	memcpy(rec, f->rec, BALLOT2_RECORD_LEN);
	th_unhex(HEX_N, rec + BALLOT2_OFF_Z, 32);
	assert_int_equal(agree_ballot_check(f->eid, rec, BALLOT2_RECORD_LEN), ERR_FORMAT); /* z = n */
	memcpy(rec, f->rec, BALLOT2_RECORD_LEN);
	memset(rec + BALLOT2_OFF_B, 0, GROUP_POINT_LEN);
	assert_int_equal(agree_ballot_check(f->eid, rec, BALLOT2_RECORD_LEN), ERR_FORMAT);
	/* c = z = 0 is well formed, and T' = 0G - 0A is infinity: a failed proof */
	memcpy(rec, f->rec, BALLOT2_RECORD_LEN);
	memset(rec + BALLOT2_OFF_C, 0, 64);
	assert_int_equal(agree_ballot_check(f->eid, rec, BALLOT2_RECORD_LEN), ERR_VERIFY);
}

static void encrypt_refusals(void **state)
{
	struct fx *f = *state;
	uint8_t r[32], k[32], zero[32] = { 0 }, n[32], pk[GROUP_POINT_LEN];
	uint8_t rec[BALLOT2_RECORD_LEN], rec2[BALLOT2_RECORD_LEN], pt[PTENC_PT_MAX + 1] = { 1 };

	scalar_from_u32(r, 5);
	scalar_from_u32(k, 7);
	th_unhex(HEX_N, n, 32);
	assert_int_equal(ballot2_encrypt_fixed(zero, k, f->pk, f->eid, 1, pt, 4, rec), ERR_RANGE);
	assert_int_equal(ballot2_encrypt_fixed(n, k, f->pk, f->eid, 1, pt, 4, rec), ERR_RANGE);
	assert_int_equal(ballot2_encrypt_fixed(r, zero, f->pk, f->eid, 1, pt, 4, rec), ERR_RANGE);
	assert_int_equal(ballot2_encrypt_fixed(r, n, f->pk, f->eid, 1, pt, 4, rec), ERR_RANGE);
	assert_int_equal(ballot2_encrypt_fixed(r, k, f->pk, f->eid, 1, pt, 0, rec), ERR_RANGE);
	assert_int_equal(ballot2_encrypt_fixed(r, k, f->pk, f->eid, 1, pt, PTENC_PT_MAX + 1, rec),
			 ERR_RANGE);
	memcpy(pk, f->pk, sizeof(pk));
	pk[64] ^= 1;
	assert_int_equal(ballot2_encrypt_fixed(r, k, pk, f->eid, 1, pt, 4, rec), ERR_FORMAT);
	assert_int_equal(ballot2_encrypt(f->rng, pk, f->eid, 1, pt, 4, rec), ERR_FORMAT);
	/* the fixed variant is deterministic */
	assert_int_equal(ballot2_encrypt_fixed(r, k, f->pk, f->eid, 1, pt, 4, rec), 0);
	assert_int_equal(ballot2_encrypt_fixed(r, k, f->pk, f->eid, 1, pt, 4, rec2), 0);
	assert_memory_equal(rec, rec2, sizeof(rec));
}

/* Decryption: the wrong key, a B that encodes nothing, B = S (M at infinity). */
static void open_unreadable(void **state)
{
	struct fx *f = *state;
	uint8_t s2[32], S[GROUP_POINT_LEN], pt[4], B[GROUP_POINT_LEN];
	const uint8_t *A = f->rec + BALLOT2_OFF_A;

	assert_int_equal(scalar_random(f->rng, s2), 0);
	memset(pt, 0xaa, sizeof(pt));
	assert_int_equal(ballot2_open(s2, A, f->rec + BALLOT2_OFF_B, 4, S, pt), ERR_VERIFY);
	assert_int_equal(pt[0] | pt[1] | pt[2] | pt[3], 0);
	assert_int_equal(group_point_check(S), 0); /* S is given out, to be proven */
	assert_int_equal(group_mul(B, f->s, A), 0);
	assert_int_equal(ballot2_open(f->s, A, B, 4, S, pt), ERR_VERIFY);
	assert_int_equal(agree_open_point(S, B, 4, pt), ERR_VERIFY);
	assert_int_equal(ballot2_open(f->s, A, f->rec + BALLOT2_OFF_B, 0, S, pt), ERR_RANGE);
	B[64] ^= 1;
	assert_int_equal(ballot2_open(f->s, A, B, 4, S, pt), ERR_FORMAT);
	assert_int_equal(ballot2_open(f->s, B, A, 4, S, pt), ERR_FORMAT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(encrypt_check_open),
		cmocka_unit_test(fresh_randomness),
		cmocka_unit_test(tracker_definition),
		cmocka_unit_test(rerandomised_copy_fails),
		cmocka_unit_test(other_scrutin_or_election_fails),
		cmocka_unit_test(every_flipped_bit_refused),
		cmocka_unit_test(malformed_records),
		cmocka_unit_test(encrypt_refusals),
		cmocka_unit_test(open_unreadable),
	};

	return cmocka_run_group_tests(tests, fx_setup, fx_teardown);
}
