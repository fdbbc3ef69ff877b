/*
 * The bureau de vote: the members who hold the cards, from the strict JSON
 * format "sceau-bureau/1" (docs/FORMATS.md). Member i (1-based, file order)
 * receives share i at the key ceremony.
 */
#ifndef SCEAU_FORMAT_BUREAU_H
#define SCEAU_FORMAT_BUREAU_H

#include <stddef.h>
#include <stdint.h>

#include "format/election.h"

#define BUREAU_FILE_MAX (64u << 10)
#define BUREAU_MAX_MEMBERS 9
#define BUREAU_FORMAT "sceau-bureau/1"

struct member {
	char role[ELECTION_TEXT_MAX + 1];   /* "président", "assesseure", ... */
	char last_name[ELECTION_TEXT_MAX + 1];
	char first_name[ELECTION_TEXT_MAX + 1];
};

struct bureau {
	unsigned n_members;
	struct member members[BUREAU_MAX_MEMBERS];
};

int bureau_parse(const uint8_t *buf, size_t len, struct bureau *out);
int bureau_load(const char *path, struct bureau *out);

#endif
