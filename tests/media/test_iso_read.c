/* media/iso_read.c and iso_volume.c (issue 14, items 3, 7, 8): images
 * written by media/iso_write read back through all three trees, the urn's
 * and émargement's exact file set, the volume descriptors; FIFOs and other
 * non-files refused without waiting. The images whose trees disagree are
 * crafted in tests/media/test_media_trees.sh (xorriso, isoforge.py). */
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "crypto/hash.h"
#include "lib/err.h"
#include "lib/file.h"
#include "media/iso_write.h"
#include "media/media.h"
#include "../support/testlib.h"

#define BIG_LEN 600001u /* more than two of the readers' chunks */
#define SECTOR 2048

static char dir[64];

static uint8_t *big_data(void)
{
	uint8_t *b = malloc(BIG_LEN);

	assert_non_null(b);
	for (size_t i = 0; i < BIG_LEN; i++)
		b[i] = (uint8_t)(i * 13 % 251);
	return b;
}

/* An image of the given files, each holding its own name, but
 * ballots.bin and big-file.x.bin (BIG_LEN bytes) and empty-* (none). */
static void write_image(const char *path, const char *volume, const char *const *names,
			size_t n)
{
	struct iso_write *w = NULL;
	uint8_t *big = big_data();

	unlink(path);
	assert_int_equal(iso_write_open(path, volume, &w), 0);
	for (size_t i = 0; i < n; i++) {
		if (strcmp(names[i], "ballots.bin") == 0 || strcmp(names[i], "big-file.x.bin") == 0)
			assert_int_equal(iso_write_buffer(w, names[i], big, BIG_LEN), 0);
		else
			assert_int_equal(iso_write_buffer(w, names[i], names[i],
							  strncmp(names[i], "empty", 5) == 0
								  ? 0 : strlen(names[i])),
					 0);
	}
	assert_int_equal(iso_write_close(w), 0);
	free(big);
}

static int setup(void **state)
{
	(void)state;
	testlib_tmpdir(dir, sizeof(dir));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	testlib_rmdir(dir);
	return 0;
}

static void open_image(const char *path, struct medium *m)
{
	assert_int_equal(media_open_image(path, m), 0);
}

/* What the box writes, its three trees agree on: every name (with '-',
 * several dots, 31 characters, an empty file), every size, every byte. */
static void test_written_images_agree(void **state)
{
	static const char *const names[] = {
		"big-file.x.bin", "manifest.json", "pv-1.pdf", "a", "empty-",
		"abcdefghijklmnopqrstuvwxyz-.bin", "signatures-results.json",
	};
	char path[128];
	struct media_file f[16];
	struct medium m;
	size_t n = 0, len = 0;
	uint8_t *buf = NULL, *big = big_data();

	(void)state;
	snprintf(path, sizeof(path), "%s/a.iso", dir);
	write_image(path, "SCEAU_ARCHIVE", names, sizeof(names) / sizeof(names[0]));
	open_image(path, &m);
	assert_int_equal(media_iso_list(&m, "SCEAU_ARCHIVE", f, 16, &n), 0);
	assert_int_equal(n, sizeof(names) / sizeof(names[0]));
	assert_string_equal(f[0].name, "a"); /* sorted by name */
	assert_string_equal(f[1].name, "abcdefghijklmnopqrstuvwxyz-.bin");
	assert_string_equal(f[2].name, "big-file.x.bin");
	assert_int_equal(f[2].size, BIG_LEN);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(media_iso_read(&m, f[i].name, BIG_LEN, &buf, &len), 0);
		assert_int_equal(len, f[i].size);
		if (strcmp(f[i].name, "big-file.x.bin") == 0)
			assert_memory_equal(buf, big, BIG_LEN);
		else if (strcmp(f[i].name, "empty-") == 0)
			assert_int_equal(len, 0);
		else
			assert_memory_equal(buf, f[i].name, len);
		free(buf);
	}
	assert_int_equal(media_iso_list(&m, "SCEAU_URNE", f, 16, &n), ERR_MEDIA_LAYOUT);
	assert_non_null(strstr(err_last_detail(), "volume identifier is \"SCEAU_ARCHIVE"));
	assert_int_equal(media_iso_list(&m, "SCEAU_ARCHIVE", f, 3, &n), ERR_MEDIA_LAYOUT);
	assert_int_equal(media_iso_read(&m, "nothing.bin", 10, &buf, &len), ERR_NOTFOUND);
	media_close(&m);
	free(big);
}

/* "a-b.bin" and "a_b.bin" have one ISO 9660 name: whatever the writer
 * makes of it, the plain tree would hold a name no other tree has. */
static void test_names_one_iso_name_refused(void **state)
{
	static const char *const names[] = { "a-b.bin", "a_b.bin" };
	char path[128];
	struct media_file f[4];
	struct medium m;
	size_t n = 0;

	(void)state;
	snprintf(path, sizeof(path), "%s/c.iso", dir);
	write_image(path, "SCEAU_ARCHIVE", names, 2);
	open_image(path, &m);
	assert_int_equal(media_iso_list(&m, "SCEAU_ARCHIVE", f, 4, &n), ERR_MEDIA_LAYOUT);
	assert_non_null(strstr(err_last_detail(), "the same ISO 9660 name A_B.BIN"));
	media_close(&m);
}

static const struct {
	const char *title, *volume;
	const char *names[5];
	size_t n;
	enum manifest_kind kind;
	int want;
	const char *detail;
} sealed_rows[] = {
	{ "the urn's three files", "SCEAU_URNE", { "manifest.json", "manifest.sig", "ballots.bin" },
	  3, MANIFEST_KIND_URN, 0, "" },
	{ "the émargement's three files", "SCEAU_EMARGEMENT",
	  { "entries.bin", "manifest.json", "manifest.sig" }, 3, MANIFEST_KIND_EMARGEMENT, 0, "" },
	{ "an extra unsealed file is refused", "SCEAU_URNE",
	  { "manifest.json", "manifest.sig", "ballots.bin", "notes.txt" }, 4, MANIFEST_KIND_URN,
	  ERR_MEDIA_LAYOUT, "holds a file notes.txt; it must hold only" },
	{ "a missing data file is refused", "SCEAU_URNE", { "manifest.json", "manifest.sig" }, 2,
	  MANIFEST_KIND_URN, ERR_MEDIA_LAYOUT, "has no file ballots.bin" },
	{ "the urn's data file in an émargement is refused", "SCEAU_EMARGEMENT",
	  { "manifest.json", "manifest.sig", "ballots.bin" }, 3, MANIFEST_KIND_EMARGEMENT,
	  ERR_MEDIA_LAYOUT, "holds a file ballots.bin" },
	{ "an urn with the émargement's volume id is refused", "SCEAU_EMARGEMENT",
	  { "manifest.json", "manifest.sig", "ballots.bin" }, 3, MANIFEST_KIND_URN,
	  ERR_MEDIA_LAYOUT, "not SCEAU_URNE" },
};

static void test_sealed_images_hold_exactly_their_files(void **state)
{
	char path[128];
	struct medium m;

	(void)state;
	snprintf(path, sizeof(path), "%s/s.iso", dir);
	for (size_t i = 0; i < sizeof(sealed_rows) / sizeof(sealed_rows[0]); i++) {
		int ret;

		write_image(path, sealed_rows[i].volume, sealed_rows[i].names, sealed_rows[i].n);
		open_image(path, &m);
		err_clear();
		ret = media_iso_check_sealed(&m, sealed_rows[i].kind);
		if (ret != sealed_rows[i].want ||
		    !strstr(err_last_detail(), sealed_rows[i].detail))
			fail_msg("%s: %d (%s)", sealed_rows[i].title, ret, err_last_detail());
		media_close(&m);
	}
}

static void patch_sector(const char *path, unsigned to, const uint8_t *d)
{
	int fd = open(path, O_WRONLY);

	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, d, SECTOR, (off_t)to * SECTOR), SECTOR);
	close(fd);
}

static void read_sector(const char *path, unsigned n, uint8_t *d)
{
	int fd = open(path, O_RDONLY);

	assert_true(fd >= 0);
	assert_int_equal(pread(fd, d, SECTOR, (off_t)n * SECTOR), SECTOR);
	close(fd);
}

/* Descriptors libarchive would not read, or would read one way where
 * another reader reads another: refused before any tree is read. The
 * writer puts the primary descriptor at 16, Joliet's at 17, the
 * terminator at 18 (checked first). */
static void test_volume_descriptors(void **state)
{
	static const char *const names[] = { "manifest.json", "manifest.sig", "ballots.bin" };
	uint8_t pvd[SECTOR], jol[SECTOR], term[SECTOR], d[SECTOR];
	char path[128];
	struct medium m;

	(void)state;
	snprintf(path, sizeof(path), "%s/v.iso", dir);
	write_image(path, "SCEAU_URNE", names, 3);
	read_sector(path, 16, pvd);
	read_sector(path, 17, jol);
	read_sector(path, 18, term);
	assert_int_equal(pvd[0], 1);
	assert_memory_equal(jol + 88, "%/E", 3);
	assert_int_equal(term[0], 255);

	/* a second Joliet descriptor (Windows might read either) */
	patch_sector(path, 18, jol);
	patch_sector(path, 19, term);
	open_image(path, &m);
	assert_int_equal(media_iso_check_sealed(&m, MANIFEST_KIND_URN), ERR_MEDIA_LAYOUT);
	assert_non_null(strstr(err_last_detail(), "other than the primary and one Joliet"));
	media_close(&m);

	/* no Joliet descriptor at all */
	write_image(path, "SCEAU_URNE", names, 3);
	patch_sector(path, 17, term);
	open_image(path, &m);
	assert_int_equal(media_iso_check_sealed(&m, MANIFEST_KIND_URN), ERR_MEDIA_LAYOUT);
	assert_non_null(strstr(err_last_detail(), "no Joliet volume descriptor"));
	media_close(&m);

	/* a UDF bridge: an ECMA-167 recognition sequence after the terminator */
	write_image(path, "SCEAU_URNE", names, 3);
	memset(d, 0, sizeof(d));
	memcpy(d, "\0BEA01\1", 7);
	patch_sector(path, 19, d);
	open_image(path, &m);
	assert_int_equal(media_iso_check_sealed(&m, MANIFEST_KIND_URN), ERR_MEDIA_LAYOUT);
	assert_non_null(strstr(err_last_detail(), "UDF"));
	media_close(&m);

	/* a Joliet volume name other than the primary one */
	write_image(path, "SCEAU_URNE", names, 3);
	jol[41] = 'X';
	patch_sector(path, 17, jol);
	open_image(path, &m);
	assert_int_equal(media_iso_check_sealed(&m, MANIFEST_KIND_URN), ERR_MEDIA_LAYOUT);
	assert_non_null(strstr(err_last_detail(), "Joliet volume identifier"));
	media_close(&m);

	/* not an ISO image at all */
	memset(d, 0, sizeof(d));
	patch_sector(path, 16, d);
	open_image(path, &m);
	assert_int_equal(media_iso_check_sealed(&m, MANIFEST_KIND_URN), ERR_FORMAT);
	media_close(&m);
}

/* Without the fix, open() waits for a writer for ever: the alarm ends
 * the test (a failure) instead of hanging the suite. */
static void test_fifo_and_other_non_files_refused(void **state)
{
	char fifo[128];
	struct medium m;
	struct stat st;
	uint8_t sha[32], *buf = NULL;
	size_t len = 0;

	(void)state;
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	alarm(20);
	assert_int_equal(media_open(fifo, &m), ERR_FILETYPE);
	assert_non_null(strstr(err_last_detail(), "a FIFO"));
	assert_int_equal(media_open_image(fifo, &m), ERR_FILETYPE);
	assert_int_equal(media_open(dir, &m), ERR_FILETYPE);
	assert_int_equal(media_open("/dev/null", &m), ERR_FILETYPE);
	assert_int_equal(file_read_all(fifo, 100, &buf, &len), ERR_FILETYPE);
	assert_int_equal(file_read_all(dir, 100, &buf, &len), ERR_FILETYPE);
	assert_int_equal(file_read_all("/dev/zero", 100, &buf, &len), ERR_FILETYPE);
	assert_int_equal(file_open_regular(fifo, &st), ERR_FILETYPE);
	assert_int_equal(hash_file(fifo, sha, NULL), ERR_FILETYPE);
	alarm(0);
}

/* A regular file opened by file_open_regular reads as usual (blocking). */
static void test_regular_file_reads(void **state)
{
	char path[128];
	struct stat st;
	uint8_t *buf = NULL;
	size_t len = 0;
	int fd, flags;

	(void)state;
	snprintf(path, sizeof(path), "%s/r.json", dir);
	assert_int_equal(file_write_atomic(path, "{}\n", 3, 0), 0);
	fd = file_open_regular(path, &st);
	assert_true(fd >= 0);
	flags = fcntl(fd, F_GETFL);
	assert_int_equal(flags & O_NONBLOCK, 0);
	assert_int_equal(st.st_size, 3);
	close(fd);
	assert_int_equal(file_read_all(path, 100, &buf, &len), 0);
	assert_int_equal(len, 3);
	free(buf);
	assert_int_equal(file_open_regular("/nonexistent/x", &st), ERR_NOTFOUND);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_written_images_agree),
		cmocka_unit_test(test_names_one_iso_name_refused),
		cmocka_unit_test(test_sealed_images_hold_exactly_their_files),
		cmocka_unit_test(test_volume_descriptors),
		cmocka_unit_test(test_fifo_and_other_non_files_refused),
		cmocka_unit_test(test_regular_file_reads),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
