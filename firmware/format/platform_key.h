/*
 * The voting platform's sealing public key, as the platform hands it to the
 * bureau before the ceremony: "sceau-platform-key/1" (docs/FORMATS.md),
 *   {"format": "sceau-platform-key/1", "public_key": "<65-byte SEC1 hex>"}
 * The ceremony fingerprints it into the record; imports check the urn's and
 * the émargement's seals against it.
 */
#ifndef SCEAU_FORMAT_PLATFORM_KEY_H
#define SCEAU_FORMAT_PLATFORM_KEY_H

#include <stddef.h>
#include <stdint.h>

#define PLATFORM_KEY_FORMAT "sceau-platform-key/1"
#define PLATFORM_KEY_FILE_MAX 4096

int platform_key_parse(const uint8_t *buf, size_t len, uint8_t pub[65]);
/* platform_key_parse of the file at path; an error's detail starts with
 * the path. */
int platform_key_load(const char *path, uint8_t pub[65]);

#endif
