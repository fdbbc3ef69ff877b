/* libFuzzer target: the platform sealing key file (format/platform_key.c). */
#include <stddef.h>
#include <stdint.h>

#include "format/platform_key.h"
#include "crypto/group.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t pub[65];

	if (platform_key_parse(data, size, pub) == 0 && group_point_check(pub) != 0)
		__builtin_trap();
	return 0;
}
