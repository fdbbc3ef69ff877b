/* The box's own devices (firmware/media/box.c): the image's hash over its
 * ISO 9660 volume whatever follows it, the boot medium's disk, and the USB
 * sticks found in a sysfs tree made up for the test. */
#include <fcntl.h>
#include <setjmp.h>
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
#include "media/box.h"
#include "media/iso_write.h"
#include "../support/testlib.h"

static char dir[256];

static int setup(void **state)
{
	testlib_tmpdir(dir, sizeof(dir));
	return 0;
}

static int teardown(void **state)
{
	testlib_rmdir(dir);
	return 0;
}

static void path(char *out, size_t n, const char *name)
{
	snprintf(out, n, "%s/%s", dir, name);
}

/* The hash of an image written to a larger "stick" is the image's own. */
static void test_volume_hash(void **state)
{
	char iso[512];
	struct iso_write *w = NULL;
	uint8_t *img = NULL, want[32], got[32], junk[5000];
	size_t len = 0;
	uint64_t size = 0;
	int fd;

	path(iso, sizeof(iso), "image.iso");
	assert_int_equal(iso_write_open(iso, "SCEAU", &w), 0);
	assert_int_equal(iso_write_buffer(w, "hello.txt", "bonjour\n", 8), 0);
	assert_int_equal(iso_write_close(w), 0);
	assert_int_equal(file_read_all(iso, 64u << 20, &img, &len), 0);
	assert_int_equal(hash_sha256(img, len, want), 0);
	fd = open(iso, O_RDWR);
	assert_true(fd >= 0);
	assert_int_equal(media_volume_hash(fd, got, &size), 0);
	if (size == len) /* the writer ends the image at its volume's end */
		assert_memory_equal(got, want, 32);
	assert_true(size <= len && size % 2048 == 0);
	/* what follows the volume on the medium changes nothing */
	assert_int_equal(hash_sha256(img, (size_t)size, want), 0);
	memset(junk, 0xA5, sizeof(junk));
	assert_int_equal(pwrite(fd, junk, sizeof(junk), (off_t)len), (ssize_t)sizeof(junk));
	assert_int_equal(media_volume_hash(fd, got, &size), 0);
	assert_memory_equal(got, want, 32);
	/* a changed byte inside the volume changes the hash */
	assert_int_equal(pwrite(fd, "X", 1, 40000 < size ? 40000 : 100), 1);
	assert_int_equal(media_volume_hash(fd, got, &size), 0);
	assert_memory_not_equal(got, want, 32);
	/* not an ISO 9660 image */
	assert_int_equal(pwrite(fd, "XXXXX", 5, 16 * 2048 + 1), 5);
	assert_int_equal(media_volume_hash(fd, got, &size), ERR_FORMAT);
	close(fd);
	free(img);
}

static void test_boot_disk_not_mounted(void **state)
{
	char dev[64];

	assert_int_equal(media_boot_disk("/no/such/mount/point", dev, sizeof(dev)),
			 ERR_NOTFOUND);
	assert_non_null(strstr(err_last_detail(), "not started from the box image"));
}

/* A disk in the made-up /sys/block: USB or not, its size, read-only flag,
 * and whether it has a first partition. */
static void fake_disk(const char *name, int usb, const char *size, const char *ro, int part)
{
	char p[512], target[512];

	snprintf(p, sizeof(p), "%s/block/%s", dir, name);
	assert_int_equal(file_mkdirs(p), 0);
	snprintf(target, sizeof(target), "%s/devices/pci0000:00/%s/%s", dir,
		 usb ? "0000:00:04.0/usb2/2-1/2-1:1.0/host2" : "0000:00:01.1/ata1/host0", name);
	assert_int_equal(file_mkdirs(target), 0);
	snprintf(p, sizeof(p), "%s/block/%s/device", dir, name);
	assert_int_equal(symlink(target, p), 0);
	snprintf(p, sizeof(p), "%s/block/%s/size", dir, name);
	assert_int_equal(file_write_atomic(p, size, strlen(size), 1), 0);
	snprintf(p, sizeof(p), "%s/block/%s/ro", dir, name);
	assert_int_equal(file_write_atomic(p, ro, strlen(ro), 1), 0);
	if (part) {
		snprintf(p, sizeof(p), "%s/block/%s/%s1", dir, name, name);
		assert_int_equal(file_mkdirs(p), 0);
	}
}

static void test_sticks(void **state)
{
	char block[512];
	struct media_stick s[4];
	unsigned n = 9, ro = 0, rw = 0;

	snprintf(block, sizeof(block), "%s/block", dir);
	fake_disk("sda", 0, "1000000\n", "0\n", 1);  /* the internal disk */
	fake_disk("sdb", 1, "163072\n", "0\n", 1);   /* the boot stick */
	fake_disk("sdc", 1, "65536\n", "1\n", 0);    /* write-protected, no table */
	fake_disk("sdd", 1, "131072\n", "0\n", 1);   /* the export stick */
	fake_disk("sde", 1, "0\n", "0\n", 0);        /* a card reader, no card */
	fake_disk("sr0", 0, "4000\n", "1\n", 0);     /* a DVD drive */
	media_sysfs_block = block;
	assert_int_equal(media_sticks("/dev/sdb", s, 4, &n), 0);
	media_sysfs_block = "/sys/block";
	assert_int_equal(n, 2);
	for (unsigned i = 0; i < n; i++) {
		if (strcmp(s[i].disk, "sdc") == 0) {
			assert_string_equal(s[i].dev, "/dev/sdc");
			assert_true(s[i].readonly);
			ro++;
		} else {
			assert_string_equal(s[i].disk, "sdd");
			assert_string_equal(s[i].dev, "/dev/sdd1");
			assert_false(s[i].readonly);
			rw++;
		}
	}
	assert_int_equal(ro + rw, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_volume_hash, setup, teardown),
		cmocka_unit_test(test_boot_disk_not_mounted),
		cmocka_unit_test_setup_teardown(test_sticks, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
