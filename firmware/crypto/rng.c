/*
 * The key DRBG: mbedTLS's HMAC-DRBG (SHA-256) in locked memory. mbedTLS
 * draws its seed (48 bytes: entropy and nonce) from getrandom(); 64 bytes of
 * /dev/hwrng, when present, are mixed in right after, so that a hardware
 * generator adds to the kernel's entropy but can never replace it.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include <mbedtls/hmac_drbg.h>
#include <mbedtls/md.h>

#include "lib/err.h"
#include "crypto/internal.h"
#include "crypto/rng.h"
#include "crypto/secmem.h"
#include "crypto/selftest.h"

#define RNG_HWRNG_PATH "/dev/hwrng"
#define RNG_HWRNG_LEN 64
#define RNG_HWRNG_TIMEOUT_MS 2000
#define RNG_HWRNG_TICK_MS 10

struct rng {
	mbedtls_hmac_drbg_context drbg;
};

int rng_os_bytes(void *out, size_t len)
{
	uint8_t *p = out;
	ssize_t n;

	while (len > 0) {
		n = getrandom(p, len, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err_detail("getrandom: %s", strerror(errno));
			return ERR_IO;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int rng_entropy(void *ctx, unsigned char *out, size_t len)
{
	(void)ctx;
	return rng_os_bytes(out, len) == 0 ? 0 : MBEDTLS_ERR_HMAC_DRBG_ENTROPY_SOURCE_FAILED;
}

#ifdef CONFIG_CRYPTO_HWRNG
/*
 * Reads exactly len bytes of the hardware RNG; 0, or -1 if absent, broken or
 * too slow. Non-blocking with a deadline: a device that exists but never
 * delivers must not hang the key ceremony.
 */
static int rng_hwrng_read(uint8_t *buf, size_t len)
{
	const struct timespec tick = { 0, RNG_HWRNG_TICK_MS * 1000000L };
	unsigned waited = 0;
	size_t got = 0;
	ssize_t n;
	int fd = open(RNG_HWRNG_PATH, O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return -1;
	while (got < len && waited < RNG_HWRNG_TIMEOUT_MS) {
		n = read(fd, buf + got, len - got);
		if (n > 0) {
			got += (size_t)n;
			continue;
		}
		if (n < 0 && errno != EAGAIN && errno != EINTR)
			break; /* ENODEV: the driver has no current RNG */
		nanosleep(&tick, NULL);
		waited += RNG_HWRNG_TICK_MS;
	}
	close(fd);
	return got == len ? 0 : -1;
}
#endif

/* Mixes the hardware RNG in when configured and present; never fails for
 * lack of a device. */
static int rng_mix_hwrng(struct rng *r, int *used)
{
	int ret = 0;
#ifdef CONFIG_CRYPTO_HWRNG
	uint8_t buf[RNG_HWRNG_LEN];

	if (rng_hwrng_read(buf, sizeof(buf)) == 0) {
		ret = mbedtls_hmac_drbg_update(&r->drbg, buf, sizeof(buf));
		if (ret != 0)
			ret = crypto_err(ret, "DRBG update (hwrng)");
		else
			*used = 1;
	}
	WIPE_BUFFER(buf);
#else
	(void)r;
	(void)used;
#endif
	return ret;
}

int rng_new(struct rng **out, const char *personalization, int *hwrng_used)
{
	struct rng *r;
	int ret, used = 0;

	*out = NULL;
	if (hwrng_used != NULL)
		*hwrng_used = 0;
	r = secmem_alloc(sizeof(*r));
	if (r == NULL) {
		err_detail("DRBG: no locked memory");
		return ERR_NOMEM;
	}
	mbedtls_hmac_drbg_init(&r->drbg);
	ret = mbedtls_hmac_drbg_seed(&r->drbg, mbedtls_md_info_from_type(MBEDTLS_MD_SHA256),
				     rng_entropy, NULL,
				     (const unsigned char *)personalization,
				     personalization != NULL ? strlen(personalization) : 0);
	if (ret != 0) {
		ret = crypto_err(ret, "DRBG seed");
		goto out;
	}
	ret = rng_mix_hwrng(r, &used);
out:
	if (ret != 0) {
		rng_free(r);
		return ret;
	}
	if (hwrng_used != NULL)
		*hwrng_used = used;
	*out = r;
	return 0;
}

int rng_add_entropy(struct rng *r, const void *data, size_t len)
{
	int ret;

	if (len == 0)
		return 0;
	ret = mbedtls_hmac_drbg_update(&r->drbg, data, len);
	return ret != 0 ? crypto_err(ret, "DRBG update") : 0;
}

int rng_bytes(struct rng *r, void *out, size_t len)
{
	uint8_t *p = out;
	size_t chunk;
	int ret;

	while (len > 0) {
		chunk = len < MBEDTLS_HMAC_DRBG_MAX_REQUEST ? len : MBEDTLS_HMAC_DRBG_MAX_REQUEST;
		ret = mbedtls_hmac_drbg_random(&r->drbg, p, chunk);
		if (ret != 0) {
			secmem_wipe(out, (size_t)(p - (uint8_t *)out));
			return crypto_err(ret, "DRBG generate");
		}
		p += chunk;
		len -= chunk;
	}
	return 0;
}

void rng_free(struct rng *r)
{
	if (r == NULL)
		return;
	mbedtls_hmac_drbg_free(&r->drbg);
	secmem_free(r, sizeof(*r));
}

int rng_mbedtls(void *p_rng, unsigned char *out, size_t len)
{
	return rng_bytes(p_rng, out, len) == 0 ? 0 : MBEDTLS_ERR_HMAC_DRBG_ENTROPY_SOURCE_FAILED;
}

/* Health test of start-up (rng.h). */
int rng_health(void)
{
	uint8_t a[32], b[32];
	struct rng *r = NULL;
	int ret = ERR_SELFTEST;

	if (rng_os_bytes(a, sizeof(a)) != 0) {
		err_detail("rng health: getrandom");
		goto out;
	}
	if (mbedtls_hmac_drbg_self_test(0) != 0) {
		err_detail("rng health: HMAC-DRBG self-test");
		goto out;
	}
	if (rng_new(&r, "sceau/rng-health/v1", NULL) != 0 ||
	    rng_bytes(r, a, sizeof(a)) != 0 || rng_bytes(r, b, sizeof(b)) != 0) {
		err_detail("rng health: DRBG");
		goto out;
	}
	if (secmem_ct_compare(a, b, sizeof(a)) == 0) {
		err_detail("rng health: repeated output");
		goto out;
	}
	ret = 0;
out:
	rng_free(r);
	WIPE_BUFFER(a);
	WIPE_BUFFER(b);
	return ret;
}
