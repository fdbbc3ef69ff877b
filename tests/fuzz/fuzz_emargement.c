/* libFuzzer target: the émargement entries reader (media/emargement.c). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "core/election.h"
#include "fuzz_demo.h"
#include "media/emargement.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int fuzz_entry(const struct emarg_entry *en, void *arg)
{
	(void)arg;
	if (en->scrutin != 1 || en->voter[0] == '\0')
		__builtin_trap();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct emarg_reader *r = NULL;

	if (emarg_reader_new(fuzz_demo(), fuzz_entry, NULL, &r) != 0)
		return 0;
	if (emarg_reader_feed(r, data, size) == 0)
		emarg_reader_finish(r, NULL);
	emarg_reader_free(r);
	return 0;
}
