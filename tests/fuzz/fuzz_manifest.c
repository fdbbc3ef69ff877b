/* libFuzzer target: the urn and émargement manifest parser (format/media_manifest.c). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "format/media_manifest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct manifest m;
	char *again = NULL;
	size_t len = 0;

	if (size < 1)
		return 0;
	if (manifest_parse(data + 1, size - 1, data[0] & 1 ? MANIFEST_KIND_URN
							   : MANIFEST_KIND_EMARGEMENT, &m) != 0)
		return 0;
	if (manifest_write(&m, &again, &len) != 0)
		__builtin_trap();
	if (manifest_parse((const uint8_t *)again, len, m.kind, &m) != 0)
		__builtin_trap();
	free(again);
	return 0;
}
