/* libFuzzer target: the card signatures file parser (session/sign.c). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "session/sign.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct signing_set set, back;
	char *json = NULL;
	size_t len = 0;

	if (signing_parse(data, size, &set) != 0)
		return 0;
	if (set.n < 1 || set.n > SHAMIR_MAX)
		__builtin_trap();
	/* what is accepted writes back to what is accepted */
	if (signing_write(&set, &json, &len) != 0 ||
	    signing_parse((const uint8_t *)json, len, &back) != 0 || back.n != set.n)
		__builtin_trap();
	free(json);
	return 0;
}
