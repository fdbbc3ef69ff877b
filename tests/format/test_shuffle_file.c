/*
 * format/shuffle_file: the shuffle file's header, size and layout
 * (docs/FORMATS.md "Shuffle file"), the writer's order, the reader's
 * checks. The shuffle's known answer (tests/data/shuffle-v2/kat-n10.bin,
 * made by the crypto tests) is such a file: it opens with its statement.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "crypto/hash.h"
#include "format/shuffle_file.h"
#include "lib/err.h"
#include "lib/file.h"
#include "../support/testlib.h"

static void header_of(struct shuffle_file_header *h, uint16_t scrutin, uint32_t n)
{
	memset(h, 0, sizeof(*h));
	for (int i = 0; i < 32; i++)
		h->election_id[i] = (uint8_t)(0x20 + i);
	h->scrutin = scrutin;
	h->n = n;
}

/* The layout of docs/FORMATS.md: 52 + 389 N + 453, every part where it says. */
static void layout(void **state)
{
	static const struct {
		enum shuffle_part part;
		uint64_t base, per_n;
	} rows[] = {
		{ SHUFFLE_OUT, 52, 0 },     { SHUFFLE_C, 52, 130 },      { SHUFFLE_CHAT, 52, 195 },
		{ SHUFFLE_T, 52, 260 },     { SHUFFLE_THAT, 377, 260 },  { SHUFFLE_S, 377, 325 },
		{ SHUFFLE_SHAT, 505, 325 }, { SHUFFLE_SPRIME, 505, 357 }, { SHUFFLE_PARTS, 505, 389 },
	};
	char name[SHUFFLE_FILE_NAME_MAX];

	(void)state;
	for (uint32_t n = 1; n < 2000000; n = n * 7 + 3)
		for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
			assert_int_equal(shuffle_file_offset(rows[i].part, n),
					 rows[i].base + rows[i].per_n * n);
	assert_int_equal(shuffle_file_size(1000000), 389000505ull);
	shuffle_file_name(12, name);
	assert_string_equal(name, "shuffle-12.bin");
	shuffle_file_name(65535, name);
	assert_string_equal(name, "shuffle-65535.bin");
}

/* The header, byte by byte, and each way it can be wrong. */
static void header(void **state)
{
	static const uint8_t want[SHUFFLE_FILE_HEADER_LEN] = {
		'S', 'C', 'E', 'A', 'U', 'S', 'H', 'F', 0, 2, 0, 0,
		0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2a, 0x2b, 0x2c,
		0x2d, 0x2e, 0x2f, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39,
		0x3a, 0x3b, 0x3c, 0x3d, 0x3e, 0x3f, 0x01, 0x02, 0, 0, 0x00, 0x01, 0x02, 0x03,
	};
	static const struct {
		size_t off;
		uint8_t value;
		int err;
		const char *detail;
	} bad[] = {
		{ 0, 'X', ERR_FORMAT, "bad magic" },
		{ 9, 1, ERR_FORMAT, "version 1 is not supported" },
		{ 10, 1, ERR_FORMAT, "reserved" },
		{ 47, 1, ERR_FORMAT, "reserved" },
	};
	struct shuffle_file_header h, got;
	uint8_t b[SHUFFLE_FILE_HEADER_LEN];

	(void)state;
	header_of(&h, 0x0102, 0x010203);
	shuffle_file_header_encode(&h, b);
	assert_memory_equal(b, want, sizeof(want));
	assert_int_equal(shuffle_file_header_decode(b, &got), 0);
	assert_memory_equal(got.election_id, h.election_id, 32);
	assert_int_equal(got.scrutin, h.scrutin);
	assert_int_equal(got.n, h.n);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memcpy(b, want, sizeof(b));
		b[bad[i].off] = bad[i].value;
		assert_int_equal(shuffle_file_header_decode(b, &got), bad[i].err);
		assert_non_null(strstr(err_last_detail(), bad[i].detail));
	}
	/* N = 0, N above the bound */
	header_of(&h, 1, 0);
	shuffle_file_header_encode(&h, b);
	assert_int_equal(shuffle_file_header_decode(b, &got), ERR_RANGE);
	header_of(&h, 1, SHUFFLE_MAX_N + 1);
	shuffle_file_header_encode(&h, b);
	assert_int_equal(shuffle_file_header_decode(b, &got), ERR_RANGE);
	/* the statement and the size */
	header_of(&h, 7, 3);
	shuffle_file_header_encode(&h, b);
	assert_int_equal(shuffle_file_check(b, 505 + 389 * 3, &h, &got), 0);
	assert_int_equal(shuffle_file_check(b, 505 + 389 * 3 + 1, &h, &got), ERR_FORMAT);
	assert_int_equal(shuffle_file_check(b, 505 + 389 * 3 - 1, &h, &got), ERR_FORMAT);
	h.n = 0; /* any N */
	assert_int_equal(shuffle_file_check(b, 505 + 389 * 3, &h, &got), 0);
	h.n = 4;
	assert_int_equal(shuffle_file_check(b, 505 + 389 * 3, &h, &got), ERR_FORMAT);
	assert_non_null(strstr(err_last_detail(), "N = 3, expected 4"));
	h.n = 3;
	h.scrutin = 8;
	assert_int_equal(shuffle_file_check(b, 505 + 389 * 3, &h, &got), ERR_FORMAT);
	assert_non_null(strstr(err_last_detail(), "scrutin 7, expected 8"));
	h.scrutin = 7;
	h.election_id[5] ^= 1;
	assert_int_equal(shuffle_file_check(b, 505 + 389 * 3, &h, &got), ERR_FORMAT);
	assert_non_null(strstr(err_last_detail(), "another election"));
}

/* Writes a whole file of n ballots whose element k of part p is bytes of
 * (p, k); returns its SHA-256 through sha. */
static void write_file(const char *path, const struct shuffle_file_header *h, uint8_t sha[32])
{
	struct shuffle_file_writer *w = NULL;

	assert_int_equal(shuffle_file_create(path, h, &w), 0);
	for (int p = 0; p < SHUFFLE_PARTS; p++) {
		size_t elem = shuffle_part_elem((enum shuffle_part)p);
		uint32_t count = shuffle_part_count((enum shuffle_part)p, h->n);
		uint8_t *d = malloc(elem * count);
		for (uint32_t k = 0; k < count; k++)
			memset(d + k * elem, p * 16 + (int)(k % 16), elem);
		/* in two writes, the first of at most 2 elements */
		uint32_t first = count < 2 ? count : 2;
		assert_int_equal(shuffle_file_write(w, (enum shuffle_part)p, 0, first, d), 0);
		if (count > first)
			assert_int_equal(shuffle_file_write(w, (enum shuffle_part)p, first,
							    count - first, d + first * elem), 0);
		free(d);
	}
	assert_int_equal(shuffle_file_finish(w, sha), 0);
}

/* Written in file order, read back at any element; the hash is the file's. */
static void write_read(void **state)
{
	struct shuffle_file_header h;
	struct shuffle_file_reader *r = NULL;
	char dir[64], path[128];
	uint8_t sha[32], h2[32], buf[130 * 5];
	uint64_t size = 0;

	(void)state;
	testlib_tmpdir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/shuffle-4.bin", dir);
	header_of(&h, 4, 5);
	write_file(path, &h, sha);
	assert_int_equal(hash_file(path, h2, &size), 0);
	assert_memory_equal(sha, h2, 32);
	assert_int_equal(size, shuffle_file_size(5));
	assert_int_equal(shuffle_file_open(path, &h, &r), 0);
	assert_int_equal(shuffle_file_header(r)->n, 5);
	assert_int_equal(shuffle_file_read(r, SHUFFLE_OUT, 1, 3, buf), 0);
	assert_int_equal(buf[0], 1);
	assert_int_equal(buf[3 * 130 - 1], 3);
	assert_int_equal(shuffle_file_read(r, SHUFFLE_SPRIME, 4, 1, buf), 0);
	assert_int_equal(buf[0], SHUFFLE_SPRIME * 16 + 4);
	assert_int_equal(shuffle_file_read(r, SHUFFLE_T, 0, 1, buf), 0);
	assert_int_equal(buf[324], SHUFFLE_T * 16);
	assert_int_equal(shuffle_file_read(r, SHUFFLE_OUT, 4, 2, buf), ERR_RANGE);
	assert_int_equal(shuffle_file_read(r, SHUFFLE_T, 1, 1, buf), ERR_RANGE);
	shuffle_file_close(r);
	/* another scrutin or N is refused; a file cut short too */
	h.scrutin = 5;
	assert_int_equal(shuffle_file_open(path, &h, &r), ERR_FORMAT);
	h.scrutin = 4;
	assert_int_equal(truncate(path, (off_t)shuffle_file_size(5) - 1), 0);
	assert_int_equal(shuffle_file_open(path, &h, &r), ERR_FORMAT);
	assert_non_null(strstr(err_last_detail(), "needs"));
	testlib_rmdir(dir);
}

/* The writer takes the parts in file order only, refuses to finish with a
 * part missing, and then leaves no file. */
static void writer_order(void **state)
{
	struct shuffle_file_header h;
	struct shuffle_file_writer *w = NULL, *w2 = NULL;
	uint8_t d[5 * 130] = { 0 }, sha[32];
	char dir[64], path[128];

	(void)state;
	testlib_tmpdir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/shuffle-1.bin", dir);
	header_of(&h, 1, 3);
	assert_int_equal(shuffle_file_create(path, &h, &w), 0);
	assert_int_not_equal(shuffle_file_create(path, &h, &w2), 0);
	assert_null(w2);
	assert_int_equal(shuffle_file_write(w, SHUFFLE_C, 0, 1, d), ERR_INTERNAL);
	assert_int_equal(shuffle_file_write(w, SHUFFLE_OUT, 1, 1, d), ERR_INTERNAL);
	assert_int_equal(shuffle_file_write(w, SHUFFLE_OUT, 0, 4, d), ERR_INTERNAL);
	assert_int_equal(shuffle_file_write(w, SHUFFLE_OUT, 0, 3, d), 0);
	assert_int_equal(shuffle_file_write(w, SHUFFLE_OUT, 3, 1, d), ERR_INTERNAL);
	assert_int_equal(shuffle_file_write(w, SHUFFLE_C, 0, 3, d), 0);
	assert_int_equal(shuffle_file_finish(w, sha), ERR_INTERNAL);
	assert_int_not_equal(access(path, F_OK), 0);
	testlib_rmdir(dir);
}

/* The crypto tests' known answer is a shuffle file of this layout. */
static void known_answer_opens(void **state)
{
	struct shuffle_file_header h;
	struct shuffle_file_reader *r = NULL;
	char path[512];

	(void)state;
	memset(&h, 0, sizeof(h));
	assert_int_equal(hash_sha256("sceau shuffle test election", 27, h.election_id), 0);
	h.scrutin = 3;
	h.n = 10;
	snprintf(path, sizeof(path), "%s/tests/data/shuffle-v2/kat-n10.bin",
		 getenv("SCEAU_TOP") ? getenv("SCEAU_TOP") : ".");
	assert_int_equal(shuffle_file_open(path, &h, &r), 0);
	shuffle_file_close(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(layout),
		cmocka_unit_test(header),
		cmocka_unit_test(write_read),
		cmocka_unit_test(writer_order),
		cmocka_unit_test(known_answer_opens),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
