/*
 * The final manifest of a sealed archive, "sceau-archive/1" (docs/FORMATS.md
 * "Archive"): the election, the time of sealing, the session journal's
 * head, the firmware's hash, and every file of the archive with its size
 * and SHA-256 except the manifest and its signatures. `sceau seal` writes
 * it, the cards sign its bytes, the verifier reads it.
 *
 * archive_manifest_write gives the canonical text (keys in the documented
 * order, indent 2, final newline). archive_manifest_read is strict: the six
 * keys and nothing else, hex of the right length, sealed_at a date and
 * time, files sorted by name (byte order) without repetition, each name one
 * the archive may hold (archive_name_ok) and neither manifest file. Like
 * every Sceau JSON reader it does not care about key order, white space or
 * string escapes; hex is lower case only. Errors name the JSON path.
 */
#ifndef SCEAU_FORMAT_ARCHIVE_MANIFEST_H
#define SCEAU_FORMAT_ARCHIVE_MANIFEST_H

#include <stddef.h>
#include <stdint.h>

#define ARCHIVE_FORMAT "sceau-archive/1"
#define ARCHIVE_MANIFEST_FILE_MAX (256u << 10)
#define ARCHIVE_MANIFEST_NAME "manifest.json"
#define ARCHIVE_MANIFEST_SIGS "signatures-manifest.json"
#define ARCHIVE_NAME_MAX 64          /* bytes of a file name (ISO 9660 as written) */
#define ARCHIVE_MAX_FILES 1024
#define ARCHIVE_SIZE_MAX (1ull << 53) /* exact in every JSON reader */

/* The files every archive holds besides the PVs (sorted by name). */
#define ARCHIVE_N_REQUIRED 9
extern const char *const archive_required[ARCHIVE_N_REQUIRED];

struct archive_file {
	char name[ARCHIVE_NAME_MAX + 1];
	uint64_t size;
	uint8_t sha256[32];
};

struct archive_manifest {
	uint8_t election_id[32];
	char sealed_at[32];           /* ISO 8601, as written */
	uint8_t journal_head[32];
	uint8_t firmware_sha256[32];
	unsigned n_files;
	struct archive_file *files;   /* sorted by name */
};

int archive_manifest_write(const struct archive_manifest *m, char **text, size_t *len);
/* Strict reading; *out's files are malloc'd (archive_manifest_free). */
int archive_manifest_read(const uint8_t *buf, size_t len, struct archive_manifest *out);
void archive_manifest_free(struct archive_manifest *m); /* frees files; m itself not */

/* The file of that name, or NULL. */
const struct archive_file *archive_manifest_find(const struct archive_manifest *m,
						 const char *name);
/* A name an archive file may have: 1..ARCHIVE_NAME_MAX bytes of
 * [a-z0-9._-], not starting with '.' (what the ISO writer accepts). */
int archive_name_ok(const char *name);

#endif
