/* libFuzzer target: the verifier's reader of the decrypted-ballots file
 * (format/decrypted_read.c), against a one-scrutin election so that scrutins
 * and plaintext lengths are checked too. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "format/election.h"
#include "fuzz_demo.h"
#include "format/decrypted.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *f = fmemopen((void *)data, size, "rb");
	struct decfile_reader *r = NULL;
	struct decrypted_ballot d;
	uint8_t sha[32];
	uint64_t n = 0;
	int ret;

	if (!f)
		return 0;
	ret = decfile_reader_new(f, size && data[0] & 1 ? fuzz_demo() : NULL, &r);
	while (!ret && (ret = decfile_reader_next(r, &d)) == 0) {
		if (d.pt_len > sizeof(d.pt) || d.opened > 1 || d.seq != ++n)
			__builtin_trap();
	}
	if (ret == 1)
		decfile_reader_finish(r, sha, NULL);
	decfile_reader_free(r);
	fclose(f);
	return 0;
}
