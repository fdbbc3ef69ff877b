/* libFuzzer target: the verifier's parser of the archive's final manifest
 * (verify/verify_manifest.c, "sceau-archive/1"). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "verify/verify_manifest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vmanifest m;

	if (verify_manifest_parse(data, size, &m) != 0)
		return 0;
	if (m.n_files == 0 || !m.files)
		__builtin_trap();
	for (unsigned i = 1; i < m.n_files; i++)
		if (strcmp(m.files[i - 1].name, m.files[i].name) >= 0)
			__builtin_trap();
	verify_manifest_free(&m);
	return 0;
}
