/*
 * Writing ISO 9660 images (libarchive's writer): the voting platform
 * simulator writes the urn and the émargement with it, and the box will
 * write the archive the same way. The image carries Rock Ridge and Joliet
 * names (lower case, long) over an ISO level 3 primary tree (files may
 * exceed 4 GiB), and the volume identifier given at open.
 *
 * The image is built in "<path>.part" (created exclusively) and moved to
 * path only by a successful iso_write_close, which refuses to replace an
 * existing file: a failure never leaves a half-written image under its
 * final name. Files go at the root of the image, in the order written;
 * libarchive keeps their data in a temporary file ($TMPDIR) until close.
 */
#ifndef SCEAU_MEDIA_ISO_WRITE_H
#define SCEAU_MEDIA_ISO_WRITE_H

#include <stddef.h>
#include <stdint.h>

#include "media/media.h"

#define ISO_WRITE_VOLUME_MAX 16 /* bytes of a volume id: Joliet holds 16 */
#define ISO_WRITE_NAME_MAX MEDIA_NAME_MAX /* bytes of a file name (31) */

struct iso_write;

/*
 * Supplies the next bytes of a file: at most cap into buf, *got = how many
 * (0 only at the end). Returns 0 or an ERR_* code, which aborts the file.
 */
typedef int (*iso_read_fn)(void *arg, uint8_t *buf, size_t cap, size_t *got);

/* volume_id: 1..16 characters of [A-Z0-9_] (ISO 9660 d-characters; the
 * Joliet descriptor, which must carry the same, holds 16). */
int iso_write_open(const char *path, const char *volume_id, struct iso_write **out);
/*
 * Adds one file of exactly size bytes, pulled from fn in chunks (constant
 * memory). name: 1..64 characters of [a-z0-9._-], not starting with '.'.
 * A source that ends early or gives more than size bytes is ERR_INTERNAL.
 */
int iso_write_file(struct iso_write *w, const char *name, uint64_t size,
		   iso_read_fn fn, void *arg);
/* The same for a file held in memory. */
int iso_write_buffer(struct iso_write *w, const char *name, const void *data,
		     size_t len);
/* Finishes the image and moves it to its final name; always frees w. */
int iso_write_close(struct iso_write *w);
/* Drops the image (removes the .part file) and frees w; NULL ok. */
void iso_write_abort(struct iso_write *w);

#endif
