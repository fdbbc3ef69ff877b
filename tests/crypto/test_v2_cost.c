/*
 * What the v2 operations cost, in units of one raw mbedTLS variable-base
 * multiplication (group_bench_raw: mbedtls_ecp_mul alone, on one thread),
 * measured in the same run:
 *
 *   test_v2_cost          a short run (the test suite): prints the ratios,
 *                         checks only that they are sane
 *   test_v2_cost COUNT    COUNT operations of each kind (e.g. 2000)
 *
 * Expected from the operation counts, mbedTLS's muladd being two separate
 * multiplications (a fixed-base one costs about 0.35): encode < 0.1 (one or
 * two modular exponentiations mod p), ballot check ~1.35 (0.35 + 1), open
 * ~1, DLEQ prove ~1.35 (0.35 + 1), DLEQ verify ~3.35 (0.35 + 1 + 1 + 1).
 * "codec" is the byte interface every group_* call pays for each point: one
 * read with its validation and one write. Numbers of this machine:
 * docs/CRYPTO-V2-NOTES.md, "Cost".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <cmocka.h>

#include "lib/err.h"
#include "crypto/ballot.h"
#include "crypto/dleq.h"
#include "crypto/rng.h"
#include "testutil.h"

#define MAX_BALLOTS 64 /* distinct inputs, cycled */

static unsigned cost_count = 150;

static double cost_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts); /* CPU time: the machine is shared */
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct cost_fx {
	struct rng *rng;
	uint8_t s[32], pk[GROUP_POINT_LEN], eid[32];
	uint8_t pt[MAX_BALLOTS][19], rec[MAX_BALLOTS][BALLOT2_RECORD_LEN];
	uint8_t S[MAX_BALLOTS][GROUP_POINT_LEN], proof[MAX_BALLOTS][DLEQ_PROOF_LEN];
};

enum cost_op { OP_ENCODE, OP_ENCRYPT, OP_CHECK, OP_OPEN, OP_PROVE, OP_VERIFY, OP_COUNT };

static const char *const cost_names[OP_COUNT] = {
	"ptenc_encode (19 bytes)", "ballot2_encrypt", "ballot2_check", "ballot2_open",
	"dleq2_prove", "dleq2_verify",
};

static int cost_one(struct cost_fx *f, enum cost_op op, unsigned i)
{
	struct dleq2_statement st = { f->pk, f->eid, 1, f->rec[i] + BALLOT2_OFF_A,
				      f->rec[i] + BALLOT2_OFF_B, f->S[i] };
	uint8_t M[GROUP_POINT_LEN], rec[BALLOT2_RECORD_LEN], pt[19], S[GROUP_POINT_LEN];

	switch (op) {
	case OP_ENCODE:
		return ptenc_encode(f->pt[i], 19, M, NULL);
	case OP_ENCRYPT:
		return ballot2_encrypt(f->rng, f->pk, f->eid, 1, f->pt[i], 19, rec);
	case OP_CHECK:
		return ballot2_check(f->eid, f->rec[i], BALLOT2_RECORD_LEN);
	case OP_OPEN:
		return ballot2_open(f->s, st.A, st.B, 19, S, pt);
	case OP_PROVE:
		return dleq2_prove(f->s, &st, f->proof[i]);
	default:
		return dleq2_verify(&st, f->proof[i]);
	}
}

/* Seconds per operation. */
static double cost_time(struct cost_fx *f, enum cost_op op)
{
	double t0 = cost_now();
	unsigned i;

	for (i = 0; i < cost_count; i++)
		if (cost_one(f, op, i % MAX_BALLOTS) != 0)
			fail_msg("%s failed: %s", cost_names[op], err_last_detail());
	return (cost_now() - t0) / cost_count;
}

static double cost_raw(int base)
{
	double t0;

	assert_int_equal(group_bench_raw(4, base), 0); /* warm the tables */
	t0 = cost_now();
	assert_int_equal(group_bench_raw(cost_count, base), 0);
	return (cost_now() - t0) / cost_count;
}

static void cost_setup(struct cost_fx *f)
{
	unsigned i;

	assert_int_equal(rng_new(&f->rng, "sceau/test/v2-cost", NULL), 0);
	assert_int_equal(scalar_random(f->rng, f->s), 0);
	assert_int_equal(group_mul_base(f->pk, f->s), 0);
	assert_int_equal(rng_bytes(f->rng, f->eid, 32), 0);
	for (i = 0; i < MAX_BALLOTS; i++) {
		assert_int_equal(rng_bytes(f->rng, f->pt[i], 19), 0);
		assert_int_equal(ballot2_encrypt(f->rng, f->pk, f->eid, 1, f->pt[i], 19, f->rec[i]),
				 0);
		assert_int_equal(group_mul(f->S[i], f->s, f->rec[i] + BALLOT2_OFF_A), 0);
	}
}

static void v2_costs(void **state)
{
	struct cost_fx *f = calloc(1, sizeof(*f));
	double var, var2, fixed, codec, t[OP_COUNT];
	int op;

	(void)state;
	assert_non_null(f);
	cost_setup(f);
	var = cost_raw(0);
	fixed = cost_raw(1);
	/* prove before verify: verify checks the proofs prove just made */
	for (op = 0; op < OP_COUNT; op++)
		t[op] = cost_time(f, (enum cost_op)op);
	var2 = cost_raw(0);
	var = (var + var2) / 2; /* the machine is shared: the mean of before and after */
	{
		double t0 = cost_now();

		assert_int_equal(group_bench_codec(cost_count * 10), 0);
		codec = (cost_now() - t0) / (cost_count * 10);
	}
	printf("v2 costs, %u operations each, one thread; unit: one raw variable-base "
	       "multiplication = %.1f us\n", cost_count, var * 1e6);
	printf("  %-26s %7.3f\n", "raw fixed-base (mbedTLS)", fixed / var);
	printf("  %-26s %7.3f\n", "codec (point read+write)", codec / var);
	for (op = 0; op < OP_COUNT; op++) {
		printf("  %-26s %7.3f\n", cost_names[op], t[op] / var);
		/* sane, not tight: a shared machine gives noisy times */
		assert_true(t[op] > 0 && t[op] / var < 20);
	}
	rng_free(f->rng);
	free(f);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(v2_costs),
	};

	if (argc == 2) {
		cost_count = (unsigned)strtoul(argv[1], NULL, 10);
		if (cost_count < 10 || cost_count > 10000000) {
			fprintf(stderr, "usage: test_v2_cost [COUNT >= 10]\n");
			return 2;
		}
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
