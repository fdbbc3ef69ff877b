/* libFuzzer target: the archive's final manifest ("sceau-archive/1",
 * format/archive_manifest.c), read and written back. What the reader
 * accepts, the writer writes with the same values (the reader takes any key
 * order, white space and escapes: fuzz_json.h); that text is read
 * again, and written again to the same bytes. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "format/archive_manifest.h"
#include "fuzz_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct archive_manifest m, back;
	char *w1 = NULL, *w2 = NULL;
	size_t l1 = 0, l2 = 0;

	if (archive_manifest_read(data, size, &m) != 0)
		return 0;
	if (m.n_files == 0 || !m.files)
		__builtin_trap();
	for (unsigned i = 1; i < m.n_files; i++)
		if (strcmp(m.files[i - 1].name, m.files[i].name) >= 0)
			__builtin_trap();
	if (archive_manifest_write(&m, &w1, &l1) != 0 || !fuzz_json_same(data, size, w1, l1))
		__builtin_trap();
	if (archive_manifest_read((const uint8_t *)w1, l1, &back) != 0 ||
	    back.n_files != m.n_files ||
	    memcmp(back.files, m.files, m.n_files * sizeof(*m.files)) != 0 ||
	    strcmp(back.sealed_at, m.sealed_at) != 0 ||
	    memcmp(back.election_id, m.election_id, 32) != 0 ||
	    memcmp(back.journal_head, m.journal_head, 32) != 0 ||
	    memcmp(back.firmware_sha256, m.firmware_sha256, 32) != 0)
		__builtin_trap();
	if (archive_manifest_write(&back, &w2, &l2) != 0 || l2 != l1 || memcmp(w1, w2, l1) != 0)
		__builtin_trap();
	free(w1);
	free(w2);
	archive_manifest_free(&back);
	archive_manifest_free(&m);
	return 0;
}
