/* crypto/selftest: what the box runs at start-up, and the version it logs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "lib/err.h"
#include "crypto/selftest.h"

static void selftest_passes(void **state)
{
	(void)state;
	err_clear();
	if (crypto_selftest() != 0)
		fail_msg("crypto_selftest: %s", err_last_detail());
}

/* The journal records the library actually linked: mbedTLS 3.6 LTS. */
static void library_version(void **state)
{
	const char *v = crypto_library_version();

	(void)state;
	assert_non_null(v);
	assert_int_equal(strncmp(v, "Mbed TLS 3.6.", 13), 0);
	assert_ptr_equal(v, crypto_library_version());
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(selftest_passes),
		cmocka_unit_test(library_version),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
