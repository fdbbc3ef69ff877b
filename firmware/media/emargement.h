/*
 * The émargement's entries ("entries.jsonl", docs/FORMATS.md): one JSON
 * object per line, "\n"-terminated,
 *   {"voter": "<opaque reference>", "scrutin": <id>, "time": "<ISO 8601>"}
 * sorted by (scrutin, voter) strictly ascending, so a voter signs at most
 * once per scrutin. The voter reference is 1..64 characters of
 * [A-Za-z0-9_-]: opaque to the box, which never joins it with the urn.
 * Push parser, constant memory; errors name the line.
 */
#ifndef SCEAU_MEDIA_EMARGEMENT_H
#define SCEAU_MEDIA_EMARGEMENT_H

#include <stddef.h>
#include <stdint.h>

#include "core/election.h"

#define EMARG_LINE_MAX 512
#define EMARG_VOTER_MAX 64

struct emarg_entry {
	uint64_t line;
	uint16_t scrutin;
	char voter[EMARG_VOTER_MAX + 1];
	char time[32];
};

typedef int (*emarg_entry_fn)(const struct emarg_entry *e, void *arg);

struct emarg_reader;

int emarg_reader_new(const struct election *e, emarg_entry_fn fn, void *arg,
		     struct emarg_reader **out);
/* The same with the JSON parse of each line spread over jobs worker threads
 * (0: none); fn is still called in file order, in the caller's thread, and
 * the first failure in file order is the one reported. */
int emarg_reader_new_jobs(const struct election *e, emarg_entry_fn fn, void *arg,
			  unsigned jobs, struct emarg_reader **out);
int emarg_reader_feed(struct emarg_reader *r, const uint8_t *data, size_t len);
int emarg_reader_finish(struct emarg_reader *r, uint64_t *count);
void emarg_reader_free(struct emarg_reader *r);

/* One line (without its newline) as the writer must produce it. */
int emarg_entry_encode(const struct emarg_entry *e, char *out, size_t n);

#endif
