/* libFuzzer target: the émargement entries reader (media/emargement.c). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "core/election.h"
#include "media/emargement.h"

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
