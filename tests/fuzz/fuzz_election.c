/* libFuzzer target: the election definition parser (format/election.c). */
#include <stddef.h>
#include <stdint.h>

#include "format/election.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct election *e = NULL;

	if (election_parse(data, size, &e) == 0) {
		/* Touch what the parser promises, so that ASan checks it. */
		for (unsigned i = 0; i < e->n_scrutins; i++) {
			const struct scrutin *s = election_scrutin(e, (uint16_t)(i + 1));

			if (!s || s->n_lists == 0 || s->pt_len < 4 ||
			    s->lists[s->n_lists - 1].n_candidates > s->max_candidates)
				__builtin_trap();
		}
		election_free(e);
	} else if (e) {
		__builtin_trap(); /* a failed parse must not return anything */
	}
	return 0;
}
