/*
 * Bounded whole-file reads for the small inputs (definition, bureau,
 * records), and atomic writes (temporary file, fsync, rename) so that a
 * crash never leaves a half-written output under its final name.
 */
#ifndef SCEAU_LIB_FILE_H
#define SCEAU_LIB_FILE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

/* Opens path read-only if it is a regular file, without ever blocking on
 * a FIFO: returns the descriptor (blocking, close-on-exec) and fills *st,
 * or ERR_FILETYPE for a FIFO, a device, a directory or a socket,
 * ERR_NOTFOUND, ERR_IO. Every file named by a user goes through it. */
int file_open_regular(const char *path, struct stat *st);
/* "a FIFO", "a directory"…, for the verifier's English details. */
const char *file_type_name(mode_t mode);
/* Sets the detail of ERR_FILETYPE for path, of the given mode: "<path>: a
 * FIFO (named pipe), not a file"… */
void file_type_detail(const char *path, mode_t mode);
/* Sets the detail for open(path) failing with errno e and returns
 * ERR_NOTFOUND or ERR_IO. */
int file_open_failed(const char *path, int e);
/* Reads all of path (at most max bytes, else ERR_RANGE) into a malloc'd
 * buffer with a NUL after the data; a regular file only (file_open_regular). */
int file_read_all(const char *path, size_t max, uint8_t **buf, size_t *len);
/* Reads all of path (as file_read_all) and hands the bytes to parse, which
 * fills out: a file format's loader. A parse error's detail gets the path
 * in front ("<path>: <detail>"), so that the bureau reads which file is
 * wrong. */
typedef int (*file_parse_fn)(const uint8_t *buf, size_t len, void *out);
int file_parse(const char *path, size_t max, file_parse_fn parse, void *out);

/* Writes data to path atomically (<path>.tmp.<pid>, synced, renamed);
 * refuses to replace an existing file unless overwrite is set
 * (ERR_EXISTS). A failed write is ERR_NOSPACE, ERR_READONLY or ERR_IO
 * (err_from_errno). */
int file_write_atomic(const char *path, const void *data, size_t len, int overwrite);
/* rename(tmp, path), the last step of an atomic write, with the crash
 * points "file:<name>:before-rename" and "file:<name>:after-rename"
 * (lib/fault.h). */
int file_rename(const char *tmp, const char *path);
/* Writes all of data to fd, again after EINTR or a short write; ERR_IO
 * with errno telling why (EIO if the descriptor took nothing). */
int file_write_all(int fd, const void *data, size_t len);
/* mkdir -p of a directory (mode 0700 for new levels). */
int file_mkdirs(const char *path);

#endif
