/* libFuzzer target: an ISO 9660 image read as the box reads a medium
 * (media/iso_volume.c, media/iso_read.c over libarchive): the volume
 * descriptors and the three trees listed, then every file read through the
 * three trees at once, then the urn's exact file set. Whatever the layout
 * check accepts, each file reads back with the size listed.
 *
 * The input is the image from sector 16 on, without its trailing zeros:
 * the 32 KiB system area before it (zeros in the images Sceau reads) and
 * 1 MiB of zeros after it are added here, so that a seed image fits
 * libFuzzer's length limit. The seeds (corpus/iso) are small urns and
 * the hostile images of tests/media/test_media_trees.sh (a Joliet tree
 * pointing at other bytes, a name twice, a file only one tree shows, a
 * second Joliet descriptor), cut the same way (the first 32 KiB and the
 * final zeros removed). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "media/media.h"

#define SYSTEM_AREA 32768
#define TAIL (1u << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int fuzz_count(const uint8_t *d, size_t len, void *arg)
{
	(void)d;
	*(uint64_t *)arg += len;
	return 0;
}

static int fuzz_image(const uint8_t *data, size_t size, struct medium *m)
{
	static const uint8_t zeros[SYSTEM_AREA];
	static int fd = -1;

	if (fd < 0)
		fd = memfd_create("fuzz-iso", MFD_CLOEXEC);
	if (fd < 0 || ftruncate(fd, 0) != 0 ||
	    pwrite(fd, zeros, SYSTEM_AREA, 0) != SYSTEM_AREA ||
	    (size && pwrite(fd, data, size, SYSTEM_AREA) != (ssize_t)size) ||
	    ftruncate(fd, (off_t)(SYSTEM_AREA + size + TAIL)) != 0)
		return -1;
	memset(m, 0, sizeof(*m));
	m->fd = fd;
	m->size = SYSTEM_AREA + size + TAIL;
	snprintf(m->path, sizeof(m->path), "fuzz.iso");
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct media_file f[8];
	struct medium m;
	size_t n = 0;

	if (fuzz_image(data, size, &m) != 0)
		__builtin_trap();
	if (media_iso_list(&m, "SCEAU_URNE", f, 8, &n) == 0) {
		for (size_t i = 0; i < n; i++) {
			uint64_t got = 0;

			if (i > 0 && strcmp(f[i - 1].name, f[i].name) >= 0)
				__builtin_trap();
			if (media_iso_stream(&m, f[i].name, fuzz_count, &got) == 0 &&
			    got != f[i].size)
				__builtin_trap();
		}
	}
	(void)media_iso_check_sealed(&m, MANIFEST_KIND_URN);
	return 0;
}
