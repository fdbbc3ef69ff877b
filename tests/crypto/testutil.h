/*
 * Helpers of the crypto tests (include after <cmocka.h>). Vectors are kept
 * as lower-case hex strings, as printed by their sources.
 */
#ifndef SCEAU_TESTS_CRYPTO_TESTUTIL_H
#define SCEAU_TESTS_CRYPTO_TESTUTIL_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/hash.h"
#include "lib/hex.h"

/* Decodes a vector that must be exactly len bytes. */
static inline void th_unhex(const char *hex, uint8_t *out, size_t len)
{
	if (strlen(hex) != 2 * len || hex_decode(hex, out, len) != 0)
		fail_msg("bad test vector (want %zu bytes): %s", len, hex);
}

/* Fails with both values in hex, naming the row, unless got == want. */
static inline void th_expect_hex(const char *title, const uint8_t *got, size_t len,
				 const char *want)
{
	char *buf = malloc(2 * len + 1);
	int differ;

	assert_non_null(buf);
	hex_encode(got, len, buf);
	differ = strcmp(buf, want) != 0;
	if (differ)
		print_error("%s:\n  got  %s\n  want %s\n", title, buf, want);
	free(buf);
	if (differ)
		fail_msg("%s", title);
}

#define TH_ROWS(a) (sizeof(a) / sizeof((a)[0]))

#endif
