/* The urn and émargement manifests: strict parser, canonical writer, seal
 * check; see media_manifest.h. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "lib/err.h"
#include "lib/json_util.h"
#include "crypto/hash.h"
#include "lib/hex.h"
#include "crypto/sig.h"
#include "format/media_manifest.h"

#define NKEYS(a) (sizeof(a) / sizeof((a)[0]))

const char *manifest_data_file(enum manifest_kind kind)
{
	return kind == MANIFEST_KIND_URN ? "ballots.bin" : "entries.bin";
}

static const char *manifest_format(enum manifest_kind kind)
{
	return kind == MANIFEST_KIND_URN ? MANIFEST_URN : MANIFEST_EMARGEMENT;
}

static int manifest_parse_file(const json_t *root, struct jutil_path *p, struct manifest *m)
{
	static const char *const keys[] = { "name", "size", "sha256" };
	json_t *files = NULL, *f = NULL;
	size_t mark;
	int ret;

	ret = jutil_array(root, p, "files", 1, 1, &files);
	if (ret)
		return ret;
	mark = jutil_path_key(p, "files");
	jutil_path_index(p, 0);
	ret = jutil_elem_object(files, 0, p, &f);
	if (!ret)
		ret = jutil_keys(f, p, keys, NKEYS(keys));
	if (!ret)
		ret = jutil_const(f, p, "name", manifest_data_file(m->kind));
	snprintf(m->file_name, sizeof(m->file_name), "%s", manifest_data_file(m->kind));
	if (!ret)
		ret = jutil_uint(f, p, "size", 0, (uint64_t)1 << 40, &m->file_size);
	if (!ret)
		ret = jutil_hex(f, p, "sha256", m->file_sha256, 32);
	jutil_path_pop(p, mark);
	return ret;
}

static int manifest_parse_count(const json_t *c, struct jutil_path *p, size_t i, void *arg)
{
	static const char *const keys[] = { "scrutin", "count" };
	struct manifest *m = arg;
	uint64_t id = 0;
	int ret = jutil_keys(c, p, keys, NKEYS(keys));

	if (!ret)
		ret = jutil_uint(c, p, "scrutin", i + 1, i + 1, &id);
	if (!ret)
		ret = jutil_uint(c, p, "count", 0, 100000000u, &m->counts[i]);
	return ret;
}

static int manifest_parse_counts(const json_t *root, struct jutil_path *p,
				 struct manifest *m)
{
	json_t *counts = NULL;
	uint64_t sum = 0;
	int ret = jutil_array(root, p, "counts", 1, ELECTION_MAX_SCRUTINS, &counts);

	m->n_scrutins = ret ? 0 : (unsigned)json_array_size(counts);
	if (!ret)
		ret = jutil_each(counts, p, "counts", manifest_parse_count, m);
	for (unsigned i = 0; !ret && i < m->n_scrutins; i++)
		sum += m->counts[i];
	if (!ret)
		ret = jutil_uint(root, p, "total", 0, 100000000u, &m->total);
	if (!ret && sum != m->total)
		ret = jutil_fail(p, "total", ERR_FORMAT, "%llu, but the counts add up to %llu",
				 (unsigned long long)m->total, (unsigned long long)sum);
	return ret;
}

int manifest_parse(const uint8_t *buf, size_t len, enum manifest_kind kind,
		   struct manifest *m)
{
	static const char *const keys[] = { "format", "election_id", "record_sha256",
					    "closed_at", "files", "counts", "total" };
	struct jutil_path p;
	json_t *root = NULL;
	int ret;

	memset(m, 0, sizeof(*m));
	m->kind = kind;
	jutil_path_init(&p);
	ret = jutil_load(buf, len, MANIFEST_FILE_MAX, &root);
	if (!ret)
		ret = jutil_keys(root, &p, keys, NKEYS(keys));
	if (!ret)
		ret = jutil_const(root, &p, "format", manifest_format(kind));
	if (!ret)
		ret = jutil_hex(root, &p, "election_id", m->election_id, 32);
	if (!ret)
		ret = jutil_hex(root, &p, "record_sha256", m->record_sha256, 32);
	if (!ret)
		ret = jutil_datetime(root, &p, "closed_at", m->closed_at, NULL);
	if (!ret)
		ret = manifest_parse_file(root, &p, m);
	if (!ret)
		ret = manifest_parse_counts(root, &p, m);
	json_decref(root);
	return ret;
}

int manifest_write(const struct manifest *m, char **json, size_t *len)
{
	json_t *counts = json_array(), *o;
	int ret;

	for (unsigned i = 0; counts && i < m->n_scrutins; i++)
		json_array_append_new(counts, json_pack("{s:I, s:I}", "scrutin",
							(json_int_t)(i + 1), "count",
							(json_int_t)m->counts[i]));
	o = json_pack("{s:s, s:o, s:o, s:s, s:[{s:s, s:I, s:o}], s:o, s:I}", "format",
		      manifest_format(m->kind),
		      "election_id", jutil_hex_string(m->election_id, 32),
		      "record_sha256", jutil_hex_string(m->record_sha256, 32),
		      "closed_at", m->closed_at,
		      "files", "name", manifest_data_file(m->kind),
		      "size", (json_int_t)m->file_size,
		      "sha256", jutil_hex_string(m->file_sha256, 32),
		      "counts", counts, "total", (json_int_t)m->total);
	if (!o)
		return ERR_NOMEM;
	ret = jutil_dump(o, json, len);
	json_decref(o);
	return ret;
}

void manifest_sig_encode(const uint8_t sig[MANIFEST_SIG_LEN], char out[130])
{
	hex_encode(sig, MANIFEST_SIG_LEN, out);
	out[128] = '\n';
	out[129] = '\0';
}

int manifest_check_sig(const uint8_t *manifest, size_t len, const uint8_t *sig_file,
		       size_t sig_len, const uint8_t platform_pub[65])
{
	uint8_t sig[MANIFEST_SIG_LEN], digest[32];
	char hex[129];

	/* One form only: 128 lower-case digits (hex_decode), then '\n'. */
	if (sig_len != 129 || sig_file[128] != '\n') {
		err_detail("manifest.sig: expected 128 lower-case hex digits and a newline");
		return ERR_FORMAT;
	}
	memcpy(hex, sig_file, 128);
	hex[128] = '\0';
	if (hex_decode(hex, sig, sizeof(sig)) != 0) {
		err_detail("manifest.sig: expected 128 lower-case hex digits and a newline");
		return ERR_FORMAT;
	}
	/* ECDSA-SHA256 of the file: its SHA-256 is the digest, hashed once.
	 * Either s verifies: the platform's library chose (docs/FORMATS.md). */
	if (hash_sha256(manifest, len, digest) != 0)
		return ERR_CRYPTO;
	if (sig_verify(platform_pub, digest, sig) != 0) {
		err_detail("manifest.sig: the platform's seal does not verify with the "
			   "platform key of the record");
		return ERR_VERIFY;
	}
	return 0;
}
