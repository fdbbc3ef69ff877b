/*
 * The decryption engine of the count: every ciphertext of every scrutin's
 * shuffled list (the OUT part of its shuffle file, format/shuffle_file.h)
 * opened with the rebuilt key, S = s·A', M = B' - S decoded, and proven
 * (DLEQ v2, deterministic: a re-run gives the same bytes), on all cores,
 * streaming in batches (memory does not grow with the urn), results
 * stored by (scrutin, idx) so the output is the same whatever the number
 * of threads. It resumes after the last position already decrypted in
 * each scrutin, and stops cleanly between two batches when check() says
 * so (cards pulled, a signal).
 */
#ifndef SCEAU_SESSION_DECRYPT_H
#define SCEAU_SESSION_DECRYPT_H

#include <stdint.h>

#include "format/election.h"

struct store;

#define DECRYPT_BATCH_PER_JOB 512

/* One scrutin's shuffled list: its file, checked against the session's
 * `shuffles` row (N and SHA-256) before anything is decrypted. */
struct decrypt_list {
	uint16_t scrutin;
	uint32_t n;
	const char *path;
};

struct decrypt_job {
	const uint8_t *secret;      /* 32 bytes, locked; read-only here */
	const uint8_t *pk;          /* 65 bytes */
	const struct election *e;
	unsigned jobs;              /* worker threads, >= 1 */
	int proofs;                 /* prove each decryption (CONFIG_PROOFS) */
	struct store *db;
	const struct decrypt_list *lists; /* in scrutin order */
	unsigned n_lists;
	uint64_t total;             /* ballots in all the lists, for progress */
	int (*check)(void *arg);    /* 0: go on; ERR_*: stop before the next batch */
	void *check_arg;
	void (*progress)(uint64_t done, uint64_t total, void *arg);
	void *progress_arg;
};

/* Decrypts every ballot not yet decrypted. *done: ballots decrypted in all;
 * *threads: worker threads that ran (fewer than j->jobs if the system
 * could not start them all, 0 if none started). */
int decrypt_run(const struct decrypt_job *j, uint64_t *done, unsigned *threads);

#endif
