/*
 * Read-only media (docs/DESIGN.md "Media"). The urn and the émargement
 * arrive as ISO 9660 images on write-once discs or write-protected USB
 * sticks. The box opens the block device read-only, refuses it unless the
 * kernel says it is read-only (BLKROGET), never mounts it, and reads the
 * image itself with libarchive. Plain image files are accepted only when the build allows it
 * (CONFIG_MEDIA_IMAGE_FILES, simulation builds).
 */
#ifndef SCEAU_MEDIA_MEDIA_H
#define SCEAU_MEDIA_MEDIA_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

/* A medium that is not write-protected (value reserved in lib/err.h). */
enum media_err { ERR_MEDIA_WRITABLE = -24 };

struct medium {
	int fd;
	int is_device;     /* a block device (else an image file) */
	uint64_t size;
	char path[4096];
};

/* Opens path read-only and checks it may be trusted as a medium:
 * ERR_MEDIA_WRITABLE for a device the kernel does not flag read-only, ERR_USAGE for
 * an image file in a build that refuses them. */
int media_open(const char *path, struct medium *m);
void media_close(struct medium *m);

/* Test hook: how the kernel's read-only flag of a block device is read
 * (default: ioctl BLKROGET). Returns 0 and sets *ro, or an ERR_*. */
extern int (*media_ro_flag)(int fd, int *ro);
/* Test hook: whether an fd is a block device (default: fstat S_ISBLK). */
extern int (*media_is_blockdev)(int fd);

/* Reads a whole small file of the ISO image (at most max bytes). */
int media_iso_read(struct medium *m, const char *name, size_t max, uint8_t **buf,
		   size_t *len);
/* Streams a file of the ISO image through fn in chunks. */
int media_iso_stream(struct medium *m, const char *name,
		     int (*fn)(const uint8_t *data, size_t len, void *arg), void *arg);
/* SHA-256 and size of the whole medium (the image as written); if dest is
 * not NULL the image is also copied there (a new file, for the archive).
 * Safe to run in another thread while the medium is streamed (it does not
 * move the descriptor's offset); returns ERR_CANCELLED, the copy removed,
 * once *stop is set (stop may be NULL). */
int media_copy(struct medium *m, const char *dest, uint8_t out[32], uint64_t *size,
	       const atomic_int *stop);

#endif
