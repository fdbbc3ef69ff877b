/*
 * crypto/dleq: Chaum-Pedersen proofs of decryption. The known proof was
 * computed by tests/crypto/gen-vectors.mjs with BigInt point arithmetic
 * (A1 cross-checked with OpenSSL), Node's HMAC and SHA-256, following the
 * definition in dleq.h.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/err.h"
#include "crypto/dleq.h"
#include "crypto/rng.h"
#include "testutil.h"

#define WC_SECRET "33a6fa1422683631c3446c2f76a680c3e20615039de71ef500c600d2902181bd"
#define WC_PK "04e2cc62c6c196c76a98fbf3cffdffed9e4c1c3d6dbd064f0b60f89292ff9ee64c" \
	"560a9a3365e63ca38074b62af28f7cabec8aac59a732d786db19fe931f59b72c"
#define WC_R "04f9e91a7a84e8e03f9f57f52a17878ce2186565eaac5f663ab5e9d58cfbdbb9cc" \
	"ae976e51b5e9ed84033e4d530770d568cf40deccacd8d0821b8903df33d55173"
#define WC_S "044c0ae8d2bfa52b7af0c485ccc8d1095f6fc9db046c8f52000df1222759a7e294" \
	"4f8a17edd07c0f7ad1db8cf120c2ba3295553bb32dceecdeb265593456e85f66"
#define WC_BIND "62b8f2c3b4e11664e3ac8c21fb3031e2019c453af6d3ff696a85d6b3cd8ca958"
#define WC_PROOF "3745d7e511affa146fce794d9e4d8666d718715d986aebcce8e73d732d554db2" \
	"f505733500b36671fb29b5089b518a0fd151e655b080d74f5e83fa7ffc21a8f7"
#define HEX_N "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551"
#define HEX_G "046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296" \
	"4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5"

struct fx {
	uint8_t s[32], pk[GROUP_POINT_LEN], R[GROUP_POINT_LEN], S[GROUP_POINT_LEN];
	uint8_t bind[32], proof[DLEQ_PROOF_LEN];
};

static struct fx fx_load(void)
{
	struct fx f;

	th_unhex(WC_SECRET, f.s, 32);
	th_unhex(WC_PK, f.pk, sizeof(f.pk));
	th_unhex(WC_R, f.R, sizeof(f.R));
	th_unhex(WC_S, f.S, sizeof(f.S));
	th_unhex(WC_BIND, f.bind, 32);
	th_unhex(WC_PROOF, f.proof, sizeof(f.proof));
	return f;
}

static void known_proof(void **state)
{
	struct fx f = fx_load();
	uint8_t proof[DLEQ_PROOF_LEN], again[DLEQ_PROOF_LEN];

	(void)state;
	assert_int_equal(dleq_prove(f.s, f.pk, f.R, f.S, f.bind, proof), 0);
	th_expect_hex("(c, z) as computed independently (gen-vectors.mjs)", proof, sizeof(proof),
		      WC_PROOF);
	assert_int_equal(dleq_verify(f.pk, f.R, f.S, f.proof), 0);
	/* deterministic: a recount publishes the same bytes */
	assert_int_equal(dleq_prove(f.s, f.pk, f.R, f.S, f.bind, again), 0);
	assert_memory_equal(proof, again, sizeof(proof));
	/* another tracker gives another, equally valid, proof */
	f.bind[0] ^= 1;
	assert_int_equal(dleq_prove(f.s, f.pk, f.R, f.S, f.bind, again), 0);
	assert_memory_not_equal(proof, again, sizeof(proof));
	assert_int_equal(dleq_verify(f.pk, f.R, f.S, again), 0);
}

/* Every single-bit change of c or z breaks the proof. */
static void modified_proof_bytes_fail(void **state)
{
	struct fx f = fx_load();
	size_t i;
	int bit, ret;

	(void)state;
	for (i = 0; i < DLEQ_PROOF_LEN; i++) {
		for (bit = 0; bit < 8; bit += 7) {
			f.proof[i] ^= (uint8_t)(1 << bit);
			ret = dleq_verify(f.pk, f.R, f.S, f.proof);
			if (ret != ERR_VERIFY)
				fail_msg("%s byte %zu bit %d flipped: %d", i < 32 ? "c" : "z", i % 32, bit,
					 ret);
			f.proof[i] ^= (uint8_t)(1 << bit);
		}
	}
}

static void proof_for_other_statement_fails(void **state)
{
	struct fx f = fx_load();
	uint8_t G[GROUP_POINT_LEN], other[GROUP_POINT_LEN], two[32];

	(void)state;
	th_unhex(HEX_G, G, sizeof(G));
	scalar_from_u32(two, 2);
	/* another S (2S, i.e. a wrong decryption) */
	assert_int_equal(group_mul(other, two, f.S), 0);
	assert_int_equal(dleq_verify(f.pk, f.R, other, f.proof), ERR_VERIFY);
	/* another R */
	assert_int_equal(dleq_verify(f.pk, G, f.S, f.proof), ERR_VERIFY);
	/* another PK */
	assert_int_equal(dleq_verify(G, f.R, f.S, f.proof), ERR_VERIFY);
	/* R and S swapped */
	assert_int_equal(dleq_verify(f.pk, f.S, f.R, f.proof), ERR_VERIFY);
	/* an honest proof about a false statement (S' != sR) does not verify */
	assert_int_equal(dleq_prove(f.s, f.pk, f.R, other, f.bind, f.proof), 0);
	assert_int_equal(dleq_verify(f.pk, f.R, other, f.proof), ERR_VERIFY);
}

static void degenerate_proofs_fail(void **state)
{
	static const struct {
		const char *title, *c, *z;
	} rows[] = {
		{ "c = 0, z = 0 (A1 = A2 = infinity)",
		  "0000000000000000000000000000000000000000000000000000000000000000",
		  "0000000000000000000000000000000000000000000000000000000000000000" },
		{ "c = 0, z = 1 (n - c must not become n)",
		  "0000000000000000000000000000000000000000000000000000000000000000",
		  "0000000000000000000000000000000000000000000000000000000000000001" },
		{ "c = n (non-canonical zero)", HEX_N,
		  "0000000000000000000000000000000000000000000000000000000000000001" },
		{ "z = n (non-canonical zero)",
		  "3745d7e511affa146fce794d9e4d8666d718715d986aebcce8e73d732d554db2", HEX_N },
		{ "c = 2^256 - 1", "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
		  "f505733500b36671fb29b5089b518a0fd151e655b080d74f5e83fa7ffc21a8f7" },
	};
	struct fx f = fx_load();
	size_t i;

	(void)state;
	for (i = 0; i < TH_ROWS(rows); i++) {
		th_unhex(rows[i].c, f.proof, 32);
		th_unhex(rows[i].z, f.proof + 32, 32);
		if (dleq_verify(f.pk, f.R, f.S, f.proof) != ERR_VERIFY)
			fail_msg("%s: accepted or wrong error", rows[i].title);
	}
}

static void invalid_points_are_format_errors(void **state)
{
	struct fx f = fx_load();
	uint8_t bad[GROUP_POINT_LEN];

	(void)state;
	memcpy(bad, f.S, sizeof(bad));
	bad[64] ^= 1;
	assert_int_equal(dleq_verify(bad, f.R, f.S, f.proof), ERR_FORMAT);
	assert_int_equal(dleq_verify(f.pk, bad, f.S, f.proof), ERR_FORMAT);
	assert_int_equal(dleq_verify(f.pk, f.R, bad, f.proof), ERR_FORMAT);
	assert_int_equal(dleq_prove(f.s, f.pk, bad, f.S, f.bind, f.proof), ERR_FORMAT);
	assert_int_equal(dleq_prove(f.s, f.pk, f.R, bad, f.bind, f.proof), ERR_FORMAT);
	memset(f.s, 0, sizeof(f.s));
	assert_int_equal(dleq_prove(f.s, f.pk, f.R, f.S, f.bind, f.proof), ERR_RANGE);
}

/* Random keys and ballots: prove then verify. */
static void random_statements(void **state)
{
	struct rng *r;
	uint8_t s[32], k[32], pk[GROUP_POINT_LEN], R[GROUP_POINT_LEN], S[GROUP_POINT_LEN];
	uint8_t bind[32], proof[DLEQ_PROOF_LEN];
	int i;

	(void)state;
	assert_int_equal(rng_new(&r, NULL, NULL), 0);
	for (i = 0; i < 10; i++) {
		assert_int_equal(scalar_random(r, s), 0);
		assert_int_equal(scalar_random(r, k), 0);
		assert_int_equal(rng_bytes(r, bind, 32), 0);
		assert_int_equal(group_mul_base(pk, s), 0);
		assert_int_equal(group_mul_base(R, k), 0);
		assert_int_equal(group_mul(S, s, R), 0);
		assert_int_equal(dleq_prove(s, pk, R, S, bind, proof), 0);
		assert_int_equal(dleq_verify(pk, R, S, proof), 0);
	}
	rng_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(known_proof),
		cmocka_unit_test(modified_proof_bytes_fail),
		cmocka_unit_test(proof_for_other_statement_fails),
		cmocka_unit_test(degenerate_proofs_fail),
		cmocka_unit_test(invalid_points_are_format_errors),
		cmocka_unit_test(random_statements),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
