/* libFuzzer target: the share object of DO 0103 (format/share_obj.c). A decoded
 * object must re-encode to the same bytes; a refused one leaves nothing. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "format/share_obj.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t zero[sizeof(struct share_obj)];
	struct share_obj s;
	uint8_t again[SHARE_OBJ_LEN];

	if (share_obj_decode(data, size, &s) != 0) {
		if (memcmp(&s, zero, sizeof(s)) != 0)
			__builtin_trap();
		return 0;
	}
	if (size != SHARE_OBJ_LEN || s.index < 1 || s.index > s.m || s.t < 1 ||
	    s.t > s.m || s.m > 9)
		__builtin_trap();
	if (share_obj_encode(&s, again) != 0 || memcmp(again, data, SHARE_OBJ_LEN) != 0)
		__builtin_trap();
	return 0;
}
