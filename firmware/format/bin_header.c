/* The binary files' common header; see bin_header.h. */
#include <string.h>

#include "format/bin_header.h"
#include "lib/err.h"

void bin_header_encode(const struct bin_header *k, uint32_t count,
		       uint8_t out[BIN_HEADER_LEN])
{
	memcpy(out, k->magic, 8);
	out[8] = (uint8_t)(k->version >> 8);
	out[9] = (uint8_t)k->version;
	out[10] = out[11] = 0;
	out[12] = (uint8_t)(count >> 24);
	out[13] = (uint8_t)(count >> 16);
	out[14] = (uint8_t)(count >> 8);
	out[15] = (uint8_t)count;
}

int bin_header_decode(const struct bin_header *k, const uint8_t h[BIN_HEADER_LEN],
		      uint32_t *count)
{
	unsigned version = (unsigned)h[8] << 8 | h[9], reserved = (unsigned)h[10] << 8 | h[11];
	uint32_t n = (uint32_t)h[12] << 24 | (uint32_t)h[13] << 16 | (uint32_t)h[14] << 8 | h[15];

	if (memcmp(h, k->magic, 8) != 0) {
		err_detail("%s: header: not a Sceau file of this kind (bad magic)", k->file);
		return ERR_FORMAT;
	}
	if (version != k->version) {
		err_detail("%s: header: version %u is not supported (expected %u)", k->file,
			   version, k->version);
		return ERR_FORMAT;
	}
	if (reserved != 0) {
		err_detail("%s: header: reserved field is %u, not 0", k->file, reserved);
		return ERR_FORMAT;
	}
	if (n > k->max) {
		err_detail("%s: header: %u records declared, at most %u", k->file, (unsigned)n,
			   (unsigned)k->max);
		return ERR_RANGE;
	}
	*count = n;
	return 0;
}
