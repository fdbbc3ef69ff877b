/*
 * Bounded whole-file reads for the small inputs (definition, bureau,
 * records), and atomic writes (temporary file, fsync, rename) so that a
 * crash never leaves a half-written output under its final name.
 */
#ifndef SCEAU_CORE_FILE_H
#define SCEAU_CORE_FILE_H

#include <stddef.h>
#include <stdint.h>

/* Reads all of path (at most max bytes, else ERR_RANGE) into a malloc'd
 * buffer with a NUL after the data. */
int file_read_all(const char *path, size_t max, uint8_t **buf, size_t *len);
/* Writes data to path atomically; refuses to replace an existing file
 * unless overwrite is set (ERR_EXISTS). */
int file_write_atomic(const char *path, const void *data, size_t len, int overwrite);
/* Copies src to dst (a new file, mode 0444) and gives the SHA-256 and size
 * of what was copied. Streams: any size. */
int file_copy_hash(const char *src, const char *dst, uint8_t sha256[32], uint64_t *size);
/* SHA-256 and size of a file, streaming. */
int file_hash(const char *path, uint8_t sha256[32], uint64_t *size);

/* mkdir -p of a directory (mode 0700 for new levels). */
int file_mkdirs(const char *path);

#endif
