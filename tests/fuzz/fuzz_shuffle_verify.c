/* libFuzzer target: the shuffle verifier (crypto/shuffle_verify.c) on a
 * proof of 2 ballots made once with a fixed seed, changed by the input: a
 * list of (u16be offset, xor byte) pairs over the inputs and the proof, and
 * a first byte whose low bits pick the number of threads and the window.
 * Whatever the bytes, the verifier must return (no crash, no hang), and
 * it must refuse the proof as soon as a byte differs from the original: a
 * malformed point or scalar, or an equation that no longer holds. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/group.h"
#include "crypto/hash.h"
#include "crypto/shuffle.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FZ_N 2

static struct shuffle_statement fz_st;
static uint8_t fz_in[FZ_N * SHUFFLE_CT_LEN], *fz_proof, *fz_orig_in, *fz_orig_proof;
static size_t fz_len, fz_written;

static int fz_read_inputs(void *ctx, uint32_t first, uint32_t count, uint8_t *out)
{
	(void)ctx;
	memcpy(out, fz_in + (size_t)first * SHUFFLE_CT_LEN, (size_t)count * SHUFFLE_CT_LEN);
	return 0;
}

static int fz_write(void *ctx, enum shuffle_part part, uint32_t first, uint32_t count,
		    const uint8_t *d)
{
	size_t at = shuffle_part_offset(part, FZ_N) + (size_t)first * shuffle_part_elem(part);

	(void)ctx;
	memcpy(fz_proof + at, d, (size_t)count * shuffle_part_elem(part));
	fz_written += (size_t)count * shuffle_part_elem(part);
	return 0;
}

static int fz_read(void *ctx, enum shuffle_part part, uint32_t first, uint32_t count,
		   uint8_t *out)
{
	size_t at = shuffle_part_offset(part, FZ_N) + (size_t)first * shuffle_part_elem(part);

	(void)ctx;
	memcpy(out, fz_proof + at, (size_t)count * shuffle_part_elem(part));
	return 0;
}

static const struct shuffle_io fz_io = { NULL, fz_read_inputs, fz_write, fz_read };

/* The statement and a valid proof, made once. */
static void fz_setup(void)
{
	uint8_t k[32], seed[32];

	hash_sha256("fuzz election", 13, fz_st.election_id);
	fz_st.scrutin_id = 1;
	fz_st.n = FZ_N;
	scalar_from_u32(k, 1234);
	if (group_mul_base(fz_st.pk, k) != 0)
		__builtin_trap();
	for (uint32_t j = 0; j < 2 * FZ_N; j++) {
		scalar_from_u32(k, 100 + j);
		if (group_mul_base(fz_in + (size_t)j * GROUP_POINT_LEN, k) != 0)
			__builtin_trap();
	}
	fz_len = shuffle_part_offset(SHUFFLE_PARTS, FZ_N);
	fz_proof = calloc(1, fz_len);
	fz_orig_proof = malloc(fz_len);
	fz_orig_in = malloc(sizeof(fz_in));
	hash_sha256("fuzz seed", 9, seed);
	if (!fz_proof || !fz_orig_proof || !fz_orig_in ||
	    shuffle_prove_seeded(&fz_st, &fz_io, seed, 1) != 0 || fz_written != fz_len ||
	    shuffle_verify(&fz_st, &fz_io, 1) != 0)
		__builtin_trap();
	memcpy(fz_orig_proof, fz_proof, fz_len);
	memcpy(fz_orig_in, fz_in, sizeof(fz_in));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t total;
	int changed, ret;

	if (fz_proof == NULL)
		fz_setup();
	if (size == 0)
		return 0;
	total = sizeof(fz_in) + fz_len;
	for (size_t i = 1; i + 2 < size && i < 1 + 3 * 64; i += 3) {
		size_t off = ((size_t)data[i] << 8 | data[i + 1]) % total;

		if (off < sizeof(fz_in))
			fz_in[off] ^= data[i + 2];
		else
			fz_proof[off - sizeof(fz_in)] ^= data[i + 2];
	}
	changed = memcmp(fz_in, fz_orig_in, sizeof(fz_in)) != 0 ||
		  memcmp(fz_proof, fz_orig_proof, fz_len) != 0;
	shuffle_test_window = data[0] & 2 ? 8 : 2048;
	ret = shuffle_verify(&fz_st, &fz_io, 1 + (data[0] & 1));
	if (changed && ret == 0)
		__builtin_trap(); /* a changed proof verified */
	if (!changed && ret != 0)
		__builtin_trap(); /* the original was refused */
	memcpy(fz_proof, fz_orig_proof, fz_len);
	memcpy(fz_in, fz_orig_in, sizeof(fz_in));
	return 0;
}
