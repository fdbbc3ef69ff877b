/* libFuzzer target: the card signatures file ("sceau-signatures/1",
 * format/signatures.c), read and written back. What the reader accepts,
 * the writer writes with the same values (the reader takes any key order,
 * white space, escapes and hex case: fuzz_json.h); that text is read again
 * to the same set, and written again to the same bytes. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "format/signatures.h"
#include "fuzz_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct signing_set set, back;
	char *w1 = NULL, *w2 = NULL;
	size_t l1 = 0, l2 = 0;

	if (signing_parse(data, size, &set) != 0)
		return 0;
	if (set.n < 1 || set.n > SHAMIR_MAX)
		__builtin_trap();
	if (signing_write(&set, &w1, &l1) != 0 || !fuzz_json_same(data, size, w1, l1))
		__builtin_trap();
	if (signing_parse((const uint8_t *)w1, l1, &back) != 0 ||
	    memcmp(&back, &set, sizeof(set)) != 0)
		__builtin_trap();
	if (signing_write(&back, &w2, &l2) != 0 || l2 != l1 || memcmp(w1, w2, l1) != 0)
		__builtin_trap();
	free(w1);
	free(w2);
	return 0;
}
