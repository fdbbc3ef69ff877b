/* libFuzzer target: the results file ("sceau-results/1", format/results.c),
 * read and written back. What the strict reader accepts, the writer writes
 * with the same values (the reader takes any key order, white space
 * and escapes: fuzz_json.h); that text is read again (the writer's
 * output always passes the reader), gives the same scrutin hashes, and is
 * written again to the same bytes. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "format/results.h"
#include "fuzz_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct results r, back;
	char *w1 = NULL, *w2 = NULL;
	size_t l1 = 0, l2 = 0;

	if (results_read(data, size, &r) != 0)
		return 0;
	if (results_write(&r, &w1, &l1) != 0 || !fuzz_json_same(data, size, w1, l1))
		__builtin_trap();
	if (results_read((const uint8_t *)w1, l1, &back) != 0 || back.n_scrutins != r.n_scrutins)
		__builtin_trap();
	for (unsigned i = 0; i < r.n_scrutins; i++)
		if (memcmp(back.scrutins[i].sha256, r.scrutins[i].sha256, 32) != 0)
			__builtin_trap();
	if (results_write(&back, &w2, &l2) != 0 || l2 != l1 || memcmp(w1, w2, l1) != 0)
		__builtin_trap();
	free(w1);
	free(w2);
	results_free(&back);
	results_free(&r);
	return 0;
}
