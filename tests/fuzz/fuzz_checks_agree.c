/*
 * libFuzzer target: the two implementations of the v2 checks (crypto/
 * checks.h: mbedTLS, and OpenSSL's libcrypto, crypto/ossl.h) fed the same
 * inputs must give the same answer, code for code. The first byte picks
 * the check (its value mod 5):
 *   0  ballot check of raw bytes: election_id (32) || record (any length);
 *   1  ballot check of a valid record changed by the rest of the input;
 *   2  decryption proof (and the plaintext S opens to) of a valid
 *      statement changed likewise: PK || election_id || u16be(scrutin) ||
 *      A || B || S || proof;
 *   3  shuffle proof of 3 ballots changed likewise (inputs || proof),
 *      with 1 or 2 threads and windows of 8 or 2048 (bits 4, 5 of byte 0),
 *      OpenSSL both batched and one equation at a time;
 *   4  the plaintext of S over B (raw points), pt_len from the input.
 * "Changed likewise": the rest is a list of (u16be offset, xor byte). An
 * unchanged valid input must be accepted by both. Any disagreement traps.
 * Seeds: tests/fuzz/corpus/checks_agree.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/err.h"
#include "crypto/ballot.h"
#include "crypto/checks.h"
#include "crypto/dleq.h"
#include "crypto/group.h"
#include "crypto/hash.h"
#include "crypto/shuffle.h"
#ifdef CONFIG_CRYPTO_OPENSSL
#include "crypto/ossl.h"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FZ_N 3
#define FZ_DLEQ_LEN (3 * GROUP_POINT_LEN + 32 + 2 + GROUP_POINT_LEN + DLEQ_PROOF_LEN)

static const struct crypto_checks *fz_mb, *fz_os;
static uint8_t fz_eid[32], fz_rec[BALLOT2_RECORD_LEN], fz_dleq[FZ_DLEQ_LEN];
static struct shuffle_statement fz_st;
/* the inputs, then the parts of the proof (shuffle.h: 453 + 389 N bytes) */
#define FZ_SH_IN (FZ_N * SHUFFLE_CT_LEN)
#define FZ_PARTS (453 + 389 * FZ_N)
static uint8_t fz_sh[FZ_SH_IN + FZ_PARTS], fz_sh_orig[sizeof(fz_sh)];

static void fz_must(int ok)
{
	if (!ok)
		__builtin_trap();
}

static void fz_agree(int a, int b)
{
	if (a != b)
		__builtin_trap(); /* the two implementations disagree */
}

/* --- the shuffle's callbacks over fz_sh ------------------------------------------- */

static int fz_read_inputs(void *ctx, uint32_t first, uint32_t count, uint8_t *out)
{
	(void)ctx;
	memcpy(out, fz_sh + (size_t)first * SHUFFLE_CT_LEN, (size_t)count * SHUFFLE_CT_LEN);
	return 0;
}

static size_t fz_at(enum shuffle_part part, uint32_t first)
{
	return FZ_SH_IN + shuffle_part_offset(part, FZ_N) + (size_t)first * shuffle_part_elem(part);
}

static int fz_write(void *ctx, enum shuffle_part part, uint32_t first, uint32_t count,
		    const uint8_t *d)
{
	(void)ctx;
	memcpy(fz_sh + fz_at(part, first), d, (size_t)count * shuffle_part_elem(part));
	return 0;
}

static int fz_read(void *ctx, enum shuffle_part part, uint32_t first, uint32_t count,
		   uint8_t *out)
{
	(void)ctx;
	memcpy(out, fz_sh + fz_at(part, first), (size_t)count * shuffle_part_elem(part));
	return 0;
}

static const struct shuffle_io fz_io = { NULL, fz_read_inputs, fz_write, fz_read };

/* --- the valid inputs, made once ----------------------------------------------------- */

static void fz_setup_dleq(const uint8_t sk[32], const uint8_t pk[GROUP_POINT_LEN])
{
	static const uint8_t pt[4] = { 1, 0, 2, 0 };
	uint8_t *p = fz_dleq, out[4];
	struct dleq2_statement st;

	memcpy(p, pk, GROUP_POINT_LEN);
	memcpy(p + 65, fz_eid, 32);
	p[97] = 0, p[98] = 7;
	memcpy(p + 99, fz_rec + BALLOT2_OFF_A, 2 * GROUP_POINT_LEN); /* A, B */
	fz_must(ballot2_open(sk, p + 99, p + 164, 4, p + 229, out) == 0 &&
		memcmp(out, pt, 4) == 0);
	st = (struct dleq2_statement){ p, p + 65, 7, p + 99, p + 164, p + 229 };
	fz_must(dleq2_prove(sk, &st, p + 294) == 0);
}

static void fz_setup_shuffle(const uint8_t pk[GROUP_POINT_LEN])
{
	uint8_t k[32], seed[32];

	fz_must(shuffle_part_offset(SHUFFLE_PARTS, FZ_N) == FZ_PARTS);
	memcpy(fz_st.election_id, fz_eid, 32);
	fz_st.scrutin_id = 2;
	fz_st.n = FZ_N;
	memcpy(fz_st.pk, pk, GROUP_POINT_LEN);
	for (uint32_t j = 0; j < 2 * FZ_N; j++) {
		scalar_from_u32(k, 300 + j);
		fz_must(group_mul_base(fz_sh + (size_t)j * GROUP_POINT_LEN, k) == 0);
	}
	hash_sha256("fuzz agree seed", 15, seed);
#ifdef CONFIG_CRYPTO_TEST_SEED
	fz_must(shuffle_prove_seeded(&fz_st, &fz_io, seed, 1) == 0);
#else
	fz_must(0); /* the fuzz build is host-sim's, which has test seeds */
#endif
	memcpy(fz_sh_orig, fz_sh, sizeof(fz_sh));
}

static void fz_setup(void)
{
	static const uint8_t pt[4] = { 1, 0, 2, 0 };
	uint8_t sk[32], pk[GROUP_POINT_LEN], r[32], k[32];

	fz_mb = crypto_checks(CRYPTO_MBEDTLS);
	fz_os = crypto_checks(CRYPTO_OPENSSL); /* NULL without CRYPTO_OPENSSL */
	hash_sha256("fuzz agree election", 19, fz_eid);
	scalar_from_u32(sk, 98765), scalar_from_u32(r, 4321), scalar_from_u32(k, 1234);
	fz_must(group_mul_base(pk, sk) == 0);
	fz_must(ballot2_encrypt_fixed(r, k, pk, fz_eid, 7, pt, 4, fz_rec) == 0);
	fz_setup_dleq(sk, pk);
	fz_setup_shuffle(pk);
}

/* --- the checks ---------------------------------------------------------------------- */

/* XORs the (u16be offset, byte) pairs of d (at most 64) into buf. */
static void fz_mutate(uint8_t *buf, size_t len, const uint8_t *d, size_t n)
{
	for (size_t i = 0; i + 2 < n && i < 3 * 64; i += 3)
		buf[((size_t)d[i] << 8 | d[i + 1]) % len] ^= d[i + 2];
}

static void fz_ballot(const uint8_t *eid, const uint8_t *rec, size_t len)
{
	int want = fz_mb->ballot_check(eid, rec, len);

	if (len == sizeof(fz_rec) && memcmp(rec, fz_rec, len) == 0 &&
	    memcmp(eid, fz_eid, 32) == 0 && want != 0)
		__builtin_trap(); /* the original refused */
	if (fz_os != NULL)
		fz_agree(fz_os->ballot_check(eid, rec, len), want);
}

static void fz_open(const uint8_t *S, const uint8_t *B, size_t pt_len)
{
	uint8_t a[PTENC_PT_MAX], b[PTENC_PT_MAX];
	int want = fz_mb->open_point(S, B, pt_len, a), got;

	if (fz_os == NULL)
		return;
	got = fz_os->open_point(S, B, pt_len, b);
	fz_agree(got, want);
	if ((want == 0 || want == ERR_VERIFY) && memcmp(a, b, pt_len) != 0)
		__builtin_trap();
}

static void fz_dleq_check(const uint8_t *d, size_t n)
{
	uint8_t buf[FZ_DLEQ_LEN];
	struct dleq2_statement st = { buf, buf + 65, 0, buf + 99, buf + 164, buf + 229 };
	int want;

	memcpy(buf, fz_dleq, sizeof(buf));
	fz_mutate(buf, sizeof(buf), d, n);
	st.scrutin_id = (uint16_t)(buf[97] << 8 | buf[98]);
	want = fz_mb->dleq_verify(&st, buf + 294);
	if (memcmp(buf, fz_dleq, sizeof(buf)) == 0 && want != 0)
		__builtin_trap(); /* the original refused */
	if (fz_os != NULL)
		fz_agree(fz_os->dleq_verify(&st, buf + 294), want);
	fz_open(st.S, st.B, 1 + buf[293] % PTENC_PT_MAX);
}

static void fz_shuffle(uint8_t sel, const uint8_t *d, size_t n)
{
	unsigned jobs = 1 + (sel >> 4 & 1);
	int want;

	fz_mutate(fz_sh, sizeof(fz_sh), d, n);
#ifdef CONFIG_CRYPTO_TEST_SEED
	shuffle_test_window = sel & 0x20 ? 8 : 2048;
#endif
	want = fz_mb->shuffle_verify(&fz_st, &fz_io, jobs);
	if (memcmp(fz_sh, fz_sh_orig, sizeof(fz_sh)) == 0 && want != 0)
		__builtin_trap();
	if (memcmp(fz_sh, fz_sh_orig, sizeof(fz_sh)) != 0 && want == 0)
		__builtin_trap(); /* a changed proof verified */
	if (fz_os != NULL)
		fz_agree(fz_os->shuffle_verify(&fz_st, &fz_io, jobs), want);
#ifdef CONFIG_CRYPTO_OPENSSL
	fz_agree(shuffle_verify_ossl_with(&fz_st, &fz_io, jobs, SHUFFLE_OSSL_SERIAL), want);
#endif
	memcpy(fz_sh, fz_sh_orig, sizeof(fz_sh));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t rec[BALLOT2_RECORD_LEN];

	if (fz_mb == NULL)
		fz_setup();
	if (size == 0)
		return 0;
	switch (data[0] % 5) {
	case 0:
		if (size >= 33)
			fz_ballot(data + 1, data + 33, size - 33);
		break;
	case 1:
		memcpy(rec, fz_rec, sizeof(rec));
		fz_mutate(rec, sizeof(rec), data + 1, size - 1);
		fz_ballot(fz_eid, rec, sizeof(rec));
		break;
	case 2:
		fz_dleq_check(data + 1, size - 1);
		break;
	case 3:
		fz_shuffle(data[0], data + 1, size - 1);
		break;
	default:
		if (size >= 2 + 2 * GROUP_POINT_LEN)
			fz_open(data + 2, data + 2 + GROUP_POINT_LEN, 1 + data[1] % PTENC_PT_MAX);
		break;
	}
	return 0;
}
