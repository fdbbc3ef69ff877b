/* libFuzzer target: the urn's ballots file reader (media/urn.c), fed in
 * chunks whose size the input also chooses. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "core/election.h"
#include "media/urn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct election *fuzz_demo(void)
{
	static struct election *e;
	static const char def[] =
		"{\"format\": \"sceau-election/1\", \"establishment\": {\"name\": \"E\", "
		"\"siret\": \"81234567800019\"}, \"title\": \"T\", \"scrutins\": [{\"id\": 1, "
		"\"college\": \"C\", \"body\": \"titulaires\", \"round\": 1, \"seats\": 2, "
		"\"inscrits\": 10, \"share_women\": \"0.5\", \"share_men\": \"0.5\", "
		"\"opens\": \"2026-12-01T08:00+01:00\", \"closes\": \"2026-12-08T17:00+01:00\", "
		"\"lists\": [{\"number\": 1, \"name\": \"L\", \"unions\": [{\"name\": \"U\"}], "
		"\"candidates\": [{\"last_name\": \"A\", \"first_name\": \"B\", \"sex\": \"F\", "
		"\"birth_date\": \"1970-01-01\"}]}]}]}";

	if (!e && election_parse((const uint8_t *)def, sizeof(def) - 1, &e) != 0)
		abort();
	return e;
}

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
