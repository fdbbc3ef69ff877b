/*
 * Fixtures of the shuffle tests: a key pair, N ballots that encrypt known
 * points M_j = m_j G (so that opening an output tells which input it came
 * from), and the opening of a shuffled list. Include after cmocka.h.
 */
#ifndef SCEAU_TESTS_CRYPTO_SHUFFLE_FX_H
#define SCEAU_TESTS_CRYPTO_SHUFFLE_FX_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/group.h"
#include "crypto/hash.h"
#include "crypto/shuffle.h"
#include "shuffle_mem.h"
#include "testutil.h"

/* The test election key (any scalar below n). */
#define FX_SK "1d8a6e2c5b3f9a07c4e1d2b3a59687f0e1c2d3b4a5968778695a4b3c2d1e0f1a"
#define FX_SCRUTIN 3

/* A scalar from a label and a number (SHA-256, reduced mod n). */
static inline void fx_scalar(const char *label, uint32_t i, uint8_t k[32])
{
	uint8_t buf[64], d[32];
	size_t len = strlen(label);

	assert_true(len + 4 <= sizeof(buf));
	memcpy(buf, label, len);
	buf[len] = (uint8_t)(i >> 24), buf[len + 1] = (uint8_t)(i >> 16);
	buf[len + 2] = (uint8_t)(i >> 8), buf[len + 3] = (uint8_t)i;
	assert_int_equal(hash_sha256(buf, len + 4, d), 0);
	assert_int_equal(scalar_reduce(k, d, 32), 0);
}

static inline void fx_statement(struct shuffle_statement *st, uint32_t n, uint8_t sk[32])
{
	memset(st, 0, sizeof(*st));
	th_unhex(FX_SK, sk, 32);
	assert_int_equal(hash_sha256("sceau shuffle test election", 27, st->election_id), 0);
	st->scrutin_id = FX_SCRUTIN;
	assert_int_equal(group_mul_base(st->pk, sk), 0);
	st->n = n;
}

/* Input j encrypts M_j = m_j G with a_j: A = a_j G, B = M_j + a_j PK. */
static inline uint8_t *fx_inputs(const struct shuffle_statement *st, uint8_t (*M)[GROUP_POINT_LEN])
{
	uint8_t *in = malloc((size_t)st->n * SHUFFLE_CT_LEN + 1), a[32], m[32], x[GROUP_POINT_LEN];

	assert_non_null(in);
	for (uint32_t j = 0; j < st->n; j++) {
		uint8_t *e = in + (size_t)j * SHUFFLE_CT_LEN;

		fx_scalar("input a", j, a);
		fx_scalar("input m", j, m);
		assert_int_equal(group_mul_base(M[j], m), 0);
		assert_int_equal(group_mul_base(e, a), 0);
		assert_int_equal(group_mul(x, a, st->pk), 0);
		assert_int_equal(group_add(e + GROUP_POINT_LEN, M[j], x), 0);
	}
	return in;
}

/* psi[i] = the input whose plaintext output i decrypts to (B' - sk A'). */
static inline void fx_open(const struct smem *m, const uint8_t sk[32],
			   const uint8_t (*M)[GROUP_POINT_LEN], uint32_t *psi)
{
	uint8_t nsk[32], zero[32] = { 0 }, one[32], d[GROUP_POINT_LEN];
	uint32_t n = m->st.n;
	char *seen = calloc(n, 1);

	assert_non_null(seen);
	scalar_from_u32(one, 1);
	assert_int_equal(scalar_sub(nsk, zero, sk), 0);
	for (uint32_t i = 0; i < n; i++) {
		const uint8_t *o = m->file + smem_at(m, SHUFFLE_OUT, i);

		assert_int_equal(group_muladd(d, one, o + GROUP_POINT_LEN, nsk, o), 0);
		psi[i] = n;
		for (uint32_t j = 0; j < n && psi[i] == n; j++)
			if (memcmp(d, M[j], GROUP_POINT_LEN) == 0)
				psi[i] = j;
		if (psi[i] == n || seen[psi[i]])
			fail_msg("output %u is not a fresh input's plaintext", i);
		seen[psi[i]] = 1;
	}
	free(seen);
}

/* A test seed: 32 bytes from a number. */
static inline void fx_seed(uint32_t i, uint8_t seed[32])
{
	uint8_t b[8] = { 's', 'e', 'e', 'd', (uint8_t)(i >> 24), (uint8_t)(i >> 16),
			 (uint8_t)(i >> 8), (uint8_t)i };

	assert_int_equal(hash_sha256(b, sizeof(b), seed), 0);
}

#endif
