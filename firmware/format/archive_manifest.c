/* The archive's final manifest: writer, then strict reader; see
 * archive_manifest.h. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "format/archive_manifest.h"
#include "lib/err.h"
#include "lib/json_util.h"

const char *const archive_required[ARCHIVE_N_REQUIRED] = {
	"ballots-decrypted.bin", "election.json", "emargement.iso", "firmware.txt",
	"record.json", "results.json", "session.db", "signatures-results.json", "urn.iso",
};

int archive_name_ok(const char *p)
{
	size_t n = strlen(p);

	if (n == 0 || n > ARCHIVE_NAME_MAX || p[0] == '.')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((p[i] >= 'a' && p[i] <= 'z') || (p[i] >= '0' && p[i] <= '9') ||
		      p[i] == '.' || p[i] == '_' || p[i] == '-'))
			return 0;
	return 1;
}

const struct archive_file *archive_manifest_find(const struct archive_manifest *m,
						 const char *name)
{
	for (unsigned i = 0; i < m->n_files; i++)
		if (strcmp(m->files[i].name, name) == 0)
			return &m->files[i];
	return NULL;
}

/* ---- writer ---------------------------------------------------------------- */

static json_t *am_files(const struct archive_manifest *m)
{
	json_t *a = json_array();

	for (unsigned i = 0; a && i < m->n_files; i++) {
		const struct archive_file *f = &m->files[i];

		if (f->size > ARCHIVE_SIZE_MAX ||
		    json_array_append_new(a, json_pack("{s:s, s:I, s:o}", "name", f->name,
						       "size", (json_int_t)f->size,
						       "sha256",
						       jutil_hex_string(f->sha256, 32))) != 0) {
			json_decref(a);
			a = NULL;
		}
	}
	return a;
}

int archive_manifest_write(const struct archive_manifest *m, char **text, size_t *len)
{
	json_t *files = am_files(m), *o;
	int ret;

	*text = NULL;
	if (!files) {
		err_detail("%s: a file cannot be listed (size over 2^53?)",
			   ARCHIVE_MANIFEST_NAME);
		return ERR_RANGE;
	}
	o = json_pack("{s:s, s:o, s:s, s:o, s:o, s:o}", "format", ARCHIVE_FORMAT,
		      "election_id", jutil_hex_string(m->election_id, 32),
		      "sealed_at", m->sealed_at,
		      "journal_head", jutil_hex_string(m->journal_head, 32),
		      "firmware_sha256", jutil_hex_string(m->firmware_sha256, 32),
		      "files", files);
	if (!o)
		return ERR_NOMEM;
	ret = jutil_dump(o, text, len);
	json_decref(o);
	return ret;
}

/* ---- reader ---------------------------------------------------------------- */

static int am_name_ok(const char *p)
{
	return archive_name_ok(p) && strcmp(p, ARCHIVE_MANIFEST_NAME) != 0 &&
	       strcmp(p, ARCHIVE_MANIFEST_SIGS) != 0;
}

static int am_file(const json_t *arr, size_t i, struct jutil_path *p,
		   struct archive_manifest *m)
{
	static const char *const keys[] = { "name", "size", "sha256" };
	struct archive_file *f = &m->files[i];
	json_t *o = NULL, *name;
	size_t mark = jutil_path_index(p, i);
	int ret = jutil_elem_object(arr, i, p, &o);

	if (!ret)
		ret = jutil_keys(o, p, keys, 3);
	name = o ? json_object_get(o, "name") : NULL;
	if (!ret && (!json_is_string(name) || !am_name_ok(json_string_value(name))))
		ret = jutil_fail(p, "name", ERR_FORMAT, "not an archive file name");
	if (!ret)
		memcpy(f->name, json_string_value(name), strlen(json_string_value(name)) + 1);
	if (!ret && i > 0 && strcmp(m->files[i - 1].name, f->name) >= 0)
		ret = jutil_fail(p, "name", ERR_FORMAT, "not after the previous name (byte order)");
	if (!ret)
		ret = jutil_uint(o, p, "size", 0, ARCHIVE_SIZE_MAX, &f->size);
	if (!ret)
		ret = jutil_hex(o, p, "sha256", f->sha256, 32);
	jutil_path_pop(p, mark);
	return ret;
}

static int am_files_read(const json_t *root, struct jutil_path *p,
			 struct archive_manifest *m)
{
	json_t *arr = NULL;
	size_t mark;
	int ret = jutil_array(root, p, "files", 1, ARCHIVE_MAX_FILES, &arr);

	if (ret)
		return ret;
	m->files = calloc(json_array_size(arr), sizeof(*m->files));
	if (!m->files)
		return ERR_NOMEM;
	m->n_files = (unsigned)json_array_size(arr);
	mark = jutil_path_key(p, "files");
	for (unsigned i = 0; !ret && i < m->n_files; i++)
		ret = am_file(arr, i, p, m);
	jutil_path_pop(p, mark);
	return ret;
}

int archive_manifest_read(const uint8_t *buf, size_t len, struct archive_manifest *out)
{
	static const char *const keys[] = { "format", "election_id", "sealed_at",
					    "journal_head", "firmware_sha256", "files" };
	struct jutil_path p;
	json_t *root = NULL;
	int64_t utc;
	int ret;

	memset(out, 0, sizeof(*out));
	jutil_path_init(&p);
	ret = jutil_load(buf, len, ARCHIVE_MANIFEST_FILE_MAX, &root);
	if (!ret)
		ret = jutil_keys(root, &p, keys, 6);
	if (!ret)
		ret = jutil_const(root, &p, "format", ARCHIVE_FORMAT);
	if (!ret)
		ret = jutil_hex(root, &p, "election_id", out->election_id, 32);
	if (!ret)
		ret = jutil_datetime(root, &p, "sealed_at", out->sealed_at, &utc);
	if (!ret)
		ret = jutil_hex(root, &p, "journal_head", out->journal_head, 32);
	if (!ret)
		ret = jutil_hex(root, &p, "firmware_sha256", out->firmware_sha256, 32);
	if (!ret)
		ret = am_files_read(root, &p, out);
	json_decref(root);
	if (ret)
		archive_manifest_free(out);
	return ret;
}

void archive_manifest_free(struct archive_manifest *m)
{
	free(m->files);
	m->files = NULL;
	m->n_files = 0;
}
