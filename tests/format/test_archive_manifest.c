/* The archive's final manifest (format/archive_manifest.c): what the writer
 * makes the reader gives back, byte for byte; what the reader refuses, and
 * the path it names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "format/archive_manifest.h"
#include "lib/err.h"

#define ROWS(a) (sizeof(a) / sizeof((a)[0]))

#define Z64 "0000000000000000000000000000000000000000000000000000000000000000"
#define MAN(files) "{\"format\": \"sceau-archive/1\", \"election_id\": \"" Z64 "\"," \
	" \"sealed_at\": \"2026-12-08T18:42:10Z\", \"journal_head\": \"" Z64 "\"," \
	" \"firmware_sha256\": \"" Z64 "\", \"files\": [" files "]}"
#define F(n) "{\"name\": \"" n "\", \"size\": 1, \"sha256\": \"" Z64 "\"}"

static const struct {
	const char *title, *text;
	int ok;
	const char *detail; /* start of err_last_detail() when refused */
} rows[] = {
	{ "two files", MAN(F("a.json") ", " F("b.iso")), 1, NULL },
	{ "not sorted", MAN(F("b.iso") ", " F("a.json")), 0, "files[1].name: not after" },
	{ "twice", MAN(F("a.json") ", " F("a.json")), 0, "files[1].name: not after" },
	{ "upper case", MAN(F("A.json")), 0, "files[0].name: not an archive file name" },
	{ "a subdirectory", MAN(F("pv/a.pdf")), 0, "files[0].name" },
	{ "hidden", MAN(F(".a")), 0, "files[0].name" },
	{ "lists itself", MAN(F("manifest.json")), 0, "files[0].name" },
	{ "lists its signatures", MAN(F("signatures-manifest.json")), 0, "files[0].name" },
	{ "no file", MAN(""), 0, "files" },
	{ "other format", "{\"format\": \"sceau-archive/2\"}", 0, "format" },
	{ "sealed_at not a time",
	  "{\"format\": \"sceau-archive/1\", \"election_id\": \"" Z64 "\","
	  " \"sealed_at\": \"yesterday\", \"journal_head\": \"" Z64 "\","
	  " \"firmware_sha256\": \"" Z64 "\", \"files\": [" F("a") "]}", 0, "sealed_at" },
	{ "short hash",
	  "{\"format\": \"sceau-archive/1\", \"election_id\": \"00\","
	  " \"sealed_at\": \"2026-12-08T18:42:10Z\", \"journal_head\": \"" Z64 "\","
	  " \"firmware_sha256\": \"" Z64 "\", \"files\": [" F("a") "]}", 0, "election_id" },
	{ "unknown key",
	  "{\"format\": \"sceau-archive/1\", \"election_id\": \"" Z64 "\", \"x\": 1,"
	  " \"sealed_at\": \"2026-12-08T18:42:10Z\", \"journal_head\": \"" Z64 "\","
	  " \"firmware_sha256\": \"" Z64 "\", \"files\": [" F("a") "]}", 0, "x" },
	{ "size beyond 2^53",
	  MAN("{\"name\": \"a\", \"size\": 9007199254740993, \"sha256\": \"" Z64 "\"}"), 0,
	  "files[0].size" },
};

static void test_read_rows(void **state)
{
	(void)state;
	for (size_t i = 0; i < ROWS(rows); i++) {
		struct archive_manifest m;
		int ret;

		err_clear();
		ret = archive_manifest_read((const uint8_t *)rows[i].text, strlen(rows[i].text),
					    &m);
		if ((ret == 0) != rows[i].ok)
			fail_msg("%s: %s (%d)", rows[i].title, ret ? "refused" : "accepted", ret);
		if (ret == 0)
			assert_int_equal(m.n_files, 2);
		if (ret && strncmp(err_last_detail(), rows[i].detail, strlen(rows[i].detail)))
			fail_msg("%s: detail \"%s\", expected \"%s…\"", rows[i].title,
				 err_last_detail(), rows[i].detail);
		archive_manifest_free(&m);
	}
}

/* A manifest as `sceau seal` makes one: written, read back, written again. */
static void test_write_read(void **state)
{
	struct archive_file files[3] = {
		{ "ballots-decrypted.bin", 123, { 1 } },
		{ "pv-1.pdf", 0, { 2 } },
		{ "urn.iso", 1ull << 40, { 3 } },
	};
	struct archive_manifest m = { .n_files = 3, .files = files }, back;
	char *text = NULL, *again = NULL;
	size_t len = 0, len2 = 0;

	(void)state;
	memset(m.election_id, 0xe1, 32);
	memset(m.journal_head, 0x5a, 32);
	memset(m.firmware_sha256, 0xf0, 32);
	snprintf(m.sealed_at, sizeof(m.sealed_at), "2026-12-08T18:42:10Z");
	assert_int_equal(archive_manifest_write(&m, &text, &len), 0);
	assert_int_equal(strncmp(text, "{\n  \"format\": \"sceau-archive/1\",\n", 33), 0);
	assert_int_equal(text[len - 1], '\n');
	assert_int_equal(archive_manifest_read((const uint8_t *)text, len, &back), 0);
	assert_memory_equal(back.election_id, m.election_id, 32);
	assert_memory_equal(back.journal_head, m.journal_head, 32);
	assert_memory_equal(back.firmware_sha256, m.firmware_sha256, 32);
	assert_string_equal(back.sealed_at, m.sealed_at);
	assert_int_equal(back.n_files, 3);
	assert_memory_equal(back.files, files, sizeof(files));
	assert_ptr_equal(archive_manifest_find(&back, "urn.iso"), &back.files[2]);
	assert_null(archive_manifest_find(&back, "manifest.json"));
	assert_int_equal(archive_manifest_write(&back, &again, &len2), 0);
	assert_int_equal(len2, len);
	assert_memory_equal(again, text, len);
	archive_manifest_free(&back);
	free(text);
	free(again);
	/* a size no JSON reader holds exactly is not written */
	files[0].size = (1ull << 53) + 1;
	assert_int_equal(archive_manifest_write(&m, &text, &len), ERR_RANGE);
	assert_null(text);
}

static void test_names(void **state)
{
	(void)state;
	assert_true(archive_name_ok("pv-summary.pdf"));
	assert_true(archive_name_ok("a_b.c-d"));
	assert_false(archive_name_ok(""));
	assert_false(archive_name_ok(".hidden"));
	assert_false(archive_name_ok("Results.json"));
	assert_false(archive_name_ok("pv/a.pdf"));
	assert_true(archive_name_ok("x234567890123456789012345678901234567890123456789012345678901234"));
	assert_false(archive_name_ok("x2345678901234567890123456789012345678901234567890123456789012345"));
	for (size_t i = 1; i < ARCHIVE_N_REQUIRED; i++)
		assert_true(strcmp(archive_required[i - 1], archive_required[i]) < 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_rows),
		cmocka_unit_test(test_write_read),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
