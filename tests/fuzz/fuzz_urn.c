/* libFuzzer target: the urn's ballots file reader (format/urn.c), fed in
 * chunks whose size the input also chooses. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "format/election.h"
#include "fuzz_demo.h"
#include "format/urn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int fuzz_ballot(const struct urn_ballot *b, void *arg)
{
	(void)arg;
	if (b->record_len > URN_RECORD_MAX || b->scrutin != 1)
		__builtin_trap();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct urn_reader *r = NULL;
	size_t chunk, off = 0;
	int ret = 0;

	if (size < 1 || urn_reader_new(fuzz_demo(), fuzz_ballot, NULL, &r) != 0)
		return 0;
	chunk = (size_t)data[0] + 1;
	for (off = 1; ret == 0 && off < size; off += chunk)
		ret = urn_reader_feed(r, data + off, size - off < chunk ? size - off : chunk);
	if (ret == 0)
		urn_reader_finish(r, NULL);
	urn_reader_free(r);
	return 0;
}
