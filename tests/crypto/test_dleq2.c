/*
 * crypto/dleq, v2: the proof of each decryption of the shuffled list
 * (docs/CRYPTO-V2-NOTES.md, section 6). The known answers are in
 * tests/data/v2-vectors.json (test_v2_vectors); here, the properties: a
 * proof holds, a re-run gives the same bytes, and it fails for any change
 * of anything it is about. Every check runs on every implementation of
 * crypto/checks.h (agree.h), which must answer alike, plaintext included.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/err.h"
#include "crypto/ballot.h"
#include "crypto/dleq.h"
#include "crypto/rng.h"
#include "agree.h"
#include "testutil.h"

#define HEX_N "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551"
#define HEX_G "046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296" \
	"4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5"

struct fx {
	struct rng *rng;
	uint8_t s[32], pk[GROUP_POINT_LEN], eid[32], rec[BALLOT2_RECORD_LEN];
	uint8_t S[GROUP_POINT_LEN], G[GROUP_POINT_LEN], proof[DLEQ_PROOF_LEN];
	struct dleq2_statement st;
};

static int fx_setup(void **state)
{
	static const uint8_t pt[4] = { 1, 0, 3, 0 };
	struct fx *f = calloc(1, sizeof(*f));
	uint8_t out[4];

	if (f == NULL || rng_new(&f->rng, "sceau/test/dleq2", NULL) != 0 ||
	    scalar_random(f->rng, f->s) != 0 || group_mul_base(f->pk, f->s) != 0 ||
	    rng_bytes(f->rng, f->eid, 32) != 0 ||
	    ballot2_encrypt(f->rng, f->pk, f->eid, 3, pt, 4, f->rec) != 0 ||
	    ballot2_open(f->s, f->rec + BALLOT2_OFF_A, f->rec + BALLOT2_OFF_B, 4, f->S, out) != 0 ||
	    hex_decode(HEX_G, f->G, sizeof(f->G)) != 0)
		return -1;
	f->st = (struct dleq2_statement){ f->pk, f->eid, 3, f->rec + BALLOT2_OFF_A,
					  f->rec + BALLOT2_OFF_B, f->S };
	if (dleq2_prove(f->s, &f->st, f->proof) != 0)
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

static void proof_holds_and_is_deterministic(void **state)
{
	struct fx *f = *state;
	uint8_t again[DLEQ_PROOF_LEN];
	struct dleq2_statement st = f->st;

	assert_int_equal(agree_dleq_verify(&f->st, f->proof), 0);
	assert_int_equal(dleq2_prove(f->s, &f->st, again), 0);
	assert_memory_equal(again, f->proof, sizeof(again));
	/* the nonce depends on the ciphertext: another scrutin, another proof */
	st.scrutin_id = 4;
	assert_int_equal(dleq2_prove(f->s, &st, again), 0);
	assert_memory_not_equal(again, f->proof, sizeof(again));
	assert_int_equal(agree_dleq_verify(&st, again), 0);
}

/* Each point of the statement replaced by another valid point: P + G. */
static void any_changed_point_fails(void **state)
{
	struct fx *f = *state;
	uint8_t P[GROUP_POINT_LEN];
	int which;

	for (which = 0; which < 4; which++) {
		struct dleq2_statement st = f->st;
		const uint8_t **pp = which == 0 ? &st.pk : which == 1 ? &st.A :
				     which == 2 ? &st.B : &st.S;

		assert_int_equal(group_add(P, *pp, f->G), 0);
		*pp = P;
		if (agree_dleq_verify(&st, f->proof) != ERR_VERIFY)
			fail_msg("point %d of the statement changed: accepted", which);
	}
}

/* The scrutin (every bit) and the election id (every byte). */
static void other_scrutin_or_election_fails(void **state)
{
	struct fx *f = *state;
	struct dleq2_statement st = f->st;
	uint8_t eid[32];
	int i;

	for (i = 0; i < 16; i++) {
		st.scrutin_id = (uint16_t)(f->st.scrutin_id ^ (1u << i));
		if (agree_dleq_verify(&st, f->proof) != ERR_VERIFY)
			fail_msg("scrutin id bit %d flipped: accepted", i);
	}
	st.scrutin_id = f->st.scrutin_id;
	st.election_id = eid;
	for (i = 0; i < 32; i++) {
		memcpy(eid, f->eid, 32);
		eid[i] ^= 0x01;
		if (agree_dleq_verify(&st, f->proof) != ERR_VERIFY)
			fail_msg("election id byte %d changed: accepted", i);
	}
}

/* Every bit of c and z, and every byte of each point (off the curve). */
static void every_flipped_bit_refused(void **state)
{
	struct fx *f = *state;
	uint8_t proof[DLEQ_PROOF_LEN], P[GROUP_POINT_LEN];
	size_t i;
	int bit, ret, which;

	for (i = 0; i < DLEQ_PROOF_LEN * 8; i++) {
		memcpy(proof, f->proof, sizeof(proof));
		proof[i / 8] ^= (uint8_t)(1 << (i % 8));
		ret = agree_dleq_verify(&f->st, proof);
		if (ret != ERR_VERIFY && ret != ERR_FORMAT)
			fail_msg("proof bit %zu flipped: dleq2_verify returned %d", i, ret);
	}
	for (which = 0; which < 4; which++) {
		for (i = 0; i < GROUP_POINT_LEN; i++) {
			struct dleq2_statement st = f->st;
			const uint8_t **pp = which == 0 ? &st.pk : which == 1 ? &st.A :
					     which == 2 ? &st.B : &st.S;

			bit = (int)(i % 8);
			memcpy(P, *pp, sizeof(P));
			P[i] ^= (uint8_t)(1 << bit);
			*pp = P;
			if (agree_dleq_verify(&st, f->proof) != ERR_FORMAT)
				fail_msg("point %d, byte %zu changed: not malformed", which, i);
		}
	}
}

static void malformed_and_refused(void **state)
{
	struct fx *f = *state;
	uint8_t proof[DLEQ_PROOF_LEN], zero[32] = { 0 };

	memcpy(proof, f->proof, sizeof(proof));
	th_unhex(HEX_N, proof, 32);
	assert_int_equal(agree_dleq_verify(&f->st, proof), ERR_FORMAT); /* c = n */
	memcpy(proof, f->proof, sizeof(proof));
	memset(proof + 32, 0xff, 32);
	assert_int_equal(agree_dleq_verify(&f->st, proof), ERR_FORMAT); /* z > n */
	memset(proof, 0, sizeof(proof));
	assert_int_equal(agree_dleq_verify(&f->st, proof), ERR_VERIFY); /* K1' = K2' = infinity */
	assert_int_equal(dleq2_prove(zero, &f->st, proof), ERR_RANGE);
	th_unhex(HEX_N, zero, 32);
	assert_int_equal(dleq2_prove(zero, &f->st, proof), ERR_RANGE);
}

/* A proof made with a wrong S (not sA), or by another key, does not hold. */
static void wrong_decryption_fails(void **state)
{
	struct fx *f = *state;
	uint8_t s2[32], S2[GROUP_POINT_LEN], proof[DLEQ_PROOF_LEN];
	struct dleq2_statement st = f->st;

	assert_int_equal(group_add(S2, f->S, f->G), 0);
	st.S = S2;
	assert_int_equal(dleq2_prove(f->s, &st, proof), 0);
	assert_int_equal(agree_dleq_verify(&st, proof), ERR_VERIFY);
	assert_int_equal(scalar_random(f->rng, s2), 0);
	assert_int_equal(group_mul(S2, s2, f->st.A), 0);
	assert_int_equal(dleq2_prove(s2, &st, proof), 0);
	assert_int_equal(agree_dleq_verify(&st, proof), ERR_VERIFY);
}

/* Many ballots: every decryption proven and verified. */
static void many_roundtrips(void **state)
{
	struct fx *f = *state;
	uint8_t rec[BALLOT2_RECORD_LEN], pt[PTENC_PT_MAX], back[PTENC_PT_MAX], S[GROUP_POINT_LEN];
	uint8_t proof[DLEQ_PROOF_LEN];
	struct dleq2_statement st = f->st;
	int i;

	for (i = 0; i < 40; i++) {
		assert_int_equal(rng_bytes(f->rng, pt, 19), 0);
		st.scrutin_id = (uint16_t)i;
		assert_int_equal(ballot2_encrypt(f->rng, f->pk, f->eid, st.scrutin_id, pt, 19, rec), 0);
		st.A = rec + BALLOT2_OFF_A;
		st.B = rec + BALLOT2_OFF_B;
		st.S = S;
		assert_int_equal(ballot2_open(f->s, st.A, st.B, 19, S, back), 0);
		assert_memory_equal(back, pt, 19);
		assert_int_equal(dleq2_prove(f->s, &st, proof), 0);
		assert_int_equal(agree_dleq_verify(&st, proof), 0);
		memset(back, 0, sizeof(back)); /* what a verifier opens with S alone */
		assert_int_equal(agree_open_point(S, st.B, 19, back), 0);
		assert_memory_equal(back, pt, 19);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(proof_holds_and_is_deterministic),
		cmocka_unit_test(any_changed_point_fails),
		cmocka_unit_test(other_scrutin_or_election_fails),
		cmocka_unit_test(every_flipped_bit_refused),
		cmocka_unit_test(malformed_and_refused),
		cmocka_unit_test(wrong_decryption_fails),
		cmocka_unit_test(many_roundtrips),
	};

	return cmocka_run_group_tests(tests, fx_setup, fx_teardown);
}
