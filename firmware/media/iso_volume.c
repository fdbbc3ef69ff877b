/*
 * The volume descriptors of an image; see iso_read.h.
 *
 * The one place where the box reads ISO 9660 structures itself, and only
 * fixed fields of the 2048-byte descriptors at the image's start (ECMA-119
 * 8): libarchive reads the directory trees but neither tells the volume
 * identifier nor which other descriptors the image carries, and it reads
 * only the first Joliet descriptor and no UDF at all. A reader that
 * prefers a tree libarchive does not see (a second Joliet descriptor, an
 * ISO 9660:1999 tree, a UDF bridge, which Windows reads first) could be
 * shown other files than the box checked: such images are refused here,
 * before any tree is read.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "lib/err.h"
#include "media/iso_read.h"
#include "media/media.h"

#define ISO_SECTOR 2048
#define ISO_FIRST_VD 16   /* the system area comes before */
#define ISO_VD_MAX 8      /* descriptors looked at after the primary one */

enum { ISO_VD_PRIMARY = 1, ISO_VD_SUPPLEMENTARY = 2, ISO_VD_TERMINATOR = 255 };

static int iso_sector(struct medium *m, unsigned n, uint8_t d[ISO_SECTOR])
{
	ssize_t k;

	do
		k = pread(m->fd, d, ISO_SECTOR, (off_t)n * ISO_SECTOR);
	while (k < 0 && errno == EINTR);
	if (k < 0) {
		err_detail("%s: read error at sector %u: %s", m->path, n, strerror(errno));
		return ERR_IO;
	}
	if (k != ISO_SECTOR) {
		err_detail("%s: not an ISO 9660 image (too short at sector %u)", m->path, n);
		return ERR_FORMAT;
	}
	return 0;
}

/* "CD001", version 1 (ECMA-119 8.1). */
static int iso_vd_std(const uint8_t *d)
{
	return memcmp(d + 1, "CD001", 5) == 0 && d[6] == 1;
}

/* The 32-byte volume identifier (ECMA-119 8.4.6): d-characters padded with
 * spaces in the primary descriptor, UCS-2 big-endian in Joliet's. */
static int iso_vd_volume_is(const uint8_t *d, const char *want, int ucs2)
{
	size_t w = ucs2 ? 2 : 1, n = strlen(want);

	for (size_t i = 0; i < 32 / w; i++) {
		char c = i < n ? want[i] : ' ';

		if ((ucs2 && d[40 + 2 * i] != 0) || d[40 + w * i + w - 1] != (uint8_t)c)
			return 0;
	}
	return n <= 32 / w;
}

/* The little-endian half of a both-byte-order field (ECMA-119 7.3.3). */
static uint64_t iso_le32(const uint8_t *p)
{
	return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 | (uint64_t)p[3] << 24;
}

/* The volume's size as declared (ECMA-119 8.4.8, 8.4.12) fits on the
 * medium, in 2048-byte blocks, and the root directory (its record at bytes
 * 156..189: extent at +2, data length at +10) in the volume: libarchive
 * allocates what a directory declares before reading it, bounded by the
 * volume size only for subdirectories and not at all for the root. */
static int iso_vd_size_ok(const struct medium *m, const uint8_t *d)
{
	uint64_t volume = iso_le32(d + 80) * ISO_SECTOR;

	return d[128] == 0 && d[129] == ISO_SECTOR >> 8 && volume <= m->size &&
	       iso_le32(d + 156 + 2) * ISO_SECTOR + iso_le32(d + 156 + 10) <= volume;
}

/* A Joliet descriptor: supplementary, version 1, with one of Joliet's
 * three escape sequences (UCS-2 levels 1 to 3) at bytes 88..90. */
static int iso_vd_joliet(const uint8_t *d)
{
	return d[0] == ISO_VD_SUPPLEMENTARY && d[88] == '%' && d[89] == '/' &&
	       (d[90] == '@' || d[90] == 'C' || d[90] == 'E');
}

/* ECMA-167 2/9.1: a UDF or ISO 13490 volume recognition sequence. */
static int iso_vrs_ident(const uint8_t *d)
{
	static const char *const ids[] = { "BEA01", "NSR02", "NSR03", "TEA01", "BOOT2", "CDW02" };

	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		if (memcmp(d + 1, ids[i], 5) == 0)
			return 1;
	return 0;
}

enum iso_refusal {
	ISO_NO_TERMINATOR, ISO_OTHER_DESCRIPTOR, ISO_JOLIET_VOLUME_ID, ISO_JOLIET_SIZE,
	ISO_TOO_MANY, ISO_NO_JOLIET, ISO_PRIMARY_SIZE, ISO_UDF
};

/* One whole format per refusal, not an English phrase as an argument: the
 * bureau reads each in its language (ui/msg_detail.h). */
static int iso_refuse(struct medium *m, enum iso_refusal why, unsigned s)
{
	const char *p = m->path;

	switch (why) {
	case ISO_NO_TERMINATOR:
		err_detail("%s: volume descriptors without a terminator (sector %u)", p, s);
		break;
	case ISO_OTHER_DESCRIPTOR:
		err_detail("%s: a volume descriptor other than the primary and one Joliet "
			   "descriptor (another tree, a boot record or a partition) (sector %u)",
			   p, s);
		break;
	case ISO_JOLIET_VOLUME_ID:
		err_detail("%s: the Joliet volume identifier is not the primary one "
			   "(sector %u)", p, s);
		break;
	case ISO_JOLIET_SIZE:
		err_detail("%s: the Joliet descriptor declares a volume larger than the medium, "
			   "or blocks of another size (sector %u)", p, s);
		break;
	case ISO_TOO_MANY:
		err_detail("%s: too many volume descriptors (sector %u)", p, s);
		break;
	case ISO_NO_JOLIET:
		err_detail("%s: no Joliet volume descriptor (sector %u)", p, s);
		break;
	case ISO_PRIMARY_SIZE:
		err_detail("%s: the primary descriptor declares a volume larger than the "
			   "medium, or blocks of another size (sector %u)", p, s);
		break;
	case ISO_UDF:
		err_detail("%s: a UDF (ECMA-167) volume follows the ISO 9660 descriptors "
			   "(sector %u)", p, s);
		break;
	}
	return ERR_MEDIA_LAYOUT;
}

/* The descriptors after the primary one, up to the terminator: *end is
 * the terminator's sector. */
static int iso_vd_rest(struct medium *m, const char *volume_id, uint8_t *d, unsigned *end)
{
	unsigned joliet = 0, s;
	int ret = 0;

	for (s = ISO_FIRST_VD + 1; !ret && s <= ISO_FIRST_VD + ISO_VD_MAX; s++) {
		ret = iso_sector(m, s, d);
		if (ret)
			break;
		if (!iso_vd_std(d))
			return iso_refuse(m, ISO_NO_TERMINATOR, s);
		if (d[0] == ISO_VD_TERMINATOR)
			break;
		if (!iso_vd_joliet(d) || joliet++ > 0)
			return iso_refuse(m, ISO_OTHER_DESCRIPTOR, s);
		if (!iso_vd_volume_is(d, volume_id, 1))
			return iso_refuse(m, ISO_JOLIET_VOLUME_ID, s);
		if (!iso_vd_size_ok(m, d))
			return iso_refuse(m, ISO_JOLIET_SIZE, s);
	}
	if (!ret && s > ISO_FIRST_VD + ISO_VD_MAX)
		return iso_refuse(m, ISO_TOO_MANY, s);
	if (!ret && joliet == 0)
		return iso_refuse(m, ISO_NO_JOLIET, s);
	*end = s;
	return ret;
}

int iso_volume_check(struct medium *m, const char *volume_id)
{
	uint8_t d[ISO_SECTOR];
	unsigned end = 0;
	int ret = iso_sector(m, ISO_FIRST_VD, d);

	if (!ret && (d[0] != ISO_VD_PRIMARY || !iso_vd_std(d))) {
		err_detail("%s: not an ISO 9660 image (no primary volume descriptor)", m->path);
		return ERR_FORMAT;
	}
	if (!ret && !iso_vd_size_ok(m, d))
		return iso_refuse(m, ISO_PRIMARY_SIZE, ISO_FIRST_VD);
	if (!ret && !iso_vd_volume_is(d, volume_id, 0)) {
		err_detail("%s: the volume identifier is \"%.32s\", not %s", m->path,
			   (const char *)d + 40, volume_id);
		return ERR_MEDIA_LAYOUT;
	}
	if (!ret)
		ret = iso_vd_rest(m, volume_id, d, &end);
	if (!ret)
		ret = iso_sector(m, end + 1, d);
	if (!ret && iso_vrs_ident(d))
		return iso_refuse(m, ISO_UDF, end + 1);
	return ret;
}
