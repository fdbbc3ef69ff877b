/*
 * The shuffle's secrets, all from one 32-byte seed that the box's DRBG
 * draws (shuffle_prove) and that lives in locked memory:
 *  - the permutation: Fisher-Yates over a fresh HMAC-DRBG (SHA-256, SP
 *    800-90A) seeded with HMAC-SHA256(seed, SH_PERM_LABEL), each index drawn
 *    by rejection sampling, so that every permutation is equally likely;
 *  - each per-index secret (r'_j, r_j, r^_i, w^_i, w'_i) and w1..w4:
 *    HMAC-SHA256(seed, SH_PRF_LABEL || u8(which) || u32be(index) || u8(ctr))
 *    read big-endian, the first counter giving 0 < k < n. HMAC-SHA256 is a
 *    PRF: these are as good as independent uniform draws, and nothing per
 *    ballot needs storing, since any of them is recomputed when needed.
 */
#include <string.h>

#include <mbedtls/hmac_drbg.h>
#include <mbedtls/md.h>

#include "lib/err.h"
#include "crypto/hash.h"
#include "crypto/internal.h"
#include "crypto/secmem.h"
#include "crypto/shuffle_int.h"

#define SH_PRF_LABEL "sceau/shuffle/v2/secret"
#define SH_PERM_LABEL "sceau/shuffle/v2/permutation"
#define SH_PRF_LABEL_LEN (sizeof(SH_PRF_LABEL) - 1)
#define SH_PERM_BUF 1024
#define SH_MARK 0x80000000u

#ifdef CONFIG_CRYPTO_TEST_SEED
void (*shuffle_test_wiped)(const void *buf, size_t len);
#endif

void sh_secmem_free(void *p, size_t len)
{
	if (p == NULL)
		return;
	secmem_wipe(p, len);
#ifdef CONFIG_CRYPTO_TEST_SEED
	if (shuffle_test_wiped != NULL)
		shuffle_test_wiped(p, len);
#endif
	secmem_free(p, len);
}

int sh_secret(const uint8_t seed[32], enum sh_secret which, uint32_t index, mbedtls_mpi *out)
{
	uint8_t msg[SH_PRF_LABEL_LEN + 1 + 4 + 1], k[HASH_LEN];
	int ret = ERR_CRYPTO;

	memcpy(msg, SH_PRF_LABEL, SH_PRF_LABEL_LEN);
	msg[SH_PRF_LABEL_LEN] = (uint8_t)which;
	msg[SH_PRF_LABEL_LEN + 1] = (uint8_t)(index >> 24);
	msg[SH_PRF_LABEL_LEN + 2] = (uint8_t)(index >> 16);
	msg[SH_PRF_LABEL_LEN + 3] = (uint8_t)(index >> 8);
	msg[SH_PRF_LABEL_LEN + 4] = (uint8_t)index;
	for (unsigned ctr = 0; ctr < 256; ctr++) {
		msg[sizeof(msg) - 1] = (uint8_t)ctr;
		ret = hmac_sha256(seed, 32, msg, sizeof(msg), k);
		if (ret != 0 || scalar_is_valid(k))
			break;
		ret = ERR_CRYPTO; /* about 2^-32 per try: 256 misses mean a bug */
	}
	if (ret == 0 && (ret = mbedtls_mpi_read_binary(out, k, sizeof(k))) != 0)
		ret = crypto_err(ret, "scalar");
	WIPE_BUFFER(k);
	return ret;
}

/* The permutation's DRBG and its buffer of draws: locked memory. */
struct sh_perm_rng {
	mbedtls_hmac_drbg_context drbg;
	uint8_t buf[SH_PERM_BUF];
	size_t pos;
};

static int sh_perm_u32(struct sh_perm_rng *r, uint32_t *out)
{
	int ret;

	if (r->pos + 4 > sizeof(r->buf)) {
		ret = mbedtls_hmac_drbg_random(&r->drbg, r->buf, sizeof(r->buf));
		if (ret != 0)
			return crypto_err(ret, "permutation DRBG");
		r->pos = 0;
	}
	*out = (uint32_t)r->buf[r->pos] << 24 | (uint32_t)r->buf[r->pos + 1] << 16 |
	       (uint32_t)r->buf[r->pos + 2] << 8 | r->buf[r->pos + 3];
	r->pos += 4;
	return 0;
}

/* Uniform in [0, m): draws at or above the largest multiple of m below
 * 2^32 are rejected, so that no value is more likely than another. */
static int sh_perm_uniform(struct sh_perm_rng *r, uint32_t m, uint32_t *out)
{
	uint64_t lim = (1ull << 32) - (1ull << 32) % m;
	uint32_t x = 0;
	int ret;

	do
		ret = sh_perm_u32(r, &x);
	while (ret == 0 && x >= lim);
	*out = x % m;
	return ret;
}

static int sh_perm_seed(struct sh_perm_rng *r, const uint8_t seed[32])
{
	uint8_t k[HASH_LEN];
	int ret;

	mbedtls_hmac_drbg_init(&r->drbg);
	r->pos = sizeof(r->buf);
	ret = hmac_sha256(seed, 32, SH_PERM_LABEL, sizeof(SH_PERM_LABEL) - 1, k);
	if (ret == 0 && (ret = mbedtls_hmac_drbg_seed_buf(
				 &r->drbg, mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), k,
				 sizeof(k))) != 0)
		ret = crypto_err(ret, "permutation DRBG");
	WIPE_BUFFER(k);
	return ret;
}

int sh_permutation(const uint8_t seed[32], uint32_t *psi, uint32_t n)
{
	struct sh_perm_rng *r = secmem_alloc(sizeof(*r));
	uint32_t i, j, t;
	int ret;

	if (r == NULL) {
		err_detail("shuffle: no locked memory");
		return ERR_NOMEM;
	}
	ret = sh_perm_seed(r, seed);
	for (i = 0; i < n; i++)
		psi[i] = i;
	/* Fisher-Yates: position i takes one of the i + 1 values still free */
	for (i = n; ret == 0 && i-- > 1;) {
		ret = sh_perm_uniform(r, i + 1, &j);
		t = psi[i];
		psi[i] = psi[j];
		psi[j] = t;
	}
	mbedtls_hmac_drbg_free(&r->drbg); /* zeroizes its state */
	sh_secmem_free(r, sizeof(*r));
	return ret;
}

void sh_invert(uint32_t *psi, uint32_t n)
{
	uint32_t s, prev, cur, next;

	/* Walk each cycle s -> psi[s] -> ... once: inverse[psi[x]] = x. The top
	 * bit marks what is done (n < 2^31). */
	for (s = 0; s < n; s++) {
		if (psi[s] & SH_MARK)
			continue;
		prev = s;
		cur = psi[s];
		while (cur != s) {
			next = psi[cur];
			psi[cur] = prev | SH_MARK;
			prev = cur;
			cur = next;
		}
		psi[s] = prev | SH_MARK;
	}
	for (s = 0; s < n; s++)
		psi[s] &= ~SH_MARK;
}

#ifdef CONFIG_CRYPTO_TEST_SEED
int shuffle_test_permutation(const uint8_t seed[32], uint32_t *psi, uint32_t n)
{
	return sh_permutation(seed, psi, n);
}

int shuffle_test_secret(const uint8_t seed[32], int which, uint32_t index, uint8_t out[32])
{
	mbedtls_mpi k;
	int ret;

	mbedtls_mpi_init(&k);
	ret = sh_secret(seed, (enum sh_secret)which, index, &k);
	if (ret == 0 && (ret = mbedtls_mpi_write_binary(&k, out, 32)) != 0)
		ret = crypto_err(ret, "scalar");
	mbedtls_mpi_free(&k);
	return ret;
}
#endif
