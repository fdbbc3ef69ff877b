/*
 * Checking a random sample of the decryption proofs instead of all of them
 * (sceau-verify --sample N): a uniform sample of exactly N of the n ballots,
 * drawn in one pass in urn order by selection sampling (Knuth, TAOCP vol. 2,
 * 3.4.2, Algorithm S) from a seeded generator (splitmix64, rejection for
 * exact uniformity), so that a seed always selects the same ballots. If k
 * of the n ballots were altered, the sample misses all of them with
 * probability C(n-k, N) / C(n, N) (hypergeometric), so it detects at least
 * one with probability 1 - C(n-k, N) / C(n, N).
 */
#ifndef SCEAU_VERIFY_VERIFY_SAMPLE_H
#define SCEAU_VERIFY_VERIFY_SAMPLE_H

#include <stdint.h>

struct vsample {
	uint64_t n, want, seen, chosen;
	uint64_t state;
};

/* want = 0 or want >= n: every element is taken. */
void vsample_init(struct vsample *s, uint64_t n, uint64_t want, uint64_t seed);
/* 1 if the next element is in the sample, 0 if not. */
int vsample_take(struct vsample *s);

/* 1 - C(n-k, N) / C(n, N): the probability that a uniform sample of N of n
 * ballots contains at least one of k altered ones (1 if N > n - k). */
long double verify_detect_prob(uint64_t n, uint64_t sample, uint64_t k);

/* A seed from the kernel (getrandom). */
int verify_seed_random(uint64_t *seed);

#endif
