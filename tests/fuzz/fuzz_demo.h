/* A one-scrutin election for the media fuzz targets (header-only). */
#ifndef SCEAU_FUZZ_DEMO_H
#define SCEAU_FUZZ_DEMO_H

#include <stdlib.h>

#include "format/election.h"

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

#endif
