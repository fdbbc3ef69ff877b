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
 *
 *   sceau-bench msm [--terms N] [--jobs J]
 * times the two forms of crypto/msm.h's sum on N terms split over J
 * threads, against the raw rates measured in the same run;
 *   sceau-bench shuffle [--n N] [--jobs J]
 * proves and verifies a shuffle of N ballots (crypto/shuffle.h) and reports
 * each as a ratio to the bound its operation count and the raw rates give
 * (docs/SHUFFLE-V2-NOTES.md, "Performance");
 *   sceau-bench shuffle-check [--n N] [--jobs J] [--dir D] [--files P]
 *                             [--backend B]...
 * proves a shuffle of N ballots once (mbedTLS, or reuses P.in and P.proof
 * from an earlier run) and times the verifier's check of it with each
 * implementation of crypto/checks.h (mbedtls, openssl, openssl-serial);
 *   sceau-bench checks [--n N] [--jobs J] [--backend B]...
 * times the checks of N ballots' proofs of knowledge and of N decryption
 * proofs (with the plaintext each S opens to) with each implementation.
 * Both report wall and CPU time and the load average around each phase
 * (docs/PERFORMANCE.md, "v2 verifier").
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lib/err.h"
#include "lib/opt.h"
#include "lib/pool.h"
#include "crypto/ballot.h"
#include "crypto/checks.h"
#include "crypto/dleq.h"
#include "crypto/group.h"
#include "crypto/h2c.h"
#include "crypto/hash.h"
#include "crypto/msm.h"
#include "crypto/rng.h"
#include "crypto/shuffle.h"
#ifdef CONFIG_CRYPTO_OPENSSL
#include "crypto/ossl.h"
#endif

#define N_ROWS(a) (sizeof(a) / sizeof((a)[0]))
#define BENCH_SHA_MIB 64
#define BENCH_MAX_JOBS 256

/* What a thread of bench_rate runs. */
enum bench_op {
	OP_VAR, OP_FIXED, OP_SHA, OP_ADD, OP_MULADD, OP_FIXED_PUB, OP_H2C,
	/* OpenSSL's (crypto/ossl.h), in the same order as enum ossl_raw */
	OP_OSSL_VAR, OP_OSSL_FIXED, OP_OSSL_MSM, OP_OSSL_ADD, OP_OSSL_H2C,
};

struct bench_arg {
	unsigned count;
	enum bench_op op;
	int ret;
	double cpu; /* the thread's CPU seconds */
};

/* Seconds of CPU used by the calling thread, or by the whole process. */
static double bench_cpu(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int bench_h2c(unsigned count)
{
	uint8_t msg[4] = { 0 }, p[GROUP_POINT_LEN];
	int ret = 0;

	for (unsigned i = 0; i < count && ret == 0; i++) {
		msg[0] = (uint8_t)i;
		msg[1] = (uint8_t)(i >> 8);
		ret = h2c_hash_to_curve(msg, sizeof(msg), "sceau-bench", 11, p);
	}
	return ret;
}

static void *bench_op(struct bench_arg *a);

static void *bench_thread(void *p)
{
	struct bench_arg *a = p;
	double t0 = bench_cpu(CLOCK_THREAD_CPUTIME_ID);

	bench_op(a);
	a->cpu = bench_cpu(CLOCK_THREAD_CPUTIME_ID) - t0;
	return NULL;
}

static void *bench_op(struct bench_arg *a)
{
	switch (a->op) {
	case OP_VAR:
	case OP_FIXED:
		a->ret = group_bench_raw(a->count, a->op == OP_FIXED);
		break;
	case OP_SHA:
		a->ret = hash_bench_raw(BENCH_SHA_MIB);
		break;
	case OP_ADD:
		a->ret = msm_bench_raw(MSM_RAW_ADD, a->count);
		break;
	case OP_MULADD:
		a->ret = msm_bench_raw(MSM_RAW_MULADD, a->count);
		break;
	case OP_FIXED_PUB:
		a->ret = msm_bench_raw(MSM_RAW_FIXED, a->count);
		break;
	case OP_H2C:
		a->ret = bench_h2c(a->count);
		break;
	default:
#ifdef CONFIG_CRYPTO_OPENSSL
		a->ret = ossl_bench_raw((enum ossl_raw)(a->op - OP_OSSL_VAR), a->count);
#else
		a->ret = ERR_INTERNAL;
#endif
		break;
	}
	return NULL;
}

static double bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Operations (or, OP_SHA, MiB of SHA-256) per second per thread, with jobs
 * threads at once; *cpu_rate (if not NULL): per second of the threads' CPU
 * time, which other processes on the machine do not change. */
static double bench_rate_cpu(unsigned jobs, unsigned count, enum bench_op op, double *cpu_rate)
{
	pthread_t t[BENCH_MAX_JOBS];
	struct bench_arg a[BENCH_MAX_JOBS];
	double t0, t1;

	if (op != OP_SHA) { /* warm the per-thread tables */
		struct bench_arg w = { 8, op, 0, 0 };
		bench_op(&w);
	} else {
		count = BENCH_SHA_MIB;
	}
	t0 = bench_now();
	for (unsigned i = 0; i < jobs; i++) {
		a[i] = (struct bench_arg){ count, op, 0, 0 };
		pthread_create(&t[i], NULL, bench_thread, &a[i]);
	}
	for (unsigned i = 0; i < jobs; i++)
		pthread_join(t[i], NULL);
	t1 = bench_now();
	for (unsigned i = 0; i < jobs; i++)
		if (a[i].ret != 0) {
			fprintf(stderr, "sceau-bench: raw rate failed (%d: %s)\n", a[i].ret,
				err_last_detail());
			exit(1);
		}
	if (cpu_rate != NULL) {
		double cpu = 0;

		for (unsigned i = 0; i < jobs; i++)
			cpu += a[i].cpu;
		*cpu_rate = (double)count * jobs / cpu;
	}
	return (double)count / (t1 - t0);
}

static double bench_rate(unsigned jobs, unsigned count, enum bench_op op)
{
	return bench_rate_cpu(jobs, count, op, NULL);
}

static int cmd_raw(int argc, char **argv)
{
	unsigned jobs = (unsigned)sysconf(_SC_NPROCESSORS_ONLN), count = 2000;
	const struct opt opts[] = {
		OPT_NUM("jobs", &jobs, 1, BENCH_MAX_JOBS),
		OPT_NUM("count", &count, 10, 10000000),
	};
	double var1, fix1, varn, fixn, sha1, shan;

	if (opt_parse(argc, argv, opts, N_ROWS(opts)) != 0)
		return 2;
	var1 = bench_rate(1, count, OP_VAR);
	fix1 = bench_rate(1, count, OP_FIXED);
	varn = bench_rate(jobs, count, OP_VAR);
	fixn = bench_rate(jobs, count, OP_FIXED);
	sha1 = bench_rate(1, 0, OP_SHA) * 1.048576;
	shan = bench_rate(jobs, 0, OP_SHA) * 1.048576;
	printf("jobs=%u\n", jobs);
	printf("raw_var_per_s_1=%.1f\nraw_fixed_per_s_1=%.1f\n", var1, fix1);
	printf("raw_var_per_s_per_thread=%.1f\nraw_fixed_per_s_per_thread=%.1f\n", varn, fixn);
	printf("bound_1=%.1f\n", 1.0 / (2.0 / var1 + 1.0 / fix1));
	printf("bound_jobs=%.1f\n", (double)jobs / (2.0 / varn + 1.0 / fixn));
	printf("raw_sha256_mb_per_s_1=%.1f\nraw_sha256_mb_per_s_per_thread=%.1f\n", sha1, shan);
	return 0;
}

/* --- msm ------------------------------------------------------------------ */

struct msm_slice {
	enum msm_method method;
	const uint8_t (*k)[32];
	const uint8_t (*p)[GROUP_POINT_LEN];
	size_t n;
	uint8_t out[GROUP_POINT_LEN];
	int ret;
};

static void *msm_thread(void *arg)
{
	struct msm_slice *s = arg;

	s->ret = msm(s->method, s->out, s->k, s->p, s->n);
	return NULL;
}

/* Seconds for one MSM of n terms split over jobs threads. */
static double msm_time(enum msm_method m, const uint8_t (*k)[32],
		       const uint8_t (*p)[GROUP_POINT_LEN], size_t n, unsigned jobs)
{
	pthread_t t[BENCH_MAX_JOBS];
	struct msm_slice s[BENCH_MAX_JOBS];
	double t0 = bench_now();

	for (unsigned i = 0; i < jobs; i++) {
		size_t lo = n * i / jobs, hi = n * (i + 1) / jobs;

		s[i] = (struct msm_slice){ m, k + lo, p + lo, hi - lo, { 0 }, 0 };
		pthread_create(&t[i], NULL, msm_thread, &s[i]);
	}
	for (unsigned i = 0; i < jobs; i++)
		pthread_join(t[i], NULL);
	for (unsigned i = 0; i < jobs; i++)
		if (s[i].ret != 0) {
			fprintf(stderr, "sceau-bench: msm failed (%d: %s)\n", s[i].ret,
				err_last_detail());
			exit(1);
		}
	return bench_now() - t0;
}

/* n terms: pseudo-random scalars (SHA-256 of the index) on the points
 * P_i = P_{i-1} + D, which cost one addition each to make. */
static int msm_terms(size_t n, uint8_t (*k)[32], uint8_t (*p)[GROUP_POINT_LEN])
{
	uint8_t d[GROUP_POINT_LEN], seed[32];
	uint32_t i32;
	int ret;

	scalar_from_u32(seed, 12345);
	ret = group_mul_base(p[0], seed);
	if (ret == 0)
		ret = group_mul(d, seed, p[0]);
	for (size_t i = 0; i < n && ret == 0; i++) {
		i32 = (uint32_t)i;
		ret = hash_sha256(&i32, sizeof(i32), seed);
		if (ret == 0)
			ret = scalar_reduce(k[i], seed, sizeof(seed));
		if (ret == 0 && i > 0)
			ret = group_add(p[i], p[i - 1], d);
	}
	return ret;
}

static int cmd_msm(int argc, char **argv)
{
	unsigned jobs = (unsigned)sysconf(_SC_NPROCESSORS_ONLN), terms = 1000;
	const struct opt opts[] = {
		OPT_NUM("jobs", &jobs, 1, BENCH_MAX_JOBS),
		OPT_NUM("terms", &terms, 2, 10000000),
	};
	static const char *const names[] = { "naive_mul", "naive_muladd" };
	uint8_t (*k)[32], (*p)[GROUP_POINT_LEN];
	double var, add, muladd, us[2];

	if (opt_parse(argc, argv, opts, N_ROWS(opts)) != 0)
		return 2;
	k = malloc((size_t)terms * sizeof(*k));
	p = malloc((size_t)terms * sizeof(*p));
	if (k == NULL || p == NULL || msm_terms(terms, k, p) != 0) {
		fprintf(stderr, "sceau-bench: msm setup failed\n");
		return 1;
	}
	var = bench_rate(jobs, 1000, OP_VAR);
	add = bench_rate(jobs, 5000, OP_ADD);
	muladd = bench_rate(jobs, 500, OP_MULADD);
	printf("jobs=%u\nterms=%u\n", jobs, terms);
	printf("raw_var_us=%.1f\nraw_add_us=%.1f\nraw_muladd_us_per_term=%.1f\n", 1e6 / var,
	       1e6 / add, 1e6 / muladd / 2);
	for (int m = 0; m < 2; m++) {
		us[m] = msm_time((enum msm_method)m, (const uint8_t(*)[32])k,
				 (const uint8_t(*)[GROUP_POINT_LEN])p, terms, jobs) * 1e6 * jobs / terms;
		printf("msm_%s_us_per_term=%.1f\nmsm_%s_ratio_to_raw_var=%.3f\n", names[m], us[m],
		       names[m], (1e6 / var) / us[m]);
	}
	free(k);
	free(p);
	return 0;
}

/* --- shuffle -------------------------------------------------------------------- */

/* The inputs and the proof in two files (pread/pwrite), so that a million
 * ballots need no memory: the proof file has the layout of
 * docs/SHUFFLE-V2-NOTES.md without its header. */
struct sfile {
	int in, proof;
	uint32_t n;
};

static int sfile_io(int fd, int wr, uint64_t off, void *buf, size_t len)
{
	ssize_t r = wr ? pwrite(fd, buf, len, (off_t)off) : pread(fd, buf, len, (off_t)off);

	return r == (ssize_t)len ? 0 : ERR_IO;
}

static int sfile_read_inputs(void *ctx, uint32_t first, uint32_t count, uint8_t *out)
{
	struct sfile *f = ctx;

	return sfile_io(f->in, 0, (uint64_t)first * SHUFFLE_CT_LEN, out,
			(size_t)count * SHUFFLE_CT_LEN);
}

static int sfile_write(void *ctx, enum shuffle_part part, uint32_t first, uint32_t count,
		       const uint8_t *data)
{
	struct sfile *f = ctx;
	size_t elem = shuffle_part_elem(part);

	return sfile_io(f->proof, 1, shuffle_part_offset(part, f->n) + (uint64_t)first * elem,
			(void *)data, (size_t)count * elem);
}

static int sfile_read(void *ctx, enum shuffle_part part, uint32_t first, uint32_t count,
		      uint8_t *out)
{
	struct sfile *f = ctx;
	size_t elem = shuffle_part_elem(part);

	return sfile_io(f->proof, 0, shuffle_part_offset(part, f->n) + (uint64_t)first * elem,
			out, (size_t)count * elem);
}

/* n valid ciphertexts, cheaply: e_j = e_{j-1} + (D, D') (two additions). */
static int shuffle_inputs(struct sfile *f, const uint8_t pk[GROUP_POINT_LEN])
{
	uint8_t e[SHUFFLE_CT_LEN], d[SHUFFLE_CT_LEN], k[32];
	int ret;

	scalar_from_u32(k, 77);
	ret = group_mul_base(e, k);
	if (ret == 0)
		ret = group_mul(e + GROUP_POINT_LEN, k, pk);
	if (ret == 0)
		ret = group_mul(d, k, e);
	if (ret == 0)
		ret = group_mul(d + GROUP_POINT_LEN, k, e + GROUP_POINT_LEN);
	for (uint32_t j = 0; j < f->n && ret == 0; j++) {
		ret = sfile_io(f->in, 1, (uint64_t)j * SHUFFLE_CT_LEN, e, sizeof(e));
		if (ret == 0)
			ret = group_add(e, e, d);
		if (ret == 0)
			ret = group_add(e + GROUP_POINT_LEN, e + GROUP_POINT_LEN, d + GROUP_POINT_LEN);
	}
	return ret;
}

/* Per-thread rates of everything the shuffle's bound counts: per second
 * of wall time with jobs threads busy, and per second of CPU time. */
struct shuffle_rates {
	double var, fixed, add, muladd, fixed_pub, h2c;
};

static void shuffle_rates(unsigned jobs, struct shuffle_rates *r, struct shuffle_rates *cpu)
{
	r->var = bench_rate_cpu(jobs, 300, OP_VAR, &cpu->var);
	r->fixed = bench_rate_cpu(jobs, 800, OP_FIXED, &cpu->fixed);
	r->add = bench_rate_cpu(jobs, 3000, OP_ADD, &cpu->add);
	r->muladd = bench_rate_cpu(jobs, 150, OP_MULADD, &cpu->muladd);
	r->fixed_pub = bench_rate_cpu(jobs, 800, OP_FIXED_PUB, &cpu->fixed_pub);
	r->h2c = bench_rate_cpu(jobs, 800, OP_H2C, &cpu->h2c);
}

/* Per ballot (docs/SHUFFLE-V2-NOTES.md, "Operation counts"):
 * prove: 4 fixed-base and 6 variable-base blinded multiplications, 8
 * additions, 2 hashes to the curve; verify: 4 two-term muladds, 1 fixed-base
 * muladd, 5 additions, 1 hash to the curve. Seconds per ballot, one thread. */
static double shuffle_bound(const struct shuffle_rates *r, int verify)
{
	if (!verify)
		return 4 / r->fixed + 6 / r->var + 8 / r->add + 2 / r->h2c;
	return 4 / r->muladd + 1 / r->fixed_pub + 5 / r->add + 1 / r->h2c;
}

static void shuffle_print_rates(const char *when, const struct shuffle_rates *r)
{
	printf("raw_%s_us: var=%.1f fixed=%.1f add=%.1f muladd2=%.1f fixed_muladd=%.1f "
	       "h2c=%.1f\n", when, 1e6 / r->var, 1e6 / r->fixed, 1e6 / r->add, 1e6 / r->muladd,
	       1e6 / r->fixed_pub, 1e6 / r->h2c);
}

static void shuffle_mean(struct shuffle_rates *a, const struct shuffle_rates *b)
{
	a->var = (a->var + b->var) / 2, a->fixed = (a->fixed + b->fixed) / 2;
	a->add = (a->add + b->add) / 2, a->muladd = (a->muladd + b->muladd) / 2;
	a->fixed_pub = (a->fixed_pub + b->fixed_pub) / 2, a->h2c = (a->h2c + b->h2c) / 2;
}

static int shuffle_files(struct sfile *f, const char *dir)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/sceau-bench-shuffle-in.XXXXXX", dir);
	f->in = mkstemp(path);
	if (f->in >= 0)
		unlink(path);
	snprintf(path, sizeof(path), "%s/sceau-bench-shuffle-proof.XXXXXX", dir);
	f->proof = mkstemp(path);
	if (f->proof >= 0)
		unlink(path);
	return f->in >= 0 && f->proof >= 0 ? 0 : ERR_IO;
}

/* Wall and CPU seconds of one shuffle_prove or shuffle_verify. */
static int shuffle_timed(const struct shuffle_statement *st, const struct shuffle_io *io,
			 struct rng *rng, unsigned jobs, double *wall, double *cpu)
{
	double w0 = bench_now(), c0 = bench_cpu(CLOCK_PROCESS_CPUTIME_ID);
	int ret = rng != NULL ? shuffle_prove(st, io, rng, jobs) : shuffle_verify(st, io, jobs);

	*wall = bench_now() - w0;
	*cpu = bench_cpu(CLOCK_PROCESS_CPUTIME_ID) - c0;
	if (ret != 0)
		fprintf(stderr, "sceau-bench: shuffle failed (%d: %s)\n", ret, err_last_detail());
	return ret;
}

/* The report: per phase, the wall time against the bound (rates per wall
 * second with all threads busy: what the spec asks, but other processes on a
 * shared machine move it) and the CPU time against the bound in CPU seconds
 * (rates per CPU second: the pipeline's own overhead, whatever the load). */
static void shuffle_report(const char *phase, int verify, unsigned n, unsigned jobs,
			   const struct shuffle_rates *wr, const struct shuffle_rates *cr,
			   double wall, double cpu)
{
	double bw = shuffle_bound(wr, verify) * n / jobs, bc = shuffle_bound(cr, verify) * n;

	printf("%s_s=%.2f\n%s_bound_s=%.2f\n%s_ratio=%.3f\n", phase, wall, phase, bw, phase,
	       bw / wall);
	printf("%s_cpu_s=%.2f\n%s_cpu_bound_s=%.2f\n%s_cpu_ratio=%.3f\n", phase, cpu, phase, bc,
	       phase, bc / cpu);
	printf("%s_cores_used=%.2f\n", phase, cpu / wall);
}

static int cmd_shuffle(int argc, char **argv)
{
	unsigned jobs = (unsigned)sysconf(_SC_NPROCESSORS_ONLN), n = 1000;
	const char *dir = "/tmp";
	const struct opt opts[] = {
		OPT_NUM("jobs", &jobs, 1, BENCH_MAX_JOBS),
		OPT_NUM("n", &n, 1, SHUFFLE_MAX_N),
		OPT_STR("dir", &dir),
	};
	struct shuffle_statement st = { .scrutin_id = 1 };
	struct sfile f = { -1, -1, 0 };
	struct shuffle_io io = { &f, sfile_read_inputs, sfile_write, sfile_read };
	struct shuffle_rates w0, w1, c0, c1;
	struct rusage ru;
	struct rng *rng = NULL;
	uint8_t sk[32];
	double pw, pc, vw, vc;
	int ret;

	if (opt_parse(argc, argv, opts, N_ROWS(opts)) != 0)
		return 2;
	f.n = st.n = n;
	scalar_from_u32(sk, 4242);
	ret = group_mul_base(st.pk, sk);
	if (ret == 0)
		ret = shuffle_files(&f, dir);
	if (ret == 0)
		ret = shuffle_inputs(&f, st.pk);
	if (ret == 0)
		ret = rng_new(&rng, "sceau/bench/shuffle", NULL);
	if (ret != 0) {
		fprintf(stderr, "sceau-bench: shuffle setup failed (%d: %s)\n", ret, err_last_detail());
		return 1;
	}
	shuffle_rates(jobs, &w0, &c0);
	if (shuffle_timed(&st, &io, rng, jobs, &pw, &pc) != 0 ||
	    shuffle_timed(&st, &io, NULL, jobs, &vw, &vc) != 0)
		return 1;
	shuffle_rates(jobs, &w1, &c1);
	getrusage(RUSAGE_SELF, &ru);
	shuffle_print_rates("wall_before", &w0);
	shuffle_print_rates("wall_after", &w1);
	shuffle_print_rates("cpu_before", &c0);
	shuffle_print_rates("cpu_after", &c1);
	shuffle_mean(&w0, &w1);
	shuffle_mean(&c0, &c1);
	printf("jobs=%u\nn=%u\n", jobs, n);
	shuffle_report("prove", 0, n, jobs, &w0, &c0, pw, pc);
	shuffle_report("verify", 1, n, jobs, &w0, &c0, vw, vc);
	printf("proof_bytes=%llu\npeak_rss_mib=%.1f\n",
	       (unsigned long long)shuffle_part_offset(SHUFFLE_PARTS, n), ru.ru_maxrss / 1024.0);
	rng_free(rng);
	close(f.in);
	close(f.proof);
	return 0;
}

/* --- the verifier's checks with each implementation (crypto/checks.h) ------------ */

/* mbedtls, openssl (the shuffle batched), openssl-serial (one t^ equation
 * at a time): the implementations a run compares. */
enum { BK_MBEDTLS, BK_OPENSSL, BK_OPENSSL_SERIAL, BK_N };
static const char *const bk_names[BK_N] = { "mbedtls", "openssl", "openssl-serial" };

/* want[b] = 1 for each implementation named (all this build has if none). */
static int bk_parse(const char **names, unsigned n, int want[BK_N])
{
	for (int b = 0; b < BK_N; b++)
		want[b] = n == 0 && (b == BK_MBEDTLS || crypto_checks(CRYPTO_OPENSSL) != NULL);
	for (unsigned i = 0; i < n; i++) {
		int b = 0;

		while (b < BK_N && strcmp(names[i], bk_names[b]) != 0)
			b++;
		if (b == BK_N || (b != BK_MBEDTLS && crypto_checks(CRYPTO_OPENSSL) == NULL)) {
			fprintf(stderr, "sceau-bench: --backend %s: not in this build (mbedtls%s)\n",
				names[i], crypto_checks(CRYPTO_OPENSSL) ? ", openssl, openssl-serial" : "");
			return ERR_USAGE;
		}
		want[b] = 1;
	}
	return 0;
}

/* The machine, for the report. */
static void bench_machine(unsigned jobs)
{
	char line[256], model[128] = "?";
	FILE *f = fopen("/proc/cpuinfo", "r");

	while (f != NULL && fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, "model name", 10) == 0 && strchr(line, ':') != NULL) {
			snprintf(model, sizeof(model), "%s", strchr(line, ':') + 2);
			model[strcspn(model, "\n")] = 0;
			break;
		}
	if (f != NULL)
		fclose(f);
	printf("cpu=%s\nonline_cpus=%ld\njobs=%u\n", model, sysconf(_SC_NPROCESSORS_ONLN), jobs);
#ifdef CONFIG_CRYPTO_OPENSSL
	printf("openssl=%s\n", ossl_version());
#endif
}

/* One timed phase: wall and CPU seconds of the process, and the 1-minute
 * load average of the machine before and after. */
struct phase {
	double wall, cpu, load0, load1;
};

static void phase_begin(struct phase *p)
{
	if (getloadavg(&p->load0, 1) != 1)
		p->load0 = -1;
	p->wall = bench_now();
	p->cpu = bench_cpu(CLOCK_PROCESS_CPUTIME_ID);
}

static void phase_end(struct phase *p)
{
	p->wall = bench_now() - p->wall;
	p->cpu = bench_cpu(CLOCK_PROCESS_CPUTIME_ID) - p->cpu;
	if (getloadavg(&p->load1, 1) != 1)
		p->load1 = -1;
}

static void phase_print(const char *name, const struct phase *p, unsigned n)
{
	printf("%s_s=%.2f\n%s_cpu_s=%.2f\n%s_cores_used=%.2f\n", name, p->wall, name, p->cpu, name,
	       p->cpu / p->wall);
	printf("%s_us_per_ballot=%.1f\n%s_cpu_us_per_ballot=%.1f\n", name, p->wall * 1e6 / n, name,
	       p->cpu * 1e6 / n);
	printf("%s_load=%.2f..%.2f\n", name, p->load0, p->load1);
}

/* "b over a": how much time b takes for a's, wall and CPU. */
static void phase_ratio(const char *name, const struct phase *b, const struct phase *a)
{
	printf("%s_wall=%.4f\n%s_cpu=%.4f\n", name, b->wall / a->wall, name, b->cpu / a->cpu);
}

/* --- shuffle-check ------------------------------------------------------------------- */

/* P.in and P.proof, kept for a later run: reused (*reuse = 1) when both
 * have the sizes of N ballots, else made anew. */
static int sc_files(struct sfile *f, const char *prefix, int *reuse)
{
	char path[512];
	struct stat a, b;

	snprintf(path, sizeof(path), "%s.in", prefix);
	f->in = open(path, O_RDWR | O_CREAT, 0644);
	snprintf(path, sizeof(path), "%s.proof", prefix);
	f->proof = open(path, O_RDWR | O_CREAT, 0644);
	if (f->in < 0 || f->proof < 0 || fstat(f->in, &a) != 0 || fstat(f->proof, &b) != 0)
		return ERR_IO;
	*reuse = (uint64_t)a.st_size == (uint64_t)f->n * SHUFFLE_CT_LEN &&
		 (uint64_t)b.st_size == shuffle_part_offset(SHUFFLE_PARTS, f->n);
	if (!*reuse && (ftruncate(f->in, 0) != 0 || ftruncate(f->proof, 0) != 0))
		return ERR_IO;
	return 0;
}

static int sc_verify(int b, const struct shuffle_statement *st, const struct shuffle_io *io,
		     unsigned jobs)
{
#ifdef CONFIG_CRYPTO_OPENSSL
	if (b != BK_MBEDTLS)
		return shuffle_verify_ossl_with(st, io, jobs, b == BK_OPENSSL ? SHUFFLE_OSSL_BATCH
									: SHUFFLE_OSSL_SERIAL);
#endif
	return shuffle_verify(st, io, jobs);
}

#ifdef CONFIG_CRYPTO_OPENSSL
/* Per-thread OpenSSL rates with jobs threads busy (wall) and per CPU second. */
struct ossl_rates {
	double var, fixed, msm, add, h2c;
};

static void sc_ossl_rates(unsigned jobs, struct ossl_rates *w, struct ossl_rates *c)
{
	w->var = bench_rate_cpu(jobs, 4000, OP_OSSL_VAR, &c->var);
	w->fixed = bench_rate_cpu(jobs, 20000, OP_OSSL_FIXED, &c->fixed);
	w->msm = bench_rate_cpu(jobs, 16 * OSSL_MSM_TERMS * 32, OP_OSSL_MSM, &c->msm);
	w->add = bench_rate_cpu(jobs, 100000, OP_OSSL_ADD, &c->add);
	w->h2c = bench_rate_cpu(jobs, 4000, OP_OSSL_H2C, &c->h2c);
	printf("ossl_raw_us: var=%.2f fixed=%.2f msm_term=%.2f add=%.3f h2c=%.2f\n", 1e6 / w->var,
	       1e6 / w->fixed, 1e6 / w->msm, 1e6 / w->add, 1e6 / w->h2c);
	printf("ossl_raw_cpu_us: var=%.2f fixed=%.2f msm_term=%.2f add=%.3f h2c=%.2f\n",
	       1e6 / c->var, 1e6 / c->fixed, 1e6 / c->msm, 1e6 / c->add, 1e6 / c->h2c);
}

/* Per ballot, batched (crypto/ossl_shuffle.c): 8 terms of 32-term sums
 * (C, h; A, A'; B, B'; C^, t^), 2 additions (S_C, S_h), 1 hash to the
 * curve; per chunk of 16: one multiple of G and 3 additions. Seconds. */
static double sc_ossl_bound(const struct ossl_rates *r)
{
	return 8 / r->msm + (2 + 3.0 / 16) / r->add + 1 / r->h2c + 1.0 / 16 / r->fixed;
}
#endif

/* The report of one implementation's check; bound_cpu and bound_wall are
 * seconds per ballot on one thread (0: none). */
static void sc_report(int b, const struct phase *p, unsigned n, unsigned jobs, double bw,
		      double bc)
{
	char name[64];

	snprintf(name, sizeof(name), "verify_%s", bk_names[b]);
	for (char *c = name; *c; c++)
		*c = *c == '-' ? '_' : *c;
	phase_print(name, p, n);
	if (bw > 0)
		printf("%s_bound_s=%.2f\n%s_ratio=%.3f\n%s_cpu_bound_s=%.2f\n%s_cpu_ratio=%.3f\n",
		       name, bw * n / jobs, name, bw * n / jobs / p->wall, name, bc * n, name,
		       bc * n / p->cpu);
}

/* Proves (mbedTLS) unless the files hold a proof already. */
static int sc_prepare(struct sfile *f, const char *files, const char *dir,
		      const struct shuffle_statement *st, const struct shuffle_io *io, unsigned jobs)
{
	struct phase p;
	struct rng *rng = NULL;
	int reuse = 0, ret = files ? sc_files(f, files, &reuse) : shuffle_files(f, dir);

	if (ret == 0 && reuse) {
		printf("proof=reused %s.proof\n", files);
		return 0;
	}
	if (ret == 0)
		ret = shuffle_inputs(f, st->pk);
	if (ret == 0)
		ret = rng_new(&rng, "sceau/bench/shuffle-check", NULL);
	phase_begin(&p);
	if (ret == 0)
		ret = shuffle_prove(st, io, rng, jobs);
	phase_end(&p);
	rng_free(rng);
	if (ret == 0)
		phase_print("prove_mbedtls", &p, st->n);
	return ret;
}

static int cmd_shuffle_check(int argc, char **argv)
{
	unsigned jobs = (unsigned)sysconf(_SC_NPROCESSORS_ONLN), n = 1000, nb = 0;
	const char *dir = "/tmp", *files = NULL, *names[BK_N * 2];
	const struct opt opts[] = {
		OPT_NUM("jobs", &jobs, 1, BENCH_MAX_JOBS), OPT_NUM("n", &n, 1, SHUFFLE_MAX_N),
		OPT_STR("dir", &dir), OPT_STR("files", &files),
		OPT_MANY("backend", names, BK_N * 2, &nb),
	};
	struct shuffle_statement st = { .scrutin_id = 1 };
	struct sfile f = { -1, -1, 0 };
	struct shuffle_io io = { &f, sfile_read_inputs, sfile_write, sfile_read };
	struct shuffle_rates mw, mc;
	struct phase p[BK_N];
	uint8_t sk[32];
	int want[BK_N], ret;

	if (opt_parse(argc, argv, opts, N_ROWS(opts)) != 0 || bk_parse(names, nb, want) != 0)
		return 2;
	bench_machine(jobs);
	f.n = st.n = n;
	scalar_from_u32(sk, 4242);
	ret = group_mul_base(st.pk, sk);
	if (ret == 0)
		ret = sc_prepare(&f, files, dir, &st, &io, jobs);
	for (int b = 0; b < BK_N && ret == 0; b++) {
		if (!want[b])
			continue;
		phase_begin(&p[b]);
		ret = sc_verify(b, &st, &io, jobs);
		phase_end(&p[b]);
	}
	if (ret != 0) {
		fprintf(stderr, "sceau-bench: shuffle-check failed (%d: %s)\n", ret, err_last_detail());
		return 1;
	}
	printf("n=%u\n", n);
	if (want[BK_MBEDTLS]) {
		shuffle_rates(jobs, &mw, &mc);
		shuffle_print_rates("mbedtls_wall", &mw);
		shuffle_print_rates("mbedtls_cpu", &mc);
		sc_report(BK_MBEDTLS, &p[BK_MBEDTLS], n, jobs, shuffle_bound(&mw, 1),
			  shuffle_bound(&mc, 1));
	}
#ifdef CONFIG_CRYPTO_OPENSSL
	{
		struct ossl_rates ow, oc;

		sc_ossl_rates(jobs, &ow, &oc);
		for (int b = BK_OPENSSL; b < BK_N; b++)
			if (want[b])
				sc_report(b, &p[b], n, jobs, b == BK_OPENSSL ? sc_ossl_bound(&ow) : 0,
					  sc_ossl_bound(&oc));
	}
#endif
	for (int b = BK_OPENSSL; b < BK_N; b++)
		if (want[b] && want[BK_MBEDTLS])
			phase_ratio(b == BK_OPENSSL ? "openssl_over_mbedtls"
						    : "openssl_serial_over_mbedtls", &p[b], &p[BK_MBEDTLS]);
	if (want[BK_OPENSSL] && want[BK_OPENSSL_SERIAL])
		phase_ratio("openssl_over_openssl_serial", &p[BK_OPENSSL], &p[BK_OPENSSL_SERIAL]);
	close(f.in);
	close(f.proof);
	return 0;
}

/* --- checks: the proofs of knowledge and the decryption proofs --------------------- */

#define CK_TASK 32u   /* ballots per pool task */
#define CK_PT_LEN 4u

/* N ballots, their decryptions S = sA and DLEQ proofs, made on the pool. */
struct ck {
	unsigned n;
	uint8_t eid[32], sk[32], pk[GROUP_POINT_LEN];
	uint8_t *rec, *S, *proof;
	const struct crypto_checks *c; /* what the timed phase checks with */
	int phase;                     /* 0 make, 1 ballot checks, 2 decryption checks */
	_Atomic int ret;
};

static int ck_make_one(struct ck *k, unsigned i)
{
	uint8_t r[32], kk[32], d[32], pt[CK_PT_LEN] = { 1, 0, 1, (uint8_t)i }, out[CK_PT_LEN];
	uint8_t *rec = k->rec + (size_t)i * BALLOT2_RECORD_LEN, *S = k->S + (size_t)i * GROUP_POINT_LEN;
	uint32_t w[2] = { i, 0 };
	struct dleq2_statement st = { k->pk, k->eid, 1, rec + BALLOT2_OFF_A, rec + BALLOT2_OFF_B, S };
	int ret = hash_sha256(w, sizeof(w), d);

	if (ret == 0 && (ret = scalar_reduce(r, d, 32)) == 0) {
		w[1] = 1;
		ret = hash_sha256(w, sizeof(w), d);
	}
	if (ret == 0)
		ret = scalar_reduce(kk, d, 32);
	if (ret == 0)
		ret = ballot2_encrypt_fixed(r, kk, k->pk, k->eid, 1, pt, CK_PT_LEN, rec);
	if (ret == 0)
		ret = ballot2_open(k->sk, st.A, st.B, CK_PT_LEN, S, out);
	if (ret == 0)
		ret = dleq2_prove(k->sk, &st, k->proof + (size_t)i * DLEQ_PROOF_LEN);
	return ret;
}

static int ck_check_one(struct ck *k, unsigned i)
{
	uint8_t *rec = k->rec + (size_t)i * BALLOT2_RECORD_LEN, *S = k->S + (size_t)i * GROUP_POINT_LEN;
	uint8_t pt[CK_PT_LEN];
	struct dleq2_statement st = { k->pk, k->eid, 1, rec + BALLOT2_OFF_A, rec + BALLOT2_OFF_B, S };
	int ret;

	if (k->phase == 1)
		return k->c->ballot_check(k->eid, rec, BALLOT2_RECORD_LEN);
	ret = k->c->dleq_verify(&st, k->proof + (size_t)i * DLEQ_PROOF_LEN);
	if (ret == 0)
		ret = k->c->open_point(S, st.B, CK_PT_LEN, pt);
	return ret != 0 ? ret : pt[3] == (uint8_t)i ? 0 : ERR_VERIFY;
}

static void ck_task(void *arg, unsigned t)
{
	struct ck *k = arg;
	int ret = 0;

	for (unsigned i = t * CK_TASK; i < k->n && i < (t + 1) * CK_TASK && ret == 0; i++)
		ret = k->phase == 0 ? ck_make_one(k, i) : ck_check_one(k, i);
	if (ret != 0)
		k->ret = ret;
}

static int ck_run(struct ck *k, struct pool *pool, int phase, struct phase *p)
{
	k->phase = phase;
	k->ret = 0;
	if (p != NULL)
		phase_begin(p);
	pool_run(pool, (k->n + CK_TASK - 1) / CK_TASK);
	pool_wait(pool);
	if (p != NULL)
		phase_end(p);
	return k->ret;
}

/* Times the ballot checks (phase 1) and the decryption checks (2) with b,
 * after a first untimed round over a few ballots: the threads load their
 * groups, OpenSSL its providers, once per process (not per ballot). */
static int ck_backend(struct ck *k, struct pool *pool, int b, struct phase p[2])
{
	unsigned n = k->n;
	char name[64];
	int ret;

	k->c = crypto_checks(b == BK_MBEDTLS ? CRYPTO_MBEDTLS : CRYPTO_OPENSSL);
	k->n = n < 8 * CK_TASK ? n : 8 * CK_TASK;
	ret = ck_run(k, pool, 1, NULL);
	if (ret == 0)
		ret = ck_run(k, pool, 2, NULL);
	k->n = n;
	if (ret == 0)
		ret = ck_run(k, pool, 1, &p[0]);
	if (ret == 0)
		ret = ck_run(k, pool, 2, &p[1]);
	if (ret != 0)
		return ret;
	snprintf(name, sizeof(name), "ballot_check_%s", bk_names[b]);
	phase_print(name, &p[0], k->n);
	snprintf(name, sizeof(name), "dleq_check_%s", bk_names[b]);
	phase_print(name, &p[1], k->n);
	return 0;
}

static int cmd_checks(int argc, char **argv)
{
	unsigned jobs = (unsigned)sysconf(_SC_NPROCESSORS_ONLN), n = 1000, nb = 0;
	const char *names[BK_N * 2];
	const struct opt opts[] = {
		OPT_NUM("jobs", &jobs, 1, BENCH_MAX_JOBS), OPT_NUM("n", &n, 1, 10000000),
		OPT_MANY("backend", names, BK_N * 2, &nb),
	};
	struct ck k = { 0 };
	struct pool *pool = NULL;
	struct phase p[BK_OPENSSL + 1][2];
	int want[BK_N], ret;

	if (opt_parse(argc, argv, opts, N_ROWS(opts)) != 0 || bk_parse(names, nb, want) != 0)
		return 2;
	bench_machine(jobs);
	k.n = n;
	memset(k.eid, 0x5e, sizeof(k.eid));
	scalar_from_u32(k.sk, 4242);
	k.rec = malloc((size_t)n * BALLOT2_RECORD_LEN);
	k.S = malloc((size_t)n * GROUP_POINT_LEN);
	k.proof = malloc((size_t)n * DLEQ_PROOF_LEN);
	ret = k.rec && k.S && k.proof ? group_mul_base(k.pk, k.sk) : ERR_NOMEM;
	if (ret == 0)
		ret = pool_start(jobs, ck_task, &k, &pool);
	if (ret == 0)
		ret = ck_run(&k, pool, 0, NULL);
	printf("n=%u\n", n);
	for (int b = BK_MBEDTLS; b <= BK_OPENSSL && ret == 0; b++)
		if (want[b])
			ret = ck_backend(&k, pool, b, p[b]);
	if (ret == 0 && want[BK_MBEDTLS] && want[BK_OPENSSL]) {
		phase_ratio("ballot_check_openssl_over_mbedtls", &p[BK_OPENSSL][0], &p[BK_MBEDTLS][0]);
		phase_ratio("dleq_check_openssl_over_mbedtls", &p[BK_OPENSSL][1], &p[BK_MBEDTLS][1]);
	}
	pool_stop(pool);
	free(k.rec), free(k.S), free(k.proof);
	if (ret != 0) {
		fprintf(stderr, "sceau-bench: checks failed (%d: %s)\n", ret, err_last_detail());
		return 1;
	}
	return 0;
}

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
} cmds[] = {
	{ "raw", cmd_raw, "[--jobs N] [--count K]   raw mbedTLS P-256 and SHA-256 rates" },
	{ "msm", cmd_msm, "[--jobs N] [--terms K]   multi-scalar multiplication methods" },
	{ "shuffle", cmd_shuffle, "[--jobs N] [--n K] [--dir D]   shuffle proof and check" },
	{ "shuffle-check", cmd_shuffle_check,
	  "[--jobs N] [--n K] [--dir D] [--files P] [--backend B]...   the verifier's shuffle check" },
	{ "checks", cmd_checks, "[--jobs N] [--n K] [--backend B]...   ballot and decryption checks" },
};

int main(int argc, char **argv)
{
	for (size_t i = 0; argc >= 2 && i < N_ROWS(cmds); i++)
		if (strcmp(argv[1], cmds[i].name) == 0)
			return cmds[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "usage:\n");
	for (size_t i = 0; i < N_ROWS(cmds); i++)
		fprintf(stderr, "  sceau-bench %s %s\n", cmds[i].name, cmds[i].help);
	return 2;
}
