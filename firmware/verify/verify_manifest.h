/*
 * The archive's final manifest ("sceau-archive/1", docs/FORMATS.md
 * "Archive"), read strictly: the five keys and nothing else, hex of the
 * right length, sealed_at a date and time, files sorted by name (byte
 * order) without repetition, names as the ISO writer allows them
 * ([a-z0-9._-], 1..64, not starting with '.'), and neither manifest.json
 * nor signatures-manifest.json among them.
 *
 * This is the verifier's own parser: the writer (`sceau seal`) was not
 * there when it was written. Errors name the JSON path (lib/json_util.h).
 */
#ifndef SCEAU_VERIFY_VERIFY_MANIFEST_H
#define SCEAU_VERIFY_VERIFY_MANIFEST_H

#include <stddef.h>
#include <stdint.h>

#include "verify/verify_int.h"

#define VMANIFEST_FILE_MAX (256u << 10)

int verify_manifest_parse(const uint8_t *buf, size_t len, struct vmanifest *out);
void verify_manifest_free(struct vmanifest *m); /* frees files; m itself not */

#endif
