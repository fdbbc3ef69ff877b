/* The boot medium and the USB sticks of the box; see box.h. */
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crypto/hash.h"
#include "lib/err.h"
#include "lib/file.h"
#include "media/box.h"

#define BOX_ISO_BLOCK 2048u
#define BOX_PVD (16u * BOX_ISO_BLOCK)

const char *media_mountinfo_path = "/proc/self/mountinfo";
const char *media_sysfs_block = "/sys/block";

/* "maj:min" of the file system mounted at mountpoint (field 5 of a line
 * of mountinfo is the mount point, field 3 the device). */
static int box_mount_devno(const char *mountpoint, unsigned *maj, unsigned *min)
{
	char line[4096], mp[PATH_MAX];
	FILE *f = fopen(media_mountinfo_path, "re");
	int ret = ERR_NOTFOUND;

	if (!f) {
		err_detail("%s: %s", media_mountinfo_path, strerror(errno));
		return ERR_IO;
	}
	while (ret == ERR_NOTFOUND && fgets(line, sizeof(line), f))
		if (sscanf(line, "%*s %*s %u:%u %*s %4095s", maj, min, mp) == 3 &&
		    strcmp(mp, mountpoint) == 0)
			ret = 0;
	fclose(f);
	if (ret)
		err_detail("nothing is mounted at %s (not started from the box image?)",
			   mountpoint);
	return ret;
}

int media_boot_disk(const char *mountpoint, char *dev, size_t n)
{
	char link[PATH_MAX], path[PATH_MAX], *base, *slash;
	unsigned maj = 0, min = 0;
	int ret = box_mount_devno(mountpoint, &maj, &min);
	ssize_t len;

	if (ret)
		return ret;
	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u", maj, min);
	len = readlink(path, link, sizeof(link) - 1);
	if (len <= 0) {
		err_detail("%s: %s", path, strerror(errno));
		return ERR_IO;
	}
	link[len] = '\0';
	base = strrchr(link, '/');
	if (!base)
		return ERR_FORMAT;
	/* A partition's sysfs directory sits inside its disk's. */
	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/partition", maj, min);
	if (access(path, F_OK) == 0) {
		*base = '\0';
		slash = strrchr(link, '/');
		base = slash ? slash : base;
	}
	if ((size_t)snprintf(dev, n, "/dev/%s", base + 1) >= n)
		return ERR_RANGE;
	return 0;
}

static uint32_t box_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* The image's length from its primary volume descriptor. */
static int box_volume_size(int fd, uint64_t *size)
{
	uint8_t pvd[BOX_ISO_BLOCK];

	if (pread(fd, pvd, sizeof(pvd), BOX_PVD) != (ssize_t)sizeof(pvd) || pvd[0] != 1 ||
	    memcmp(pvd + 1, "CD001", 5) != 0) {
		err_detail("no ISO 9660 primary volume descriptor");
		return ERR_FORMAT;
	}
	if ((pvd[128] | pvd[129] << 8) != BOX_ISO_BLOCK) {
		err_detail("ISO 9660 block size is not %u", BOX_ISO_BLOCK);
		return ERR_FORMAT;
	}
	*size = (uint64_t)box_le32(pvd + 80) * BOX_ISO_BLOCK;
	return 0;
}

int media_volume_hash(int fd, uint8_t out[32], uint64_t *size)
{
	struct hash_ctx *h = NULL;
	static uint8_t buf[1u << 20];
	uint64_t left = 0, off = 0;
	ssize_t r;
	int ret = box_volume_size(fd, &left);

	*size = left;
	if (!ret)
		ret = hash_begin(&h);
	while (!ret && left) {
		r = pread(fd, buf, left < sizeof(buf) ? (size_t)left : sizeof(buf), (off_t)off);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			err_detail("the medium ends %llu bytes before its volume does",
				   (unsigned long long)left);
			ret = ERR_IO;
			break;
		}
		ret = hash_update(h, buf, (size_t)r);
		left -= (uint64_t)r;
		off += (uint64_t)r;
	}
	if (ret) {
		hash_abort(h);
		return ret;
	}
	return hash_final(h, out);
}

/* Reads a one-line sysfs attribute as a number; -1 if absent. */
static long long box_sysfs_num(const char *disk, const char *attr)
{
	char path[PATH_MAX], buf[64];
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/%s/%s", media_sysfs_block, disk, attr);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return strtoll(buf, NULL, 10);
}

/* A disk on the USB bus: its sysfs device path goes through a USB port. */
static int box_on_usb(const char *disk)
{
	char path[PATH_MAX], real[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s/device", media_sysfs_block, disk);
	return realpath(path, real) && strstr(real, "/usb") != NULL;
}

static int box_stick(const char *disk, struct media_stick *s)
{
	char part[PATH_MAX];

	memset(s, 0, sizeof(*s));
	if (strncmp(disk, "sd", 2) != 0 || strlen(disk) >= sizeof(s->disk) - 1 ||
	    !box_on_usb(disk) || box_sysfs_num(disk, "size") <= 0)
		return 0;
	memcpy(s->disk, disk, strlen(disk) + 1);
	s->readonly = box_sysfs_num(disk, "ro") == 1;
	snprintf(part, sizeof(part), "%s/%s/%s1", media_sysfs_block, disk, disk);
	snprintf(s->dev, sizeof(s->dev), access(part, F_OK) == 0 ? "/dev/%s1" : "/dev/%s",
		 disk);
	return 1;
}

int media_sticks(const char *boot_disk, struct media_stick *out, unsigned cap,
		 unsigned *n)
{
	const char *skip = boot_disk && strncmp(boot_disk, "/dev/", 5) == 0 ?
			   boot_disk + 5 : boot_disk;
	DIR *d = opendir(media_sysfs_block);
	struct dirent *e;

	*n = 0;
	if (!d) {
		err_detail("%s: %s", media_sysfs_block, strerror(errno));
		return ERR_IO;
	}
	while ((e = readdir(d)) != NULL && *n < cap)
		if (!(skip && strcmp(e->d_name, skip) == 0) && box_stick(e->d_name, &out[*n]))
			(*n)++;
	closedir(d);
	return 0;
}

int media_stick_mount(const struct media_stick *s, const char *dir, int writable)
{
	unsigned long flags = MS_NOSUID | MS_NODEV | MS_NOEXEC | (writable ? 0 : MS_RDONLY);
	int ret = file_mkdirs(dir);

	if (ret)
		return ret;
	if (mount(s->dev, dir, "vfat", flags, writable ? "flush" : NULL) != 0) {
		err_detail("%s: cannot mount its FAT file system: %s", s->dev, strerror(errno));
		return ERR_IO;
	}
	return 0;
}

int media_stick_umount(const char *dir)
{
	sync();
	if (umount2(dir, 0) != 0) {
		err_detail("%s: cannot unmount: %s", dir, strerror(errno));
		return ERR_IO;
	}
	return 0;
}
