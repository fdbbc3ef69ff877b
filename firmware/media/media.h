/*
 * Read-only media (docs/DESIGN.md "Media"). The urn and the émargement
 * arrive as ISO 9660 images on write-once discs or write-protected USB
 * sticks. The box opens the block device read-only, refuses it unless the
 * kernel says it is read-only (BLKROGET), never mounts it, and reads the
 * image itself with libarchive. Plain image files are accepted only when the build allows it
 * (CONFIG_MEDIA_IMAGE_FILES, simulation builds). Nothing else is ever
 * opened as a medium: a FIFO, a directory or a character device is
 * refused before anything waits on it.
 *
 * An image carries up to three directory trees over the same data: ISO
 * 9660 itself, Rock Ridge (what Linux shows) and Joliet (what Windows
 * shows). docs/FORMATS.md "ISO 9660 images" says which are required and
 * how they must agree; every read here goes through all three, so that no
 * reader, whatever tree it prefers, can be shown other files or other
 * bytes than the box checked.
 */
#ifndef SCEAU_MEDIA_MEDIA_H
#define SCEAU_MEDIA_MEDIA_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "format/media_manifest.h"

/* Values reserved in lib/err.h. */
enum media_err {
	ERR_MEDIA_WRITABLE = -24, /* a device the kernel does not flag read-only */
	ERR_MEDIA_LAYOUT = -33,   /* another volume id, or not exactly the files due */
	ERR_MEDIA_TREES = -34,    /* the image's directory trees disagree */
};

/* Volume identifiers of the images (ISO 9660 d-characters). */
#define MEDIA_VOLUME_URN "SCEAU_URNE"
#define MEDIA_VOLUME_EMARGEMENT "SCEAU_EMARGEMENT"
#define MEDIA_VOLUME_ARCHIVE "SCEAU_ARCHIVE"

/* Bytes of a file name in an image: an ISO 9660 level 2 identifier holds
 * 31 characters, so the plain tree's name is never cut short. */
#define MEDIA_NAME_MAX 31

struct medium {
	int fd;
	int is_device;     /* a block device (else an image file) */
	uint64_t size;
	char path[4096];
};

/* A file of an image, as all its trees agree it is. */
struct media_file {
	char name[MEDIA_NAME_MAX + 1];
	uint64_t size;
};

/* Opens path read-only and checks it may be trusted as a medium:
 * ERR_MEDIA_WRITABLE for a device the kernel does not flag read-only,
 * ERR_USAGE for an image file in a build that refuses them, ERR_FILETYPE
 * for anything that is neither a block device nor a regular file. */
int media_open(const char *path, struct medium *m);
/* Opens an image only to read it (the verifier's archived images): a
 * regular file or a block device, whatever the build allows as media and
 * whether or not it is write-protected; ERR_FILETYPE for anything else. */
int media_open_image(const char *path, struct medium *m);
void media_close(struct medium *m);

/* Test hook: how the kernel's read-only flag of a block device is read
 * (default: ioctl BLKROGET). Returns 0 and sets *ro, or an ERR_*. */
extern int (*media_ro_flag)(int fd, int *ro);
/* Test hook: whether an fd is a block device (default: fstat S_ISBLK). */
extern int (*media_is_blockdev)(int fd);

/*
 * The image's layout (docs/FORMATS.md "ISO 9660 images"): its volume
 * descriptors (the primary one first, named volume_id, then one Joliet
 * descriptor, no other tree and no UDF), Rock Ridge present, and its three
 * trees naming the same regular files at the root with the same sizes;
 * names of 1..MEDIA_NAME_MAX characters of [a-z0-9._-], not starting with
 * '.', each once. Fills files (sorted by name, at most max) and *n.
 * ERR_MEDIA_LAYOUT or ERR_MEDIA_TREES, the detail naming the file and the
 * tree. The contents are compared as they are read (media_iso_stream).
 */
int media_iso_list(struct medium *m, const char *volume_id, struct media_file *files,
		   size_t max, size_t *n);
/* The urn's or the émargement's image: media_iso_list with its volume id,
 * and exactly manifest.json, manifest.sig and its data file. */
int media_iso_check_sealed(struct medium *m, enum manifest_kind kind);

/* Reads a whole small file of the ISO image (at most max bytes). */
int media_iso_read(struct medium *m, const char *name, size_t max, uint8_t **buf,
		   size_t *len);
/* Streams a file of the ISO image through fn in chunks, reading it through
 * all three trees at once: ERR_MEDIA_TREES (before fn sees the chunk) if
 * they give different sizes or bytes. */
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
