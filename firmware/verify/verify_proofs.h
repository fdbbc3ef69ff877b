/*
 * Checking decryptions on every core: for each ballot of a shuffled list,
 * the published S and its proof (dleq2_verify with the election key PK and
 * the shuffled ciphertext A', B'), then M = B' - S decoded again
 * (ballot2_open_point) and compared with what the box published (readable
 * or not, the plaintext byte for byte). A pool of threads takes a batch
 * while the caller fills the next one.
 */
#ifndef SCEAU_VERIFY_VERIFY_PROOFS_H
#define SCEAU_VERIFY_VERIFY_PROOFS_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/ballot.h"
#include "crypto/checks.h"
#include "format/decrypted.h"

enum vproof_outcome {
	VPROOF_OK = 0,
	VPROOF_BAD_PROOF,     /* the DLEQ proof does not hold: S is not s·A' */
	VPROOF_OPENED,        /* readable where the box said unreadable, or the reverse */
	VPROOF_PLAINTEXT,     /* opens to another plaintext than the published one */
	VPROOF_ERROR,         /* a crypto call failed */
	VPROOF_NO_CT,         /* no readable shuffled ciphertext to check it against */
};

struct vproof_item {
	uint64_t number;                /* 1-based position in the decrypted file */
	int has_ct;                     /* ct read (else VPROOF_NO_CT) */
	uint8_t ct[130];                /* A' || B', from the shuffle file */
	struct decrypted_ballot d;       /* as published: status, S, proof, plaintext */
	enum vproof_outcome outcome;
};

/* Checks one ballot (any thread) with the implementation ck. */
void verify_proof_one(const struct crypto_checks *ck, const uint8_t pk[65],
		      const uint8_t election_id[32], struct vproof_item *it);

struct vpool;

int vpool_start(unsigned jobs, const struct crypto_checks *ck, const uint8_t pk[65],
		const uint8_t election_id[32], struct vpool **out);
/* Starts checking items[0..n) and returns at once; one batch at a time. */
void vpool_run(struct vpool *p, struct vproof_item *items, unsigned n);
/* Waits until the batch started last is checked. */
void vpool_wait(struct vpool *p);
void vpool_stop(struct vpool *p); /* NULL ok */

#endif
