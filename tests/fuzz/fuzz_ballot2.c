/*
 * libFuzzer target: the check of a v2 ballot record (crypto/ballot.c,
 * ballot2_check), the first thing the box does with each record of an urn.
 * Input: election_id (32 bytes) || record (any length). The check must
 * answer 0, ERR_VERIFY or ERR_FORMAT and nothing else, in bounded time (a
 * fixed number of group operations); ERR_FORMAT for any length but 196. A
 * record it accepts is canonical: its points and scalars, read and written
 * back, give the same bytes. The seeds (tests/fuzz/corpus/ballot2) are the
 * records of tests/data/v2-vectors.json, valid and invalid.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "lib/err.h"
#include "crypto/ballot.h"
#include "crypto/group.h"
#include "crypto/ptenc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Read and written back through mbedTLS (1P + 0G), the point is unchanged. */
static void fuzz_point_canonical(const uint8_t p[GROUP_POINT_LEN])
{
	static const uint8_t zero[GROUP_SCALAR_LEN];
	uint8_t one[GROUP_SCALAR_LEN], out[GROUP_POINT_LEN];

	scalar_from_u32(one, 1);
	if (group_muladd_base(out, zero, one, p) != 0 || memcmp(out, p, sizeof(out)) != 0)
		__builtin_trap();
}

static void fuzz_scalar_canonical(const uint8_t x[GROUP_SCALAR_LEN])
{
	uint8_t out[GROUP_SCALAR_LEN];

	if (scalar_reduce(out, x, GROUP_SCALAR_LEN) != 0 || memcmp(out, x, sizeof(out)) != 0)
		__builtin_trap();
}

static void fuzz_accepted(const uint8_t *rec)
{
	uint8_t trk[BALLOT2_TRACKER_LEN], pt[PTENC_PT_MAX];
	int ret;

	fuzz_point_canonical(rec + BALLOT2_OFF_A);
	fuzz_point_canonical(rec + BALLOT2_OFF_B);
	fuzz_scalar_canonical(rec + BALLOT2_OFF_C);
	fuzz_scalar_canonical(rec + BALLOT2_OFF_Z);
	if (ballot2_tracker(rec, trk) != 0)
		__builtin_trap();
	/* B is a valid point: decoding it as if it were M answers, never fails */
	ret = ptenc_decode(rec + BALLOT2_OFF_B, 1 + rec[BALLOT2_OFF_Z + 31] % PTENC_PT_MAX, pt);
	if (ret != 0 && ret != ERR_VERIFY)
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int ret;

	if (size < 32)
		return 0;
	ret = ballot2_check(data, data + 32, size - 32);
	if (ret != 0 && ret != ERR_VERIFY && ret != ERR_FORMAT)
		__builtin_trap();
	if (size - 32 != BALLOT2_RECORD_LEN && ret != ERR_FORMAT)
		__builtin_trap();
	if (ret == 0)
		fuzz_accepted(data + 32);
	return 0;
}
