/*
 * Every v2 check run by every implementation this build has
 * (crypto/checks.h: mbedTLS, and OpenSSL with CRYPTO_OPENSSL, whose shuffle
 * check runs in both its ways, batched and one equation at a time). The
 * answers must be the same, code for code, and for a failed shuffle proof
 * the same equation must be named; the agreed answer is returned, so a test
 * written for one implementation checks them all. Include after cmocka.h.
 */
#ifndef SCEAU_TESTS_CRYPTO_AGREE_H
#define SCEAU_TESTS_CRYPTO_AGREE_H

#include <stdio.h>
#include <string.h>

#include "lib/err.h"
#include "crypto/ballot.h"
#include "crypto/checks.h"
#include "crypto/dleq.h"
#include "crypto/shuffle.h"
#ifdef CONFIG_CRYPTO_OPENSSL
#include "crypto/ossl.h"
#endif

/* The implementations after the first (mbedTLS, the reference of the
 * answers): b = 1, 2, ... while agree_other(b) is not NULL. */
static inline const struct crypto_checks *agree_other(int b)
{
	for (int k = 1; k < CRYPTO_BACKENDS; k++)
		if (crypto_checks((enum crypto_backend)k) != NULL && --b == 0)
			return crypto_checks((enum crypto_backend)k);
	return NULL;
}

static inline void agree_code(const char *what, const char *who, int got, int want)
{
	if (got != want)
		fail_msg("%s: %s answers %d, mbedtls %d (%s)", what, who, got, want,
			 err_last_detail());
}

static inline int agree_ballot_check(const uint8_t eid[32], const uint8_t *rec, size_t len)
{
	int want = ballot2_check(eid, rec, len);
	const struct crypto_checks *c;

	for (int b = 1; (c = agree_other(b)) != NULL; b++)
		agree_code("ballot check", c->name, c->ballot_check(eid, rec, len), want);
	return want;
}

static inline int agree_dleq_verify(const struct dleq2_statement *st,
				    const uint8_t proof[DLEQ_PROOF_LEN])
{
	int want = dleq2_verify(st, proof);
	const struct crypto_checks *c;

	for (int b = 1; (c = agree_other(b)) != NULL; b++)
		agree_code("dleq check", c->name, c->dleq_verify(st, proof), want);
	return want;
}

/* pt receives the agreed plaintext (pt_len <= PTENC_PT_MAX). */
static inline int agree_open_point(const uint8_t S[GROUP_POINT_LEN],
				   const uint8_t B[GROUP_POINT_LEN], size_t pt_len, uint8_t *pt)
{
	uint8_t other[PTENC_PT_MAX];
	int want = ballot2_open_point(S, B, pt_len, pt);
	const struct crypto_checks *c;

	for (int b = 1; (c = agree_other(b)) != NULL; b++) {
		memset(other, 0xa5, sizeof(other));
		agree_code("open point", c->name, c->open_point(S, B, pt_len, other), want);
		if ((want == 0 || want == ERR_VERIFY) && memcmp(other, pt, pt_len) != 0)
			fail_msg("open point: %s gives another plaintext", c->name);
	}
	return want;
}

/* The detail of a failed equation ("... the equation of t^_7 does not hold"). */
static inline void agree_detail(char *out, size_t len, int ret)
{
	snprintf(out, len, "%s", ret == ERR_VERIFY ? err_last_detail() : "");
}

static inline int agree_shuffle_verify(const struct shuffle_statement *st,
				       const struct shuffle_io *io, unsigned jobs)
{
	char want_d[160], got_d[160];
	int want = shuffle_verify(st, io, jobs);
	const struct crypto_checks *c;

	agree_detail(want_d, sizeof(want_d), want);
	for (int b = 1; (c = agree_other(b)) != NULL; b++) {
		int got = c->shuffle_verify(st, io, jobs);

		agree_code("shuffle check", c->name, got, want);
		agree_detail(got_d, sizeof(got_d), got);
		if (strcmp(got_d, want_d) != 0)
			fail_msg("shuffle check: %s says \"%s\", mbedtls \"%s\"", c->name, got_d,
				 want_d);
	}
#ifdef CONFIG_CRYPTO_OPENSSL
	{
		int got = shuffle_verify_ossl_with(st, io, jobs, SHUFFLE_OSSL_SERIAL);

		agree_code("shuffle check", "openssl, one equation at a time", got, want);
		agree_detail(got_d, sizeof(got_d), got);
		if (strcmp(got_d, want_d) != 0)
			fail_msg("shuffle check: openssl (serial) says \"%s\", mbedtls \"%s\"",
				 got_d, want_d);
	}
#endif
	return want;
}

static inline void agree_generator(const uint8_t eid[32], uint16_t sid, uint32_t index,
				   uint8_t out[GROUP_POINT_LEN])
{
	uint8_t other[GROUP_POINT_LEN];
	const struct crypto_checks *c;

	assert_int_equal(shuffle_generator(eid, sid, index, out), 0);
	for (int b = 1; (c = agree_other(b)) != NULL; b++) {
		assert_int_equal(c->generator(eid, sid, index, other), 0);
		if (memcmp(other, out, GROUP_POINT_LEN) != 0)
			fail_msg("generator %u: %s gives another point", index, c->name);
	}
}

#endif
