/* libFuzzer target: the shuffle file's header and size (format/shuffle_file.c).
 * Input: 52 header bytes, 8 bytes of claimed size, 32 + 2 + 4 bytes of the
 * statement expected. A header the decoder accepts is the one the encoder
 * writes, byte for byte; the check accepts only a size of 505 + 389 N and
 * the statement expected. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "format/shuffle_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct shuffle_file_header h, want, got;
	uint8_t again[SHUFFLE_FILE_HEADER_LEN];
	uint64_t claimed = 0;

	if (size < SHUFFLE_FILE_HEADER_LEN + 8 + 38)
		return 0;
	for (int i = 0; i < 8; i++)
		claimed = claimed << 8 | data[SHUFFLE_FILE_HEADER_LEN + i];
	memcpy(want.election_id, data + SHUFFLE_FILE_HEADER_LEN + 8, 32);
	want.scrutin = (uint16_t)(data[SHUFFLE_FILE_HEADER_LEN + 40] << 8 |
				  data[SHUFFLE_FILE_HEADER_LEN + 41]);
	want.n = (uint32_t)data[SHUFFLE_FILE_HEADER_LEN + 42] << 24 |
		 (uint32_t)data[SHUFFLE_FILE_HEADER_LEN + 43] << 16 |
		 (uint32_t)data[SHUFFLE_FILE_HEADER_LEN + 44] << 8 | data[SHUFFLE_FILE_HEADER_LEN + 45];
	if (shuffle_file_header_decode(data, &h) == 0) {
		shuffle_file_header_encode(&h, again);
		if (memcmp(again, data, SHUFFLE_FILE_HEADER_LEN) != 0 || h.n < 1 ||
		    h.n > SHUFFLE_MAX_N)
			__builtin_trap();
	}
	if (shuffle_file_check(data, claimed, &want, &got) == 0 &&
	    (claimed != 505 + 389 * (uint64_t)got.n || got.scrutin != want.scrutin ||
	     (want.n && got.n != want.n) || memcmp(got.election_id, want.election_id, 32) != 0))
		__builtin_trap();
	return 0;
}
