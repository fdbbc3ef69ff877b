/* libFuzzer target: the urn's ballots file reader (format/urn.c), fed in
 * chunks whose size the input's first byte chooses. A file the reader
 * accepts to the end is, byte for byte, its header written again by
 * urn_header_encode followed by the records it handed over, in order. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "format/election.h"
#include "fuzz_demo.h"
#include "format/urn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fuzz_copy {
	uint8_t *buf;
	size_t len, cap;
	uint64_t next;
};

static int fuzz_ballot(const struct urn_ballot *b, void *arg)
{
	struct fuzz_copy *c = arg;

	if (b->scrutin != 1 || b->number != ++c->next || b->A != b->record + BALLOT2_OFF_A ||
	    b->B != b->record + BALLOT2_OFF_B || (b->proof_ok != 0 && b->proof_ok != 1) ||
	    c->len + URN_RECORD_LEN > c->cap)
		__builtin_trap();
	memcpy(c->buf + c->len, b->record, URN_RECORD_LEN);
	c->len += URN_RECORD_LEN;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_copy c = { NULL, URN_HEADER_LEN, 0, 0 };
	struct urn_reader *r = NULL;
	size_t chunk, off = 0;
	uint64_t count = 0;
	int ret = 0;

	if (size < 1)
		return 0;
	c.cap = size + URN_RECORD_LEN;
	c.buf = malloc(c.cap);
	if (!c.buf || urn_reader_new(fuzz_demo(), fuzz_ballot, &c, data[0] & 0x80 ? 2 : 0,
				     &r) != 0) {
		free(c.buf);
		return 0;
	}
	chunk = (size_t)(data[0] & 0x7f) + 1;
	for (off = 1; ret == 0 && off < size; off += chunk)
		ret = urn_reader_feed(r, data + off, size - off < chunk ? size - off : chunk);
	if (ret == 0)
		ret = urn_reader_finish(r, &count);
	urn_reader_free(r);
	if (ret == 0) {
		urn_header_encode((uint32_t)count, c.buf);
		if (c.len != size - 1 || c.len != urn_file_size(count) ||
		    memcmp(c.buf, data + 1, c.len) != 0)
			__builtin_trap();
	}
	free(c.buf);
	return 0;
}
