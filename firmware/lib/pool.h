/*
 * A fixed set of worker threads running one function over the indices of
 * a batch: pool_run(p, n) has fn(arg, i) called once for each i in 0..n-1,
 * spread over the threads (an atomic counter hands out the indices), and
 * returns at once; pool_wait() returns when the whole batch is done. One
 * batch at a time. The decryption (session/decrypt.c) and the verifier's proof
 * checks (verify/verify_proofs.c) run on it.
 *
 * Threads get small stacks (POOL_STACK): the box locks all its memory
 * (mlockall), and a default 8 MiB stack would pin 8 MiB per thread.
 */
#ifndef SCEAU_LIB_POOL_H
#define SCEAU_LIB_POOL_H

#define POOL_STACK (512u << 10)

typedef void (*pool_fn)(void *arg, unsigned i);

struct pool;

/* jobs threads (0: one). Fails only if not a single thread starts; fewer
 * than asked is not an error (pool_threads says how many run). */
int pool_start(unsigned jobs, pool_fn fn, void *arg, struct pool **out);
void pool_run(struct pool *p, unsigned n);
void pool_wait(struct pool *p);
unsigned pool_threads(const struct pool *p);
void pool_stop(struct pool *p); /* NULL ok */
/* Online cores (at least 1): the default number of jobs. */
unsigned pool_default_jobs(void);

#endif
