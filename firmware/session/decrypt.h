/*
 * The decryption engine of the count: every ballot of the session opened
 * with the rebuilt key and proven (DLEQ), on all cores, streaming from the
 * store in batches (memory does not grow with the urn), results written in
 * urn order so the output is the same whatever the number of threads. It
 * resumes after the last ballot already decrypted, and stops cleanly
 * between two batches when check() says so (cards pulled, a signal).
 */
#ifndef SCEAU_SESSION_DECRYPT_H
#define SCEAU_SESSION_DECRYPT_H

#include <stdint.h>

struct store;

#define DECRYPT_BATCH_PER_JOB 512

struct decrypt_job {
	const uint8_t *secret;      /* 32 bytes, locked; read-only here */
	const uint8_t *pk;          /* 65 bytes */
	const uint8_t *election_id; /* 32 bytes */
	unsigned jobs;              /* worker threads, >= 1 */
	int proofs;                 /* prove each decryption (CONFIG_PROOFS) */
	struct store *db;
	uint64_t total;             /* ballots in the session, for progress */
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
