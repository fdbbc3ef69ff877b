/*
 * crypto/shuffle: the re-encryption shuffle and its proof (spec sections 3
 * to 5). A proof made with a fixed seed has fixed bytes (tests/data/
 * shuffle-v2, checked independently by tests/crypto/sceau_v2_ref.py:
 * tests/crypto/test_shuffle_ref.sh); a proof verifies for N = 1, 2, 3, 10
 * and across windows; its outputs open to a permutation of the inputs,
 * the one the seed gives; and it fails when any input, any output, their
 * order, any element of the proof or the statement changes. Every check
 * runs on every implementation of crypto/checks.h (agree.h: mbedTLS, and
 * OpenSSL both batched and one equation at a time), which must give the
 * same answer and name the same failing equation.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "lib/err.h"
#include "crypto/group.h"
#include "crypto/rng.h"
#include "crypto/shuffle.h"
#include "agree.h"
#include "shuffle_fx.h"

#define KAT_DIR "tests/data/shuffle-v2/"
#define KAT_N 10

struct run {
	struct shuffle_statement st;
	uint8_t sk[32];
	uint8_t (*M)[GROUP_POINT_LEN];
	uint8_t *inputs;
	struct smem m;
};

static void run_make(struct run *r, uint32_t n, uint32_t seed_no, unsigned jobs)
{
	struct shuffle_io io;
	uint8_t seed[32];

	fx_statement(&r->st, n, r->sk);
	r->M = malloc((size_t)n * GROUP_POINT_LEN + 1);
	assert_non_null(r->M);
	r->inputs = fx_inputs(&r->st, r->M);
	smem_init(&r->m, &r->st, r->inputs);
	io = smem_io(&r->m);
	fx_seed(seed_no, seed);
	assert_int_equal(shuffle_prove_seeded(&r->st, &io, seed, jobs), 0);
	assert_int_equal(r->m.written, r->m.len);
}

static void run_free(struct run *r)
{
	smem_free(&r->m);
	free(r->inputs);
	free(r->M);
}

static int run_verify(struct run *r, unsigned jobs)
{
	struct shuffle_io io = smem_io(&r->m);

	return agree_shuffle_verify(&r->st, &io, jobs);
}

/* Verifies; the outputs open to the permutation the seed gives. */
static void prove_verify_open(void **state)
{
	static const uint32_t sizes[] = { 1, 2, 3, 10 };
	uint32_t psi[KAT_N], want[KAT_N];
	uint8_t seed[32];
	struct run r;

	(void)state;
	for (size_t s = 0; s < TH_ROWS(sizes); s++) {
		run_make(&r, sizes[s], 1, 2);
		assert_int_equal(run_verify(&r, 2), 0);
		fx_open(&r.m, r.sk, (const uint8_t(*)[GROUP_POINT_LEN])r.M, psi);
		fx_seed(1, seed);
		assert_int_equal(shuffle_test_permutation(seed, want, sizes[s]), 0);
		assert_memory_equal(psi, want, sizes[s] * sizeof(*psi));
		run_free(&r);
	}
}

/* The bytes do not depend on the number of threads; a window of 16 makes
 * N = 37 cross windows (the chain's carry, C^ read from index first - 1)
 * and end on a short chunk. */
static void threads_and_windows(void **state)
{
	struct run a, b;

	(void)state;
	run_make(&a, 37, 7, 1);
	shuffle_test_window = 16;
	run_make(&b, 37, 7, 3);
	assert_memory_equal(a.m.file, b.m.file, a.m.len);
	assert_int_equal(run_verify(&a, 2), 0);
	shuffle_test_window = 2048;
	assert_int_equal(run_verify(&b, 1), 0);
	shuffle_test_window = 24;
	assert_int_equal(run_verify(&b, 2), 0);
	shuffle_test_window = 2048;
	run_free(&a);
	run_free(&b);
}

/* With the box's DRBG: two shuffles of the same ballots differ, both verify. */
static void with_the_drbg(void **state)
{
	struct shuffle_statement st;
	struct smem m1, m2;
	struct shuffle_io io;
	struct rng *rng;
	uint8_t sk[32], M[5][GROUP_POINT_LEN], *in;

	(void)state;
	fx_statement(&st, 5, sk);
	in = fx_inputs(&st, M);
	assert_int_equal(rng_new(&rng, "sceau/test/shuffle", NULL), 0);
	smem_init(&m1, &st, in);
	smem_init(&m2, &st, in);
	io = smem_io(&m1);
	assert_int_equal(shuffle_prove(&st, &io, rng, 0), 0);
	assert_int_equal(agree_shuffle_verify(&st, &io, 0), 0);
	io = smem_io(&m2);
	assert_int_equal(shuffle_prove(&st, &io, rng, 0), 0);
	assert_int_equal(agree_shuffle_verify(&st, &io, 0), 0);
	assert_memory_not_equal(m1.file + SMEM_HEADER, m2.file + SMEM_HEADER, 130);
	rng_free(rng);
	smem_free(&m1);
	smem_free(&m2);
	free(in);
}

static void write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static uint8_t *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long sz;

	if (f == NULL)
		fail_msg("%s: missing (run from the repository's root; SCEAU_WRITE_KAT=1 "
			 "writes it)", path);
	fseek(f, 0, SEEK_END);
	sz = ftell(f);
	rewind(f);
	buf = malloc((size_t)sz + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)sz, f), (size_t)sz);
	fclose(f);
	*len = (size_t)sz;
	return buf;
}

/*
 * Known answer: the seed fx_seed(15) gives, for the 10 ballots of
 * shuffle_fx.h, exactly the bytes of tests/data/shuffle-v2/kat-n10.bin
 * (whose proof sceau_v2_ref.py checks on its own). SCEAU_WRITE_KAT=1
 * rewrites the files, for a deliberate change of the derivations only.
 */
static void known_answer(void **state)
{
	char hex[2 * GROUP_POINT_LEN + 2];
	uint8_t *want;
	size_t len;
	struct run r;

	(void)state;
	run_make(&r, KAT_N, 15, 2);
	if (getenv("SCEAU_WRITE_KAT") != NULL) {
		write_file(KAT_DIR "kat-n10.bin", r.m.file, r.m.len);
		write_file(KAT_DIR "kat-n10-inputs.bin", r.inputs, KAT_N * SHUFFLE_CT_LEN);
		hex_encode(r.st.pk, GROUP_POINT_LEN, hex);
		hex[2 * GROUP_POINT_LEN] = '\n';
		write_file(KAT_DIR "kat-pk.hex", hex, 2 * GROUP_POINT_LEN + 1);
	}
	want = read_file(KAT_DIR "kat-n10.bin", &len);
	assert_int_equal(len, r.m.len);
	assert_memory_equal(want, r.m.file, len);
	free(want);
	want = read_file(KAT_DIR "kat-n10-inputs.bin", &len);
	assert_int_equal(len, KAT_N * SHUFFLE_CT_LEN);
	assert_memory_equal(want, r.inputs, len);
	free(want);
	assert_int_equal(run_verify(&r, 2), 0);
	run_free(&r);
}

/* P + G: another valid point. */
static void bump_point(uint8_t *p)
{
	uint8_t one[32], g[GROUP_POINT_LEN];

	scalar_from_u32(one, 1);
	assert_int_equal(group_mul_base(g, one), 0);
	assert_int_equal(group_add(p, p, g), 0);
}

/* k + 1 mod n: another valid scalar. */
static void bump_scalar(uint8_t *k)
{
	uint8_t one[32];

	scalar_from_u32(one, 1);
	assert_int_equal(scalar_add(k, k, one), 0);
}

/* Changes field (part, element, point k of it), checks that verification
 * fails with want (or ERR_FORMAT too when want is 0: a bit flip may leave
 * the curve), restores it. */
static void expect_reject(struct run *r, uint8_t *field, size_t len, int valid_change,
			  const char *what, uint32_t idx)
{
	uint8_t save[GROUP_POINT_LEN];
	int ret;

	memcpy(save, field, len);
	if (valid_change && len == GROUP_POINT_LEN)
		bump_point(field);
	else if (valid_change)
		bump_scalar(field);
	else
		field[len - 1] ^= 0x01;
	ret = run_verify(r, 2);
	if (ret != ERR_VERIFY && !(ret == ERR_FORMAT && !valid_change))
		fail_msg("N = %u, %s %u changed (%s): verify returned %d", r->st.n, what, idx,
			 valid_change ? "another valid value" : "a bit flipped", ret);
	memcpy(field, save, len);
}

/* Every field of the file and every input, in turn. */
static void tamper_all(struct run *r, int valid_change)
{
	static const char *const names[SHUFFLE_PARTS] = { "output", "C", "C^", "t", "t^",
							  "s", "s^", "s'" };
	for (int part = 0; part < SHUFFLE_PARTS; part++) {
		size_t elem = shuffle_part_elem((enum shuffle_part)part);
		size_t unit = elem % GROUP_POINT_LEN == 0 ? GROUP_POINT_LEN : GROUP_SCALAR_LEN;
		uint32_t count = shuffle_part_count((enum shuffle_part)part, r->st.n);

		for (uint32_t e = 0; e < count; e++)
			for (size_t o = 0; o < elem; o += unit)
				expect_reject(r, r->m.file + smem_at(&r->m, (enum shuffle_part)part, e) + o,
					      unit, valid_change, names[part],
					      (uint32_t)(e * (elem / unit) + o / unit));
	}
	for (uint32_t j = 0; j < 2 * r->st.n; j++)
		expect_reject(r, r->inputs + (size_t)j * GROUP_POINT_LEN, GROUP_POINT_LEN,
			      valid_change, "input point", j);
}

/* Any change of any field fails: a flipped bit (N = 1, 2, 3) and another
 * valid point or scalar (N = 1, 2, 3, 10). */
static void any_change_fails(void **state)
{
	static const uint32_t sizes[] = { 1, 2, 3, KAT_N };
	struct run r;

	(void)state;
	for (size_t s = 0; s < TH_ROWS(sizes); s++) {
		run_make(&r, sizes[s], 20 + (uint32_t)s, 2);
		assert_int_equal(run_verify(&r, 2), 0);
		if (sizes[s] <= 3)
			tamper_all(&r, 0);
		tamper_all(&r, 1);
		assert_int_equal(run_verify(&r, 2), 0); /* all restored */
		run_free(&r);
	}
}

/* Outputs in another order, or inputs in another order, fail. */
static void order_matters(void **state)
{
	uint8_t tmp[SHUFFLE_CT_LEN];
	struct run r;

	(void)state;
	run_make(&r, 3, 30, 2);
	for (uint32_t i = 0; i + 1 < 3; i++) {
		uint8_t *a = r.m.file + smem_at(&r.m, SHUFFLE_OUT, i), *b = a + SHUFFLE_CT_LEN;

		memcpy(tmp, a, sizeof(tmp)), memcpy(a, b, sizeof(tmp)), memcpy(b, tmp, sizeof(tmp));
		assert_int_equal(run_verify(&r, 2), ERR_VERIFY);
		memcpy(b, a, sizeof(tmp)), memcpy(a, tmp, sizeof(tmp));
		a = r.inputs + (size_t)i * SHUFFLE_CT_LEN, b = a + SHUFFLE_CT_LEN;
		memcpy(tmp, a, sizeof(tmp)), memcpy(a, b, sizeof(tmp)), memcpy(b, tmp, sizeof(tmp));
		assert_int_equal(run_verify(&r, 2), ERR_VERIFY);
		memcpy(b, a, sizeof(tmp)), memcpy(a, tmp, sizeof(tmp));
	}
	assert_int_equal(run_verify(&r, 2), 0);
	run_free(&r);
}

/* The statement is bound: another election, scrutin, key or N fails. */
static void statement_is_bound(void **state)
{
	struct run r;
	uint8_t sk2[32];

	(void)state;
	run_make(&r, 2, 40, 2);
	r.st.election_id[31] ^= 1;
	assert_int_equal(run_verify(&r, 2), ERR_VERIFY);
	r.st.election_id[31] ^= 1;
	r.st.scrutin_id++;
	assert_int_equal(run_verify(&r, 2), ERR_VERIFY);
	r.st.scrutin_id--;
	fx_scalar("another key", 0, sk2);
	assert_int_equal(group_mul_base(r.st.pk, sk2), 0);
	assert_int_equal(run_verify(&r, 2), ERR_VERIFY);
	run_free(&r);

	/* N: one ballot fewer (the file read with N - 1) */
	run_make(&r, 3, 41, 2);
	r.st.n = 2;
	r.m.st.n = 2;
	assert_int_not_equal(run_verify(&r, 2), 0);
	run_free(&r);
}

/* A failed t^ equation is named, whichever chunk of the batched check or
 * window it falls in (N = 40, windows of 24: OpenSSL's chunks of 16 and
 * the windows cut each other), and with two, the first is named. s^_i is
 * what is changed: it is in no hash and in no other equation, so only the
 * equation of t^_i fails (a changed t^_i would change c, and all fail). */
static void failures_named_across_chunks(void **state)
{
	static const uint32_t at[] = { 0, 15, 16, 23, 24, 31, 39 };
	uint8_t save[GROUP_SCALAR_LEN], save2[GROUP_SCALAR_LEN], *p, *q;
	char want[64];
	struct run r;

	(void)state;
	run_make(&r, 40, 50, 2);
	shuffle_test_window = 24;
	for (size_t k = 0; k < TH_ROWS(at); k++) {
		p = r.m.file + smem_at(&r.m, SHUFFLE_SHAT, at[k]);
		memcpy(save, p, sizeof(save));
		bump_scalar(p);
		assert_int_equal(run_verify(&r, 2), ERR_VERIFY);
		snprintf(want, sizeof(want), "the equation of t^_%u does not hold", at[k] + 1);
		if (strstr(err_last_detail(), want) == NULL)
			fail_msg("s^_%u changed: \"%s\"", at[k] + 1, err_last_detail());
		memcpy(p, save, sizeof(save));
	}
	p = r.m.file + smem_at(&r.m, SHUFFLE_SHAT, 30);
	q = r.m.file + smem_at(&r.m, SHUFFLE_SHAT, 17);
	memcpy(save, p, sizeof(save)), memcpy(save2, q, sizeof(save2));
	bump_scalar(p), bump_scalar(q);
	assert_int_equal(run_verify(&r, 2), ERR_VERIFY);
	assert_non_null(strstr(err_last_detail(), "t^_18 does not hold"));
	memcpy(p, save, sizeof(save)), memcpy(q, save2, sizeof(save2));
	assert_int_equal(run_verify(&r, 1), 0);
	shuffle_test_window = 2048;
	run_free(&r);
}

/* A malformed part is ERR_FORMAT even when an equation fails too, whichever
 * part comes first in the file or in the check: every implementation
 * judges the form of everything before any equation. */
static void format_before_equations(void **state)
{
	static const enum shuffle_part bad[] = { SHUFFLE_T, SHUFFLE_S, SHUFFLE_SPRIME, SHUFFLE_C };
	uint8_t save[GROUP_POINT_LEN], save2[GROUP_POINT_LEN], *p, *q;
	struct run r;

	(void)state;
	run_make(&r, 12, 51, 2);
	q = r.m.file + smem_at(&r.m, SHUFFLE_THAT, 2); /* t^_3 fails */
	memcpy(save2, q, sizeof(save2));
	bump_point(q);
	for (size_t k = 0; k < TH_ROWS(bad); k++) {
		size_t unit = bad[k] == SHUFFLE_S || bad[k] == SHUFFLE_SPRIME ? GROUP_SCALAR_LEN
									       : GROUP_POINT_LEN;

		p = r.m.file + smem_at(&r.m, bad[k], bad[k] == SHUFFLE_T || bad[k] == SHUFFLE_S ? 0 : 9);
		memcpy(save, p, unit);
		if (unit == GROUP_SCALAR_LEN)
			memset(p, 0xff, unit); /* not below n */
		else
			p[GROUP_POINT_LEN - 1] ^= 1; /* off the curve */
		assert_int_equal(run_verify(&r, 2), ERR_FORMAT);
		memcpy(p, save, unit);
	}
	assert_int_equal(run_verify(&r, 2), ERR_VERIFY);
	memcpy(q, save2, sizeof(save2));
	assert_int_equal(run_verify(&r, 2), 0);
	run_free(&r);
}

/* N = 0 has no shuffle; N above the maximum and an invalid key are refused. */
static void bad_statements(void **state)
{
	struct shuffle_statement st;
	struct smem m;
	struct shuffle_io io;
	uint8_t sk[32], seed[32] = { 1 };

	(void)state;
	fx_statement(&st, 1, sk);
	smem_init(&m, &st, NULL);
	io = smem_io(&m);
	st.n = 0;
	assert_int_equal(shuffle_prove_seeded(&st, &io, seed, 1), ERR_RANGE);
	assert_int_equal(agree_shuffle_verify(&st, &io, 1), ERR_RANGE);
	st.n = SHUFFLE_MAX_N + 1;
	assert_int_equal(shuffle_prove_seeded(&st, &io, seed, 1), ERR_RANGE);
	st.n = 1;
	st.pk[64] ^= 1;
	assert_int_equal(shuffle_prove_seeded(&st, &io, seed, 1), ERR_FORMAT);
	assert_int_equal(agree_shuffle_verify(&st, &io, 1), ERR_FORMAT);
	assert_int_equal(m.written, SMEM_HEADER); /* nothing written */
	smem_free(&m);
}

/* h and h_1, h_2 as the Python reference computes them (RFC 9380 with
 * Sceau's DST; sceau_v2_ref.py generators <election_id> 3 2). */
static void generators(void **state)
{
	static const char *const want[] = {
		"04604aa8a399bdb3cd34afb091c67f1dc62f3d4753990fc01009f13760912a6e82"
		"38bb137a1266e28e9992baa9205c78c6a2a27c6d9b63a4d560062e77b3654c52",
		"048d7de92d9097c34014e5ca562dc30930282cd24b7cdfa1ab03fca7ab41e56619"
		"6c669ac9757dd8a6cfe1525f2e34fe4542462ff22b492ebf2517bef11a316906",
		"04771e96fbbb0baa76a2f83d2d25206307c344ce9edf01adb3342e4acb2af63898"
		"78af096b77e480dda4603d99f807c7b8cc724f1801baa02852ee578def656f8c",
	};
	struct shuffle_statement st;
	uint8_t sk[32], p[GROUP_POINT_LEN];

	(void)state;
	fx_statement(&st, 1, sk);
	for (uint32_t i = 0; i < 3; i++) {
		agree_generator(st.election_id, st.scrutin_id, i, p);
		th_expect_hex(i == 0 ? "h" : "h_i", p, sizeof(p), want[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(known_answer),
		cmocka_unit_test(prove_verify_open),
		cmocka_unit_test(threads_and_windows),
		cmocka_unit_test(with_the_drbg),
		cmocka_unit_test(any_change_fails),
		cmocka_unit_test(order_matters),
		cmocka_unit_test(statement_is_bound),
		cmocka_unit_test(failures_named_across_chunks),
		cmocka_unit_test(format_before_equations),
		cmocka_unit_test(bad_statements),
		cmocka_unit_test(generators),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
