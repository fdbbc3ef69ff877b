/* libFuzzer target: the verifier's reader of the decrypted-ballots file
 * (verify/decfile_read.c), against a one-scrutin election so that scrutins
 * and plaintext lengths are checked too. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/election.h"
#include "verify/decfile_read.h"

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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *f = fmemopen((void *)data, size, "rb");
	struct decfile_reader *r = NULL;
	struct store_decrypted d;
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
