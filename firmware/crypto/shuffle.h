/*
 * The verifiable re-encryption shuffle of Sceau v2 (docs/SHUFFLE-V2-NOTES.md
 * has the formulas as implemented; the normative text is the spec's
 * sections 3 to 5): the box re-encrypts and permutes the N ballots of a
 * scrutin and proves it (Terelius-Wikstrom, as in Haenni, Locher, Koenig,
 * Dubuis 2017, GenShuffleProof / CheckShuffleProof, written additively);
 * anyone checks the proof with the public key alone.
 *
 * Streaming: the inputs are read, and the outputs and the proof written or
 * read, through callbacks, a window of indices at a time, so that memory
 * does not grow with N except the permutation (4 bytes per ballot, locked).
 * The callbacks run on the calling thread only, never two at once; the
 * multiplications run on a pool of `jobs` threads (0: one per core).
 *
 * Secrets: the permutation, the re-encryption scalars and every secret of
 * the proof derive from one 32-byte seed drawn from the caller's DRBG (a
 * PRF per index, so that nothing per ballot is stored), live in locked
 * memory, and are wiped before shuffle_prove returns, whatever it returns.
 * Nothing of them is ever passed to a callback, an error detail or a log.
 */
#ifndef SCEAU_CRYPTO_SHUFFLE_H
#define SCEAU_CRYPTO_SHUFFLE_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/group.h"

/* A ciphertext: A (65) || B (65). */
#define SHUFFLE_CT_LEN (2 * GROUP_POINT_LEN)
/* Ballots per shuffle: the permutation alone is 4 bytes each, locked. */
#define SHUFFLE_MAX_N 10000000u

struct rng;

/* What the proof is about; N >= 1 (an empty scrutin has no shuffle). */
struct shuffle_statement {
	uint8_t election_id[32];
	uint16_t scrutin_id;
	uint8_t pk[GROUP_POINT_LEN];
	uint32_t n;
};

/*
 * The parts of the shuffled list and its proof, in the order of the file
 * (and of the writes): each part holds count(part, N) elements of
 * elem(part) bytes. OUT: A'_i || B'_i; C: C_j; CHAT: C^_i; T: t1 || t2 ||
 * t3 || tA || tB (one element); THAT: t^_i; S: s1 || s2 || s3 || s4 (one
 * element); SHAT: s^_i; SPRIME: s'_i.
 */
enum shuffle_part {
	SHUFFLE_OUT,
	SHUFFLE_C,
	SHUFFLE_CHAT,
	SHUFFLE_T,
	SHUFFLE_THAT,
	SHUFFLE_S,
	SHUFFLE_SHAT,
	SHUFFLE_SPRIME,
	SHUFFLE_PARTS
};

size_t shuffle_part_elem(enum shuffle_part part);
uint32_t shuffle_part_count(enum shuffle_part part, uint32_t n);
/* Offset of a part from the first byte of OUT; with part = SHUFFLE_PARTS,
 * the size of all parts together (the file adds its header). */
uint64_t shuffle_part_offset(enum shuffle_part part, uint32_t n);

/*
 * read_inputs: the input ciphertexts e_first .. e_first+count-1 (indices
 * from 0, in urn order), SHUFFLE_CT_LEN bytes each. The prover also asks
 * for them one at a time in a secret order: do not log the calls.
 * write (prover): elements first .. first+count-1 of part; the calls come
 * in file order, each part from element 0 to the last, so a plain append
 * writes the file. The caller must discard everything written if
 * shuffle_prove fails.
 * read (verifier): elements first .. first+count-1 of part, any order.
 * Each returns 0 or an ERR_* code, which the shuffle then returns.
 */
struct shuffle_io {
	void *ctx;
	int (*read_inputs)(void *ctx, uint32_t first, uint32_t count, uint8_t *out);
	int (*write)(void *ctx, enum shuffle_part part, uint32_t first, uint32_t count,
		     const uint8_t *data);
	int (*read)(void *ctx, enum shuffle_part part, uint32_t first, uint32_t count,
		    uint8_t *out);
};

/*
 * Shuffles and proves. rng: the box's DRBG, which gives the 32-byte seed.
 * 0, ERR_RANGE (N = 0 or above SHUFFLE_MAX_N), ERR_FORMAT (an invalid PK or
 * input point), ERR_NOMEM (no locked memory), ERR_CRYPTO (including the
 * draws of probability about 2^-250 that give the point at infinity, where
 * the spec draws again: the caller discards the output and runs it again),
 * or what a callback returned.
 */
int shuffle_prove(const struct shuffle_statement *st, const struct shuffle_io *io,
		  struct rng *rng, unsigned jobs);

/*
 * Checks the proof in full (every equation of the spec's section 5; the t^_i
 * one by one). 0 if it holds; ERR_VERIFY if an equation fails, ERR_FORMAT if
 * a point of the file is not on the curve or a scalar not below n (the
 * detail names the part and the index); ERR_RANGE; ERR_NOMEM; or what a
 * callback returned.
 */
int shuffle_verify(const struct shuffle_statement *st, const struct shuffle_io *io,
		   unsigned jobs);

/* The proof's generators: h (index 0) and h_i (index i = 1..N), RFC 9380
 * hash_to_curve of election_id || u16be(scrutin_id) || u32be(index). */
int shuffle_generator(const uint8_t election_id[32], uint16_t scrutin_id, uint32_t index,
		      uint8_t out[GROUP_POINT_LEN]);

#ifdef CONFIG_CRYPTO_TEST_SEED
/*
 * Tests only (crypto/Kconfig: never on a box). The prover from a given
 * seed, so that its output is fixed (known-answer tests); the permutation
 * a seed gives (psi[i] = the input that goes to output i); a per-index
 * secret (which: 0 r'_j, 1 r_j, 2 r^_i, 3 w^_i, 4 w'_i, 5 w_k; index from 0);
 * and a hook called on each locked buffer right after it is wiped, before
 * it is released.
 */
int shuffle_prove_seeded(const struct shuffle_statement *st, const struct shuffle_io *io,
			 const uint8_t seed[32], unsigned jobs);
int shuffle_test_permutation(const uint8_t seed[32], uint32_t *psi, uint32_t n);
int shuffle_test_secret(const uint8_t seed[32], int which, uint32_t index, uint8_t out[32]);
extern void (*shuffle_test_wiped)(const void *buf, size_t len);
/* Indices per window (a multiple of 8, at most 2048): small windows let a
 * test cross window boundaries with a few ballots. */
extern uint32_t shuffle_test_window;
#endif

#endif
