/*
 * Private to media/: what the image readers and the writer share.
 */
#ifndef SCEAU_MEDIA_ISO_READ_H
#define SCEAU_MEDIA_ISO_READ_H

#include "media/media.h"

/* A file name an image may hold: 1..MEDIA_NAME_MAX characters of
 * [a-z0-9._-], not starting with '.'. */
int iso_name_ok(const char *name);

/*
 * The image's volume descriptors (iso_volume.c): the primary one at sector
 * 16 named volume_id, then exactly one Joliet descriptor with the same
 * name, then the terminator; no other descriptor (boot record, partition,
 * second tree, ISO 9660:1999) and no ECMA-167 (UDF) recognition sequence
 * after them. ERR_MEDIA_LAYOUT (ERR_FORMAT if it is no ISO 9660 image).
 */
int iso_volume_check(struct medium *m, const char *volume_id);

#endif
