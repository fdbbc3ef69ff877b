/* libFuzzer target: the decrypted-ballots file v2 (format/decrypted.c),
 * read and written back, against a one-scrutin election (its scrutins and
 * plaintext lengths). A file the reader accepts to the end is canonical:
 * the writer makes the same bytes of the ballots read, and the same
 * SHA-256. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format/decrypted.h"
#include "format/election.h"
#include "fuzz_demo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every ballot of the file into w (when not NULL); 0 if the whole file was
 * accepted, its hash in sha. */
static int fuzz_copy(FILE *f, const struct election *e, struct decfile_writer *w,
		     uint32_t *count, uint8_t sha[32])
{
	struct decfile_reader *r = NULL;
	struct decrypted_ballot d;
	int ret = decfile_reader_new(f, e, &r);

	*count = r ? decfile_reader_count(r) : 0;
	while (!ret && (ret = decfile_reader_next(r, &d)) == 0) {
		if (d.pt_len != e->scrutins[0].pt_len || d.status > 1 || d.scrutin != 1 ||
		    d.idx < 1)
			__builtin_trap();
		if (w && decfile_add(w, &d) != 0)
			__builtin_trap();
	}
	if (ret == 1)
		ret = decfile_reader_finish(r, sha, NULL);
	decfile_reader_free(r);
	return ret;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct election *e = fuzz_demo();
	FILE *in = fmemopen((void *)data, size, "rb"), *out;
	struct decfile_writer *w = NULL;
	uint8_t sha_in[32], sha_out[32];
	uint32_t count = 0;
	char *buf = NULL;
	size_t len = 0;

	if (!in)
		return 0;
	if (fuzz_copy(in, e, NULL, &count, sha_in) != 0) {
		fclose(in);
		return 0;
	}
	rewind(in);
	out = open_memstream(&buf, &len);
	if (!out || decfile_stream(out, count, &w) != 0 ||
	    fuzz_copy(in, e, w, &count, sha_in) != 0 || decfile_close(w, sha_out) != 0)
		__builtin_trap();
	fclose(out);
	fclose(in);
	if (len != size || memcmp(buf, data, size) != 0 || memcmp(sha_in, sha_out, 32) != 0)
		__builtin_trap();
	free(buf);
	return 0;
}
