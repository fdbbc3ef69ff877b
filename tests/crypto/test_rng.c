/* crypto/rng: the key DRBG, its health test and scalar_random. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <unistd.h>

#include "lib/err.h"
#include "crypto/group.h"
#include "crypto/rng.h"
#include "testutil.h"

static int all_zero(const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != 0)
			return 0;
	return 1;
}

static void rng_outputs_differ(void **state)
{
	struct rng *a, *b;
	uint8_t x[32], y[32], z[32];

	(void)state;
	assert_int_equal(rng_new(&a, "sceau/test/v1", NULL), 0);
	assert_int_equal(rng_new(&b, "sceau/test/v1", NULL), 0); /* same personalization */
	assert_int_equal(rng_bytes(a, x, sizeof(x)), 0);
	assert_int_equal(rng_bytes(a, y, sizeof(y)), 0);
	assert_int_equal(rng_bytes(b, z, sizeof(z)), 0);
	assert_memory_not_equal(x, y, sizeof(x));
	assert_memory_not_equal(x, z, sizeof(x));
	rng_free(a);
	rng_free(b);
	rng_free(NULL);
}

/* Requests above mbedTLS's 1024-byte limit are served in chunks. */
static void rng_large_request(void **state)
{
	static uint8_t big[5000];
	struct rng *r;

	(void)state;
	assert_int_equal(rng_new(&r, NULL, NULL), 0);
	assert_int_equal(rng_bytes(r, big, sizeof(big)), 0);
	assert_false(all_zero(big + 4000, 1000));
	assert_memory_not_equal(big, big + 1024, 1024);
	assert_int_equal(rng_bytes(r, big, 0), 0);
	rng_free(r);
}

static void rng_add_entropy_accepted(void **state)
{
	static const char typed[] = "correct horse battery staple";
	struct rng *r;
	uint8_t x[32];

	(void)state;
	assert_int_equal(rng_new(&r, "sceau/test/v1", NULL), 0);
	assert_int_equal(rng_add_entropy(r, typed, sizeof(typed) - 1), 0);
	assert_int_equal(rng_add_entropy(r, typed, 0), 0);
	assert_int_equal(rng_bytes(r, x, sizeof(x)), 0);
	assert_false(all_zero(x, sizeof(x)));
	rng_free(r);
}

/* hwrng_used says 1 only when the device could be read. */
static void rng_hwrng_reported(void **state)
{
	struct rng *r;
	int used = -1, fd = open("/dev/hwrng", O_RDONLY);

	(void)state;
	assert_int_equal(rng_new(&r, NULL, &used), 0);
	if (fd < 0)
		assert_int_equal(used, 0);
	else
		assert_true(used == 0 || used == 1);
#ifndef CONFIG_CRYPTO_HWRNG
	assert_int_equal(used, 0);
#endif
	if (fd >= 0)
		close(fd);
	rng_free(r);
}

static void rng_mbedtls_callback(void **state)
{
	struct rng *r;
	uint8_t x[64];

	(void)state;
	assert_int_equal(rng_new(&r, NULL, NULL), 0);
	memset(x, 0, sizeof(x));
	assert_int_equal(rng_mbedtls(r, x, sizeof(x)), 0);
	assert_false(all_zero(x, sizeof(x)));
	rng_free(r);
}

static void rng_health_passes(void **state)
{
	(void)state;
	assert_int_equal(rng_health(), 0);
}

static void scalar_random_in_range(void **state)
{
	struct rng *r;
	uint8_t k[32], k2[32];
	int i;

	(void)state;
	assert_int_equal(rng_new(&r, NULL, NULL), 0);
	for (i = 0; i < 100; i++) {
		assert_int_equal(scalar_random(r, k), 0);
		assert_true(scalar_is_valid(k));
	}
	assert_int_equal(scalar_random(r, k2), 0);
	assert_memory_not_equal(k, k2, 32);
	rng_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rng_outputs_differ),
		cmocka_unit_test(rng_large_request),
		cmocka_unit_test(rng_add_entropy_accepted),
		cmocka_unit_test(rng_hwrng_reported),
		cmocka_unit_test(rng_mbedtls_callback),
		cmocka_unit_test(rng_health_passes),
		cmocka_unit_test(scalar_random_in_range),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
