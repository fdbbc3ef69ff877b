/*
 * The 16-byte header the three binary files share (docs/FORMATS.md): the
 * urn's ballots.bin, the émargement's entries.bin and ballots-decrypted.bin
 * each start with an 8-byte magic, a u16 version, a u16 0 and a u32 count,
 * big-endian. Each file's module names its file, magic, version and bound
 * in a struct bin_header; this writes and checks the bytes. The details
 * name the file and no other word, so that the bureau reads them whole in
 * its language (ui/msg_detail.h).
 */
#ifndef SCEAU_FORMAT_BIN_HEADER_H
#define SCEAU_FORMAT_BIN_HEADER_H

#include <stdint.h>

#define BIN_HEADER_LEN 16

struct bin_header {
	const char *file;    /* in error details: "entries.bin" */
	const char *magic;   /* its 8 bytes */
	unsigned version;
	uint32_t max;        /* the largest count allowed */
};

void bin_header_encode(const struct bin_header *k, uint32_t count,
		       uint8_t out[BIN_HEADER_LEN]);
/* The count of a header that is k's: 0, or ERR_FORMAT (magic, version,
 * reserved field) or ERR_RANGE (a count above k->max), with a detail
 * "<file>: header: …". */
int bin_header_decode(const struct bin_header *k, const uint8_t h[BIN_HEADER_LEN],
		      uint32_t *count);

#endif
