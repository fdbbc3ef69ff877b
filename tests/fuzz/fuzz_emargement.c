/* libFuzzer target: the émargement entries reader (format/emargement.c). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "format/election.h"
#include "fuzz_demo.h"
#include "format/emargement.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* What the reader promises of every entry it lets through. */
static int fuzz_entry(const struct emarg_entry *en, void *arg)
{
	size_t n = strnlen(en->voter, sizeof(en->voter));

	(void)arg;
	if (en->scrutin != 1 || n == 0 || n > EMARG_VOTER_MAX ||
	    en->time < EMARG_TIME_MIN || en->time >= EMARG_TIME_END ||
	    en->offset_min % 15 != 0 || en->offset_min < EMARG_OFFSET_MIN ||
	    en->offset_min > EMARG_OFFSET_MAX)
		__builtin_trap();
	return 0;
}

/* The first byte chooses the size of the pieces the rest is fed in (1 to
 * 256 bytes), as the image reader hands over blocks: entries and the
 * header then straddle feeds, which the reader must buffer. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct emarg_reader *r = NULL;
	size_t piece, at;
	int ret = 0;

	if (size == 0 || emarg_reader_new(fuzz_demo(), fuzz_entry, NULL, &r) != 0)
		return 0;
	piece = (size_t)data[0] + 1;
	for (at = 1; !ret && at < size; at += piece)
		ret = emarg_reader_feed(r, data + at, size - at < piece ? size - at : piece);
	if (ret == 0)
		emarg_reader_finish(r, NULL);
	emarg_reader_free(r);
	return 0;
}
