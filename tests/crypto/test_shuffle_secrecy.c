/*
 * crypto/shuffle: what must stay secret. After a proof, every locked buffer
 * was wiped before its release; the process memory (every readable mapping,
 * read through /proc/self/mem: heap, stacks of the finished worker threads
 * that glibc keeps, mbedTLS's allocations) holds neither the permutation,
 * nor its inverse, nor the seed, nor any per-ballot secret (r'_j, r_j,
 * r^_i, w^_i, w'_i, w_k) or the points r'_j G and r'_j PK, in either byte
 * order; the scanner itself is shown to find a planted copy. And the
 * permutation is uniform: chi-square tests with fixed seeds, over 10,000
 * permutations of 5 and over shuffles of 3 ballots opened end to end.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>
#include <fcntl.h>
#include <unistd.h>

#include "lib/err.h"
#include "crypto/group.h"
#include "crypto/rng.h"
#include "crypto/secmem.h"
#include "crypto/shuffle.h"
#include "shuffle_fx.h"

/* --- wiping -------------------------------------------------------------------- */

static unsigned wiped_calls, wiped_dirty;
static size_t wiped_len[16];

static void on_wiped(const void *buf, size_t len)
{
	const uint8_t *p = buf;

	if (wiped_calls < 16)
		wiped_len[wiped_calls] = len;
	wiped_calls++;
	for (size_t i = 0; i < len; i++)
		if (p[i] != 0) {
			wiped_dirty++;
			break;
		}
}

/* Every locked buffer is zero when it is released, the permutation's
 * (4 bytes per ballot) among them. */
static void locked_buffers_wiped(void **state)
{
	struct shuffle_statement st;
	struct smem m;
	struct shuffle_io io;
	struct rng *rng;
	uint8_t sk[32], M[300][GROUP_POINT_LEN], *in;
	unsigned n;

	(void)state;
	fx_statement(&st, 300, sk);
	in = fx_inputs(&st, M);
	smem_init(&m, &st, in);
	io = smem_io(&m);
	assert_int_equal(rng_new(&rng, "sceau/test/shuffle", NULL), 0);
	shuffle_test_wiped = on_wiped;
	shuffle_test_window = 64;
	assert_int_equal(shuffle_prove(&st, &io, rng, 2), 0);
	shuffle_test_wiped = NULL;
	shuffle_test_window = 2048;
	/* the seed, the secrets, the permutation, its DRBG, two windows */
	assert_int_equal(wiped_calls, 6);
	assert_int_equal(wiped_dirty, 0);
	for (n = 0; n < 6 && wiped_len[n] != 4 * 300; n++)
		;
	assert_true(n < 6);
	assert_int_equal(shuffle_verify(&st, &io, 2), 0);
	rng_free(rng);
	smem_free(&m);
	free(in);
}

/* --- the memory scan -------------------------------------------------------------- */

#define PAT_MAX 64
#define PATS 4096
#define SCAN_N 64

/* A secret is kept only masked, so that the scan never meets the test's
 * own copy: a match is mem[k] ^ mask[k] == masked[k] for every k. */
struct pattern {
	uint8_t masked[PAT_MAX], mask[PAT_MAX];
	size_t len;
	int words; /* an array of small u32: looked for at 4-byte boundaries only */
	char what[40];
};

static struct pattern pats[PATS], wpats[4];
static unsigned npats, nwpats;
static uint8_t prefix[(1 << 24) / 8]; /* first three bytes of the patterns */
static uint64_t mask_state = 0x9e3779b97f4a7c15u;

static unsigned pat_key(uint8_t a, uint8_t b, uint8_t c)
{
	return (unsigned)a << 16 | (unsigned)b << 8 | c;
}

/* Adds secret (len bytes) and its byte-reversed form (how a bignum's limbs
 * hold it on a little-endian machine), and the second half of each: glibc
 * writes its free-list pointers over the first 16 bytes of a freed block.
 * Wipes the caller's copy. */
static void pat_add_kind(uint8_t *secret, size_t len, const char *what, unsigned idx, int words)
{
	for (int v = 0; v < (words ? 1 : 4); v++) {
		struct pattern *p = words ? &wpats[nwpats++] : &pats[npats++];
		size_t off = v >= 2 ? len / 2 : 0;
		int rev = v & 1;

		assert_true(npats <= PATS && nwpats <= 4 && len <= PAT_MAX);
		p->words = words;
		p->len = len - off;
		snprintf(p->what, sizeof(p->what), "%s %u%s%s", what, idx, rev ? " (reversed)" : "",
			 off ? " (2nd half)" : "");
		for (size_t k = 0; k < p->len; k++) {
			mask_state ^= mask_state << 13, mask_state ^= mask_state >> 7;
			mask_state ^= mask_state << 17;
			p->mask[k] = (uint8_t)mask_state | 1;
			p->masked[k] = secret[rev ? len - 1 - off - k : off + k] ^ p->mask[k];
		}
		if (!words)
			prefix[pat_key((uint8_t)(p->masked[0] ^ p->mask[0]),
			       (uint8_t)(p->masked[1] ^ p->mask[1]),
			       (uint8_t)(p->masked[2] ^ p->mask[2])) >> 3] |=
			(uint8_t)(1u << ((p->masked[2] ^ p->mask[2]) & 7));
	}
	secmem_wipe(secret, len);
}

static void pat_add(uint8_t *secret, size_t len, const char *what, unsigned idx)
{
	pat_add_kind(secret, len, what, idx, 0);
}

static int pat_match(const struct pattern *p, const uint8_t *b, size_t avail)
{
	size_t k;

	if (p->len > avail)
		return 0;
	for (k = 0; k < p->len && (b[k] ^ p->mask[k]) == p->masked[k]; k++)
		;
	return k == p->len;
}

/* The word patterns at a 4-byte boundary. */
static int pat_words_at(const uint8_t *b, size_t avail, char *found, size_t cap)
{
	for (unsigned i = 0; i < nwpats; i++)
		if (pat_match(&wpats[i], b, avail)) {
			snprintf(found, cap, "%s", wpats[i].what);
			return 1;
		}
	return 0;
}

static int pat_at(const uint8_t *b, size_t avail, char *found, size_t cap)
{
	if (avail < 3 || !(prefix[pat_key(b[0], b[1], b[2]) >> 3] & (1u << (b[2] & 7))))
		return 0;
	for (unsigned i = 0; i < npats; i++)
		if (pat_match(&pats[i], b, avail)) {
			snprintf(found, cap, "%s", pats[i].what);
			return 1;
		}
	return 0;
}

/* Scans one mapping through /proc/self/mem; returns the matches. */
static unsigned scan_range(int fd, uint64_t lo, uint64_t hi, const char *name)
{
	static uint8_t buf[(1 << 20) + PAT_MAX];
	unsigned hits = 0;
	char what[48];

	for (uint64_t at = lo; at < hi; at += 1 << 20) {
		size_t want = hi - at < (1 << 20) + PAT_MAX ? (size_t)(hi - at) : (1 << 20) + PAT_MAX;
		ssize_t got = pread(fd, buf, want, (off_t)at);

		if (got < 3)
			break; /* unreadable: guard pages */
		for (ssize_t i = 0; i + 2 < got && i < (1 << 20); i++)
			if (pat_at(buf + i, (size_t)(got - i), what, sizeof(what)) ||
			    ((at + (uint64_t)i) % 4 == 0 &&
			     pat_words_at(buf + i, (size_t)(got - i), what, sizeof(what)))) {
				print_message("found %s at %#lx in %s\n", what,
					      (unsigned long)(at + (uint64_t)i), name);
				hits++;
			}
	}
	return hits;
}

/* Every readable mapping but the kernel's and the huge reserved ones. */
static unsigned scan_memory(void)
{
	FILE *maps = fopen("/proc/self/maps", "r");
	int fd = open("/proc/self/mem", O_RDONLY);
	char line[512], perms[8], name[256];
	unsigned long lo, hi;
	unsigned hits = 0;

	assert_non_null(maps);
	assert_true(fd >= 0);
	while (fgets(line, sizeof(line), maps) != NULL) {
		name[0] = 0;
		if (sscanf(line, "%lx-%lx %7s %*s %*s %*s %255s", &lo, &hi, perms, name) < 3)
			continue;
		if (perms[0] != 'r' || strcmp(name, "[vvar]") == 0 ||
		    strcmp(name, "[vsyscall]") == 0 || hi - lo > (1ul << 30))
			continue;
		hits += scan_range(fd, lo, hi, name[0] ? name : "(anonymous)");
	}
	fclose(maps);
	close(fd);
	return hits;
}

/* The patterns of a proof made from seed: everything secret it used. The
 * permutation is too long for a pattern: its entries 16..31 stand for it. */
static void secrets_of(uint8_t seed[32], const struct shuffle_statement *st)
{
	static const char *const names[6] = { "r'_j", "r_j", "r^_i", "w^_i", "w'_i", "w_k" };
	uint32_t psi[SCAN_N], inv[SCAN_N], be[SCAN_N], n = st->n;
	uint8_t k[32], x[GROUP_POINT_LEN];

	assert_int_equal(n, SCAN_N);
	assert_int_equal(shuffle_test_permutation(seed, psi, n), 0);
	for (uint32_t i = 0; i < n; i++) {
		inv[psi[i]] = i;
		be[i] = __builtin_bswap32(psi[i]);
	}
	pat_add_kind((uint8_t *)(inv + 16), 64, "inverse permutation", 16, 1);
	pat_add_kind((uint8_t *)(be + 16), 64, "permutation (be32)", 16, 1);
	pat_add_kind((uint8_t *)(psi + 16), 64, "permutation", 16, 1);
	secmem_wipe(psi, sizeof(psi)), secmem_wipe(inv, sizeof(inv)), secmem_wipe(be, sizeof(be));
	for (int which = 0; which < 6; which++)
		for (uint32_t i = 0; i < (which == 5 ? 4 : n); i++) {
			assert_int_equal(shuffle_test_secret(seed, which, i, k), 0);
			if (which == 0) { /* r'_j G and r'_j PK: they tie outputs to inputs */
				assert_int_equal(group_mul_base(x, k), 0);
				pat_add(x + 1, 32, "r'_j G (x)", i);
				assert_int_equal(group_mul(x, k, st->pk), 0);
				pat_add(x + 1, 32, "r'_j PK (x)", i);
			}
			pat_add(k, 32, names[which], i);
		}
	pat_add(seed, 32, "seed", 0);
}

/* After a shuffle of 64 ballots, none of its secrets is anywhere in memory. */
static void no_secret_left_in_memory(void **state)
{
	struct shuffle_statement st;
	struct smem m;
	struct shuffle_io io;
	uint8_t sk[32], M[SCAN_N][GROUP_POINT_LEN], *in, seed[32], *plant;
	char what[48];

	(void)state;
	fx_statement(&st, SCAN_N, sk);
	in = fx_inputs(&st, M);
	smem_init(&m, &st, in);
	io = smem_io(&m);
	fx_seed(99, seed);
	assert_int_equal(shuffle_prove_seeded(&st, &io, seed, 2), 0);
	assert_int_equal(shuffle_verify(&st, &io, 2), 0);
	secrets_of(seed, &st); /* wipes seed */
	assert_int_equal(scan_memory(), 0);

	/* the scanner works: a planted r'_3 is found, in either order */
	plant = malloc(64);
	assert_non_null(plant);
	fx_seed(99, seed);
	assert_int_equal(shuffle_test_secret(seed, 0, 3, plant), 0);
	secmem_wipe(seed, sizeof(seed));
	for (int k = 0; k < 32; k++)
		plant[63 - k] = plant[k];
	assert_true(pat_at(plant, 32, what, sizeof(what)));
	assert_true(scan_memory() >= 4); /* whole and second half, both orders */
	secmem_wipe(plant, 64);
	free(plant);
	smem_free(&m);
	free(in);
}

/* --- uniformity -------------------------------------------------------------------- */

/* Pearson's chi-square of counts against a uniform expectation. */
static double chi2(const unsigned *count, unsigned cells, double expect)
{
	double x = 0;

	for (unsigned i = 0; i < cells; i++)
		x += ((double)count[i] - expect) * ((double)count[i] - expect) / expect;
	return x;
}

/* 10,000 permutations of 5 (seeds 0..9999): where each input goes, 25
 * cells, 16 degrees of freedom, under 39.25 (p = 0.001); and the 120
 * permutations themselves, 119 degrees of freedom, under 172.5 (p = 0.001,
 * Wilson-Hilferty). */
static void permutation_uniform(void **state)
{
	unsigned pos[25] = { 0 }, perm[120] = { 0 };
	uint8_t seed[32];
	uint32_t psi[5];
	double x;

	(void)state;
	for (uint32_t s = 0; s < 10000; s++) {
		unsigned code = 0, used = 0;

		fx_seed(s, seed);
		assert_int_equal(shuffle_test_permutation(seed, psi, 5), 0);
		for (unsigned i = 0; i < 5; i++) {
			unsigned rank = 0;

			pos[psi[i] * 5 + i]++;
			for (unsigned j = 0; j < psi[i]; j++) /* Lehmer code */
				rank += !(used >> j & 1);
			used |= 1u << psi[i];
			code = code * (5 - i) + rank;
		}
		perm[code]++;
	}
	x = chi2(pos, 25, 2000);
	print_message("positions: chi2 = %.2f (16 df)\n", x);
	assert_true(x < 39.25);
	x = chi2(perm, 120, 10000.0 / 120);
	print_message("permutations: chi2 = %.2f (119 df)\n", x);
	assert_true(x < 172.5);
}

/* End to end: 150 shuffles of 3 ballots, each opened with the key: every
 * input lands at every output position equally often (9 cells, 4 df, under
 * 18.47, p = 0.001). */
static void shuffle_uniform_end_to_end(void **state)
{
	struct shuffle_statement st;
	struct smem m;
	struct shuffle_io io;
	uint8_t sk[32], M[3][GROUP_POINT_LEN], *in, seed[32];
	unsigned pos[9] = { 0 };
	uint32_t psi[3];
	double x;

	(void)state;
	fx_statement(&st, 3, sk);
	in = fx_inputs(&st, M);
	for (uint32_t s = 0; s < 150; s++) {
		smem_init(&m, &st, in);
		io = smem_io(&m);
		fx_seed(1000 + s, seed);
		assert_int_equal(shuffle_prove_seeded(&st, &io, seed, 2), 0);
		fx_open(&m, sk, (const uint8_t(*)[GROUP_POINT_LEN])M, psi);
		for (unsigned i = 0; i < 3; i++)
			pos[psi[i] * 3 + i]++;
		smem_free(&m);
	}
	x = chi2(pos, 9, 50);
	print_message("end to end: chi2 = %.2f (4 df)\n", x);
	assert_true(x < 18.47);
	free(in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(locked_buffers_wiped),
		cmocka_unit_test(no_secret_left_in_memory),
		cmocka_unit_test(permutation_uniform),
		cmocka_unit_test(shuffle_uniform_end_to_end),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
