/*
 * Shared by shuffle_common.c, shuffle_secret.c, shuffle_prove.c and
 * shuffle_verify.c only: the window machinery (a window of indices is cut
 * into chunks, one pool task each; each task adds into one of the per-thread
 * accumulator slots), the tagged-hash stream, the challenges u_j and the
 * per-index secrets.
 */
#ifndef SCEAU_CRYPTO_SHUFFLE_INT_H
#define SCEAU_CRYPTO_SHUFFLE_INT_H

#include <pthread.h>
#include <stdint.h>

#include <mbedtls/bignum.h>
#include <mbedtls/ecp.h>

#include "crypto/hash.h"
#include "crypto/shuffle.h"

/* Indices per pool task: the chains of the prover run a chunk in sequence,
 * and the last task of a window bounds the idle time of the others. */
#define SH_CHUNK 8u
/* Indices per window: what the calling thread reads, then the pool
 * computes, then the calling thread hashes and writes. */
#define SH_WINDOW 2048u
#define SH_CHUNKS (SH_WINDOW / SH_CHUNK)
#define SH_ACC 5 /* point sums per slot */
#define SH_SUM 3 /* scalar sums (mod n) per slot */

#define SH_TAG_STATEMENT "sceau/shuffle/v2/statement"
#define SH_TAG_U "sceau/shuffle/v2/u"
#define SH_TAG_CHALLENGE "sceau/shuffle/v2/challenge"

/* The per-index secrets, each a PRF of the seed (shuffle_secret.c). */
enum sh_secret {
	SH_RPRIME,     /* r'_j, re-encryption of input j */
	SH_R,          /* r_j, commitment to the permutation */
	SH_RHAT,       /* r^_i, commitment chain */
	SH_OMEGA_HAT,  /* w^_i */
	SH_OMEGA_PRIME,/* w'_i */
	SH_OMEGA,      /* w_1..w_4 (index 0..3) */
};

/* One thread's sums; which sum means what is the pass's business. */
struct sh_slot {
	mbedtls_ecp_point acc[SH_ACC];
	mbedtls_mpi sum[SH_SUM];
	int busy;
};

struct sh_run;
/* A task: count (<= SH_CHUNK) indices from first, chunk number k in the
 * window; adds into slot. 0 or ERR_*. */
typedef int (*sh_task_fn)(struct sh_run *run, struct sh_slot *slot, uint32_t k,
			  uint32_t first, uint32_t count);

struct sh_run {
	const struct shuffle_statement *st;
	const struct shuffle_io *io;
	struct pool *pool;
	pthread_mutex_t mu;
	struct sh_slot *slots;
	unsigned nslots;
	uint32_t w_first, w_count; /* the current window */
	sh_task_fn task;
	void *pass;                /* the pass's state, for its tasks */
	int ret;                   /* the first failure of a task */
	char detail[160];
	uint8_t h[GROUP_POINT_LEN]; /* the generator h (index 0) */
};

/* The indices per window: SH_WINDOW, or what a test asked for
 * (shuffle_test_window) to cross window boundaries with few ballots. */
uint32_t sh_window_len(void);

/* Starts the pool and the slots (zero sums); sh_run_end releases them. */
int sh_run_begin(struct sh_run *run, const struct shuffle_statement *st,
		 const struct shuffle_io *io, unsigned jobs);
void sh_run_end(struct sh_run *run);
/* Runs task over the indices first .. first+count-1 (count <= SH_WINDOW). */
int sh_window(struct sh_run *run, uint32_t first, uint32_t count, sh_task_fn task);
/* Sums every slot's acc[a] into *out (a new point). */
int sh_slots_acc(struct sh_run *run, int a, mbedtls_ecp_point *out);
/* Sets every slot's sum[s] to v (they start at 0). */
int sh_slots_set(struct sh_run *run, int s, int v);
/* Sums (mode 0) or multiplies (mode 1) every slot's sum[s] into *out, mod n. */
int sh_slots_sum(struct sh_run *run, int s, int mode, mbedtls_mpi *out);
/* A task records a failure here (first one wins), with its thread's detail. */
void sh_fail(struct sh_run *run, int ret);

/* Checks the statement: 1 <= N <= SHUFFLE_MAX_N, PK a valid point. */
int sh_statement_check(const struct shuffle_statement *st);

/* The tagged hash as a stream: the tag, then each part with its length. */
int sh_hash_begin(struct hash_ctx **h, const char *tag);
int sh_hash_part(struct hash_ctx *h, const void *data, size_t len);
/* The statement's first parts: election_id, u16be(scrutin_id), PK, u32be(N). */
int sh_hash_statement(struct hash_ctx *h, const struct shuffle_statement *st);
/* bytes / 65 points laid end to end, one part per point. */
int sh_hash_points(struct hash_ctx *h, const uint8_t *data, size_t bytes);
/* The inputs, in order, one part per point (the statement's next parts);
 * buf holds a window of inputs. */
int sh_hash_inputs(struct sh_run *run, struct hash_ctx *h, uint8_t *buf);
/* x = the 32-byte digest d read big-endian, mod n. */
int sh_scalar_from_hash(mbedtls_mpi *x, const uint8_t d[32]);
/* u_j = Hn(SH_TAG_U; seed, u32be(j)), j from 1. */
int sh_challenge_u(const mbedtls_ecp_group *grp, const uint8_t seed[32], uint32_t j,
		   mbedtls_mpi *u);

/* r = a*b, a+b, a-b mod n (r may alias a or b). */
int sh_mul(const mbedtls_ecp_group *grp, mbedtls_mpi *r, const mbedtls_mpi *a,
	   const mbedtls_mpi *b);
int sh_add(const mbedtls_ecp_group *grp, mbedtls_mpi *r, const mbedtls_mpi *a,
	   const mbedtls_mpi *b);
int sh_sub(const mbedtls_ecp_group *grp, mbedtls_mpi *r, const mbedtls_mpi *a,
	   const mbedtls_mpi *b);
/* r = -a mod n (r may alias a). */
int sh_neg(const mbedtls_ecp_group *grp, mbedtls_mpi *r, const mbedtls_mpi *a);

/* A point of the proof or of the inputs; `what` and index name it in the
 * detail if it is not on the curve (ERR_FORMAT). */
int sh_point_read(const mbedtls_ecp_group *grp, mbedtls_ecp_point *p, const uint8_t *in,
		  const char *what, uint32_t index);
/* A finite point; ERR_CRYPTO for the point at infinity (the prover's draws
 * of negligible probability). */
int sh_point_write(const mbedtls_ecp_group *grp, const mbedtls_ecp_point *p, uint8_t *out);
/* The generator of index i as a point. */
int sh_generator(const mbedtls_ecp_group *grp, const struct shuffle_statement *st, uint32_t i,
		 mbedtls_ecp_point *p);

/* The secret `which` of index i: a PRF of the seed, uniform in [1, n-1]. */
int sh_secret(const uint8_t seed[32], enum sh_secret which, uint32_t index, mbedtls_mpi *out);
/* psi: a uniformly random permutation of 0..n-1 from the seed (Fisher-Yates,
 * rejection sampling). */
int sh_permutation(const uint8_t seed[32], uint32_t *psi, uint32_t n);
/* In place: psi becomes its inverse (n < 2^31: the top bit marks). */
void sh_invert(uint32_t *psi, uint32_t n);
/* Wipes, shows the test hook, releases (NULL ok). */
void sh_secmem_free(void *p, size_t len);

#endif
