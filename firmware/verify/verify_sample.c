/* Seeded uniform sampling and its detection probability; see verify_sample.h. */
#include <string.h>
#include <sys/random.h>

#include "lib/err.h"
#include "lib/splitmix.h"
#include "verify/verify_sample.h"

/* Uniform in [0, bound), bound >= 1, without modulo bias. */
static uint64_t vs_below(struct vsample *s, uint64_t bound)
{
	uint64_t limit = UINT64_MAX - UINT64_MAX % bound, v;

	do
		v = splitmix64(&s->state);
	while (v >= limit);
	return v % bound;
}

void vsample_init(struct vsample *s, uint64_t n, uint64_t want, uint64_t seed)
{
	memset(s, 0, sizeof(*s));
	s->n = n;
	s->want = want == 0 || want > n ? n : want;
	s->state = seed;
}

int vsample_take(struct vsample *s)
{
	uint64_t left = s->n > s->seen ? s->n - s->seen : 0;
	int take;

	s->seen++;
	if (left == 0 || s->chosen == s->want)
		return 0;
	/* Chosen with probability (want - chosen) / left: Algorithm S. */
	take = s->want == s->n || vs_below(s, left) < s->want - s->chosen;
	s->chosen += (uint64_t)take;
	return take;
}

/* C(n-k, N) / C(n, N) = C(n-N, k) / C(n, k) = prod_{i<k} (n-N-i) / (n-i):
 * k factors, each in [0, 1]. */
long double verify_detect_prob(uint64_t n, uint64_t sample, uint64_t k)
{
	long double miss = 1.0L;

	if (k == 0 || n == 0)
		return 0.0L;
	if (k > n)
		k = n;
	if (sample >= n || sample > n - k)
		return 1.0L;
	for (uint64_t i = 0; i < k && miss > 0.0L; i++)
		miss *= (long double)(n - sample - i) / (long double)(n - i);
	return 1.0L - miss;
}

int verify_seed_random(uint64_t *seed)
{
	if (getrandom(seed, sizeof(*seed), 0) != (ssize_t)sizeof(*seed)) {
		err_detail("getrandom failed");
		return ERR_IO;
	}
	return 0;
}
