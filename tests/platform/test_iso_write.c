/* media/iso_write: images written with it read back with libarchive's own
 * ISO 9660 reader (what the box uses), with their lower-case names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "lib/err.h"
#include "media/iso_write.h"
#include "../support/testlib.h"

#define BIG_LEN 200003u /* several chunks, not a multiple of 2048 */
#define PVD_VOLUME_ID (16 * 2048 + 40)

/* A source of BIG_LEN bytes i*7 mod 251, in uneven pieces; stops at stop. */
struct src {
	uint64_t pos, stop;
	size_t piece;
};

static uint8_t src_byte(uint64_t i)
{
	return (uint8_t)(i * 7 % 251);
}

static int src_read(void *arg, uint8_t *buf, size_t cap, size_t *got)
{
	struct src *s = arg;
	size_t n = s->piece < cap ? s->piece : cap;

	if (n > s->stop - s->pos)
		n = (size_t)(s->stop - s->pos);
	for (size_t i = 0; i < n; i++)
		buf[i] = src_byte(s->pos + i);
	s->pos += n;
	s->piece = s->piece * 3 % 40000 + 1;
	*got = n;
	return 0;
}

struct seen {
	int manifest, big;
};

static void check_entry(struct archive *a, struct archive_entry *e, struct seen *seen)
{
	static const char manifest[] = "{\"format\": \"x\"}\n";
	const char *name = archive_entry_pathname(e);
	uint8_t *buf = malloc(BIG_LEN + 1);
	la_ssize_t n, total = 0;

	assert_non_null(buf);
	/* libarchive's reader lists the root directory itself as "." */
	if (archive_entry_filetype(e) == AE_IFDIR && strcmp(name, ".") == 0) {
		free(buf);
		return;
	}
	while ((n = archive_read_data(a, buf + total, BIG_LEN + 1 - (size_t)total)) > 0)
		total += n;
	assert_true(n == 0);
	if (strcmp(name, "manifest.json") == 0) {
		assert_int_equal(total, sizeof(manifest) - 1);
		assert_memory_equal(buf, manifest, sizeof(manifest) - 1);
		seen->manifest++;
	} else if (strcmp(name, "ballots.bin") == 0) {
		assert_int_equal(total, BIG_LEN);
		for (size_t i = 0; i < BIG_LEN; i++)
			if (buf[i] != src_byte(i))
				fail_msg("ballots.bin byte %zu differs", i);
		seen->big++;
	} else {
		fail_msg("unexpected file in the image: \"%s\"", name);
	}
	free(buf);
}

static void read_back(const char *path)
{
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	struct seen seen = { 0, 0 };
	int r;

	assert_non_null(a);
	assert_int_equal(archive_read_support_format_iso9660(a), ARCHIVE_OK);
	assert_int_equal(archive_read_open_filename(a, path, 10240), ARCHIVE_OK);
	while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK)
		check_entry(a, e, &seen);
	assert_int_equal(r, ARCHIVE_EOF);
	assert_int_equal(archive_read_free(a), ARCHIVE_OK);
	assert_int_equal(seen.manifest, 1);
	assert_int_equal(seen.big, 1);
}

/* The primary volume descriptor names the volume (space-padded). */
static void check_volume_id(const char *path, const char *want)
{
	char id[33] = { 0 };
	FILE *f = fopen(path, "rb");

	assert_non_null(f);
	assert_int_equal(fseek(f, PVD_VOLUME_ID, SEEK_SET), 0);
	assert_int_equal(fread(id, 1, 32, f), 32);
	fclose(f);
	assert_memory_equal(id, want, strlen(want));
	for (size_t i = strlen(want); i < 32; i++)
		assert_int_equal(id[i], ' ');
}

static void write_two(const char *path, int *ret_close)
{
	static const char manifest[] = "{\"format\": \"x\"}\n";
	struct src s = { 0, BIG_LEN, 1 };
	struct iso_write *w = NULL;

	assert_int_equal(iso_write_open(path, "SCEAU_TEST", &w), 0);
	assert_int_equal(iso_write_buffer(w, "manifest.json", manifest, sizeof(manifest) - 1),
			 0);
	assert_int_equal(iso_write_file(w, "ballots.bin", BIG_LEN, src_read, &s), 0);
	*ret_close = iso_write_close(w);
}

static void writes_names_contents_and_volume(void **state)
{
	char dir[64], path[128], part[140];
	int ret = -1;

	(void)state;
	testlib_tmpdir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/urn.iso", dir);
	snprintf(part, sizeof(part), "%s.part", path);
	write_two(path, &ret);
	assert_int_equal(ret, 0);
	assert_int_equal(access(part, F_OK), -1);
	read_back(path);
	check_volume_id(path, "SCEAU_TEST");
	testlib_rmdir(dir);
}

static void refuses_to_replace_an_image(void **state)
{
	char dir[64], path[128];
	struct iso_write *w = NULL;
	struct stat st;
	FILE *f;

	(void)state;
	testlib_tmpdir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/urn.iso", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("old", f);
	fclose(f);
	assert_int_equal(iso_write_open(path, "SCEAU_URNE", &w), ERR_EXISTS);
	assert_null(w);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, 3);
	testlib_rmdir(dir);
}

/* A source that stops early leaves neither an image nor a .part file. */
static void short_source_leaves_nothing(void **state)
{
	char dir[64], path[128], part[140];
	struct src s = { 0, BIG_LEN - 1, 1 };
	struct iso_write *w = NULL;

	(void)state;
	testlib_tmpdir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/urn.iso", dir);
	snprintf(part, sizeof(part), "%s.part", path);
	assert_int_equal(iso_write_open(path, "SCEAU_URNE", &w), 0);
	assert_int_equal(access(part, F_OK), 0);
	assert_int_equal(iso_write_file(w, "ballots.bin", BIG_LEN, src_read, &s),
			 ERR_INTERNAL);
	assert_int_equal(iso_write_buffer(w, "manifest.json", "x", 1), ERR_STATE);
	assert_int_equal(iso_write_close(w), ERR_STATE);
	assert_int_equal(access(path, F_OK), -1);
	assert_int_equal(access(part, F_OK), -1);
	testlib_rmdir(dir);
}

/* A source that gives more than announced is a bug, caught. */
static void long_source_is_refused(void **state)
{
	char dir[64], path[128];
	struct src s = { 0, BIG_LEN, 1 };
	struct iso_write *w = NULL;

	(void)state;
	testlib_tmpdir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/urn.iso", dir);
	assert_int_equal(iso_write_open(path, "SCEAU_URNE", &w), 0);
	assert_int_equal(iso_write_file(w, "ballots.bin", BIG_LEN - 5, src_read, &s),
			 ERR_INTERNAL);
	iso_write_abort(w);
	assert_int_equal(access(path, F_OK), -1);
	testlib_rmdir(dir);
}

static const struct {
	const char *title, *volume, *name;
	int want_open, want_file;
} name_rows[] = {
	{ "a lower-case volume id is refused", "sceau", "a.bin", ERR_FORMAT, 0 },
	{ "an empty volume id is refused", "", "a.bin", ERR_FORMAT, 0 },
	{ "a 17-character volume id is refused (Joliet holds 16)", "ABCDEFGHIJKLMNOPQ",
	  "a.bin", ERR_FORMAT, 0 },
	{ "a 16-character volume id is accepted", "SCEAU_EMARGEMENT", "a.bin", 0, 0 },
	{ "a 31-character file name is accepted", "V", "abcdefghijklmnopqrstuvwxyz-.bin",
	  0, 0 },
	{ "a 32-character file name is refused (ISO 9660 level 2 holds 31)", "V",
	  "abcdefghijklmnopqrstuvwxyz-0.bin", 0, ERR_FORMAT },
	{ "a file name with a slash is refused", "V", "dir/a.bin", 0, ERR_FORMAT },
	{ "a file name with upper case is refused", "V", "A.bin", 0, ERR_FORMAT },
	{ "a hidden file name is refused", "V", ".a", 0, ERR_FORMAT },
	{ "an empty file name is refused", "V", "", 0, ERR_FORMAT },
};

static void checks_volume_ids_and_names(void **state)
{
	char dir[64], path[128];

	(void)state;
	testlib_tmpdir(dir, sizeof(dir));
	for (size_t i = 0; i < sizeof(name_rows) / sizeof(name_rows[0]); i++) {
		struct iso_write *w = NULL;
		int ret;

		snprintf(path, sizeof(path), "%s/%zu.iso", dir, i);
		ret = iso_write_open(path, name_rows[i].volume, &w);
		if (ret != name_rows[i].want_open)
			fail_msg("%s: open gave %d", name_rows[i].title, ret);
		if (ret)
			continue;
		ret = iso_write_buffer(w, name_rows[i].name, "x", 1);
		if (ret != name_rows[i].want_file)
			fail_msg("%s: file gave %d", name_rows[i].title, ret);
		iso_write_abort(w);
	}
	testlib_rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(writes_names_contents_and_volume),
		cmocka_unit_test(refuses_to_replace_an_image),
		cmocka_unit_test(short_source_leaves_nothing),
		cmocka_unit_test(long_source_is_refused),
		cmocka_unit_test(checks_volume_ids_and_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
