/* The 16-byte header of the binary files (format/bin_header.c): written and
 * read back, and each of its fields refused with the detail the bureau
 * reads (the émargement's wording, docs/FORMATS.md). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "format/bin_header.h"
#include "format/emargement.h"
#include "lib/err.h"

static const struct bin_header k = {
	"entries.bin", EMARG_MAGIC, EMARG_VERSION, EMARG_MAX_ENTRIES
};

struct row {
	const char *title;
	size_t at;          /* byte changed */
	uint8_t value;
	int err;
	const char *detail;
};

static const struct row rows[] = {
	{ "the written header reads back", 0, 'S', 0, "" },
	{ "bad magic", 7, 'L', ERR_FORMAT,
	  "entries.bin: header: not a Sceau file of this kind (bad magic)" },
	{ "version 2", 9, 2, ERR_FORMAT,
	  "entries.bin: header: version 2 is not supported (expected 1)" },
	{ "version 257 (high byte)", 8, 1, ERR_FORMAT,
	  "entries.bin: header: version 257 is not supported (expected 1)" },
	{ "reserved field not 0", 11, 1, ERR_FORMAT,
	  "entries.bin: header: reserved field is 1, not 0" },
	{ "count above the maximum", 12, 0xff, ERR_RANGE,
	  "entries.bin: header: 4278190082 records declared, at most 100000000" },
};

static void test_rows(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		uint8_t h[BIN_HEADER_LEN];
		uint32_t n = 7;

		bin_header_encode(&k, 2, h);
		assert_memory_equal(h, "SCEAUEMG\0\1\0\0\0\0\0\2", BIN_HEADER_LEN);
		h[rows[i].at] = rows[i].value;
		err_clear();
		assert_int_equal(bin_header_decode(&k, h, &n), rows[i].err);
		assert_string_equal(err_last_detail(), rows[i].detail);
		assert_int_equal(n, rows[i].err ? 7 : 2);   /* untouched on error */
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
