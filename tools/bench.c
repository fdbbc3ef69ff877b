/*
 * sceau-bench: the raw mbedTLS P-256 rates of this machine, measured with
 * group_bench_raw (mbedtls_ecp_mul directly, no Sceau code around it), so
 * that `make bench` can report the pipeline's speed as a ratio to the bound
 * the hardware allows:
 *   per-ballot time t = 2 / var_rate + 1 / fixed_rate   (open + prove)
 *   bound = jobs / t ballots per second
 * and the raw SHA-256 rate (hash_bench_raw: mbedtls_sha256 directly), the
 * bound of the import, which must hash every byte it reads.
 *   sceau-bench raw [--jobs N] [--count K]
 * prints key=value lines (rates per thread, measured with N threads busy).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "crypto/group.h"
#include "crypto/hash.h"

struct bench_arg {
	unsigned count;
	int base;
	int ret;
};

#define BENCH_SHA_MIB 64

static void *bench_thread(void *p)
{
	struct bench_arg *a = p;

	a->ret = a->base < 2 ? group_bench_raw(a->count, a->base)
			     : hash_bench_raw(BENCH_SHA_MIB);
	return NULL;
}

static double bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Multiplications (base 0: variable, 1: fixed) or, base 2, MiB of SHA-256
 * per second per thread, with jobs threads at once. */
static double bench_rate(unsigned jobs, unsigned count, int base)
{
	pthread_t t[256];
	struct bench_arg a[256];
	double t0, t1;

	if (base < 2)
		group_bench_raw(8, base); /* warm the per-thread tables */
	else
		count = BENCH_SHA_MIB;
	t0 = bench_now();
	for (unsigned i = 0; i < jobs; i++) {
		a[i] = (struct bench_arg){ count, base, 0 };
		pthread_create(&t[i], NULL, bench_thread, &a[i]);
	}
	for (unsigned i = 0; i < jobs; i++)
		pthread_join(t[i], NULL);
	t1 = bench_now();
	for (unsigned i = 0; i < jobs; i++)
		if (a[i].ret != 0) {
			fprintf(stderr, "sceau-bench: raw rate failed (%d)\n", a[i].ret);
			exit(1);
		}
	return (double)count / (t1 - t0);
}

int main(int argc, char **argv)
{
	unsigned jobs = (unsigned)sysconf(_SC_NPROCESSORS_ONLN), count = 2000;
	double var1, fix1, varn, fixn, sha1, shan;

	if (argc < 2 || strcmp(argv[1], "raw") != 0) {
		fprintf(stderr, "usage: sceau-bench raw [--jobs N] [--count K]\n");
		return 2;
	}
	for (int i = 2; i + 1 < argc; i += 2) {
		unsigned long v = strtoul(argv[i + 1], NULL, 10);
		if (strcmp(argv[i], "--jobs") == 0 && v >= 1 && v <= 256)
			jobs = (unsigned)v;
		else if (strcmp(argv[i], "--count") == 0 && v >= 10 && v <= 10000000)
			count = (unsigned)v;
		else
			return 2;
	}
	var1 = bench_rate(1, count, 0);
	fix1 = bench_rate(1, count, 1);
	varn = bench_rate(jobs, count, 0);
	fixn = bench_rate(jobs, count, 1);
	sha1 = bench_rate(1, 0, 2) * 1.048576;
	shan = bench_rate(jobs, 0, 2) * 1.048576;
	printf("jobs=%u\n", jobs);
	printf("raw_var_per_s_1=%.1f\nraw_fixed_per_s_1=%.1f\n", var1, fix1);
	printf("raw_var_per_s_per_thread=%.1f\nraw_fixed_per_s_per_thread=%.1f\n", varn, fixn);
	printf("bound_1=%.1f\n", 1.0 / (2.0 / var1 + 1.0 / fix1));
	printf("bound_jobs=%.1f\n", (double)jobs / (2.0 / varn + 1.0 / fixn));
	printf("raw_sha256_mb_per_s_1=%.1f\nraw_sha256_mb_per_s_per_thread=%.1f\n", sha1, shan);
	return 0;
}
