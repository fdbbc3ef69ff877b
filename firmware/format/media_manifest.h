/*
 * The manifests that seal the urn and the émargement (docs/FORMATS.md):
 * "sceau-urn/2" and "sceau-emargement/1", JSON, signed by the voting
 * platform: manifest.sig holds 128 lower-case hex digits (ECDSA P-256 r || s
 * over SHA-256 of the exact bytes of manifest.json: ECDSA-SHA256 of the
 * file, high or low s) and a newline.
 */
#ifndef SCEAU_FORMAT_MEDIA_MANIFEST_H
#define SCEAU_FORMAT_MEDIA_MANIFEST_H

#include <stddef.h>
#include <stdint.h>

#include "format/election.h"

#define MANIFEST_FILE_MAX (256u << 10)
#define MANIFEST_URN "sceau-urn/2"
#define MANIFEST_EMARGEMENT "sceau-emargement/1"
#define MANIFEST_SIG_LEN 64

enum manifest_kind { MANIFEST_KIND_URN = 1, MANIFEST_KIND_EMARGEMENT = 2 };

struct manifest {
	enum manifest_kind kind;
	uint8_t election_id[32];
	uint8_t record_sha256[32];   /* SHA-256 of the record.json the platform used */
	char closed_at[32];
	char file_name[32];          /* "ballots.bin" or "entries.bin" */
	uint64_t file_size;
	uint8_t file_sha256[32];
	uint64_t total;
	unsigned n_scrutins;
	uint64_t counts[ELECTION_MAX_SCRUTINS]; /* per scrutin id 1..n at [id-1] */
};

/* The only data file each kind of medium carries. */
const char *manifest_data_file(enum manifest_kind kind);

int manifest_parse(const uint8_t *buf, size_t len, enum manifest_kind kind,
		   struct manifest *m);
/* Canonical JSON (fixed key order, 2-space indent, final newline). */
int manifest_write(const struct manifest *m, char **json, size_t *len);

/* Checks a manifest.sig file against the platform key: 0, ERR_FORMAT (not
 * the one documented form) or ERR_VERIFY. */
int manifest_check_sig(const uint8_t *manifest, size_t len, const uint8_t *sig_file,
		       size_t sig_len, const uint8_t platform_pub[65]);
/* Writes the signature file text (129 bytes: hex and newline). */
void manifest_sig_encode(const uint8_t sig[MANIFEST_SIG_LEN], char out[130]);

#endif
