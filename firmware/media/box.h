/*
 * The box's own devices (docs/BOX.md): the medium it booted from, whose
 * SHA-256 is the firmware fingerprint, and the USB sticks the bureau plugs
 * in for the election's files (read-only) and for the exports (FAT, which
 * any PC reads). The urn and the émargement are never among them: those
 * are read as block devices by media.c and never mounted.
 */
#ifndef SCEAU_MEDIA_BOX_H
#define SCEAU_MEDIA_BOX_H

#include <stddef.h>
#include <stdint.h>

/* The whole disk holding the file system mounted at mountpoint ("/dev/sr0",
 * "/dev/sdb"), from /proc/self/mountinfo and sysfs. ERR_NOTFOUND if nothing
 * is mounted there. */
int media_boot_disk(const char *mountpoint, char *dev, size_t n);

/* SHA-256 of an ISO 9660 image from its first byte to the end of the volume
 * its primary volume descriptor declares: the image as written, whatever
 * follows it on a larger stick or a padded disc. *size gets that length. */
int media_volume_hash(int fd, uint8_t out[32], uint64_t *size);

/* A USB mass-storage disk other than the boot medium. */
struct media_stick {
	char disk[32];   /* "sdb" */
	char dev[48];    /* what to mount: "/dev/sdb1", or "/dev/sdb" unpartitioned */
	int readonly;    /* write-protected (the kernel's read-only flag) */
};

/* The USB sticks plugged in now (at most cap); boot_disk ("" if none) is
 * left out. */
int media_sticks(const char *boot_disk, struct media_stick *out, unsigned cap,
		 unsigned *n);

/* Mounts the stick's FAT file system at dir (made if missing): read-only,
 * or writable for the exports; never executable, no device files. */
int media_stick_mount(const struct media_stick *s, const char *dir, int writable);
/* Flushes and unmounts what media_stick_mount mounted. */
int media_stick_umount(const char *dir);

/* Test hooks: the roots of /proc/self/mountinfo and of /sys/block. */
extern const char *media_mountinfo_path;
extern const char *media_sysfs_block;

#endif
