/* libFuzzer target: the public election record parser (format/record.c). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "format/record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct record r;
	char *again = NULL;
	size_t len = 0;

	if (record_parse(data, size, &r) != 0)
		return 0;
	/* anything accepted is consistent and writes back to an accepted record */
	if (r.pub.t < 2 || r.pub.t > r.pub.m || r.pub.m > SHAMIR_MAX)
		__builtin_trap();
	if (record_write(&r, &again, &len) != 0)
		__builtin_trap();
	if (record_parse((const uint8_t *)again, len, &r) != 0)
		__builtin_trap();
	free(again);
	return 0;
}
