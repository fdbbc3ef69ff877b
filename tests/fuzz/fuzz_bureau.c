/* libFuzzer target: the bureau file parser (format/bureau.c). */
#include <stddef.h>
#include <stdint.h>

#include "format/bureau.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bureau b;

	if (bureau_parse(data, size, &b) == 0) {
		if (b.n_members < 1 || b.n_members > BUREAU_MAX_MEMBERS)
			__builtin_trap();
	} else if (b.n_members != 0) {
		__builtin_trap();
	}
	return 0;
}
